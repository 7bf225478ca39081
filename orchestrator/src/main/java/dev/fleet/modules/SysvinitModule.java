package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sysvinit}: starts, stops, restarts or reloads a SysV init script ({@code /etc/init.d/NAME}, or NAME when it
 * is a path) and enables or disables it at boot, as Ansible does: whether it runs comes from
 * {@code service NAME status} (its output read with Ansible's heuristics, then its exit code, then {@code ps}),
 * or from {@code ps auxww} matching {@code pattern}; whether it is enabled from the {@code S??NAME} links in
 * {@code /etc/rc?.d}; changes go through {@code update-rc.d} (or chkconfig) and the script itself (restart is stop,
 * then start). The result's {@code status} holds, per part (enabled, and the state asked for), whether it changed
 * and the rc/stdout/stderr of the command that changed it.
 */
final class SysvinitModule implements Module {
    /** No status command ran ({@code pattern}): Ansible's rc, stdout and stderr start as 0, "", "". */
    private static final CommandResult NOT_RUN = new CommandResult(0, "", "", java.time.Instant.EPOCH,
            java.time.Instant.EPOCH);
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required().aliases("service"),
                    Arg.str("state").choices("started", "stopped", "restarted", "reloaded"), Arg.bool("enabled"),
                    Arg.integer("sleep").defaultsTo(1), Arg.str("pattern"), Arg.str("arguments").aliases("args"),
                    Arg.list("runlevels", ArgType.STR), Arg.bool("daemonize").defaultsTo(false))
            .requiredOneOf("state", "enabled")
            .build();

    public String name() {
        return "sysvinit";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String name = ctx.str("name");
        String state = ctx.str("state");
        Boolean enabled = ctx.has("enabled") ? ctx.bool("enabled") : null;
        List<String> runlevels = ctx.strings("runlevels");
        SysvHost host = SysvHost.probe(ctx, name, runlevels);
        if (!host.scriptExists()) return TaskOutcome.failed("Could not find the requested service " + name + ": ");

        List<String> warnings = new ArrayList<>();
        Running running = isStarted(ctx, name, host, warnings);
        boolean started = running.started();
        Map<String, Object> status = new LinkedHashMap<>();
        boolean changed = false;

        // enabled
        Map<String, Object> enabledPart = part(false);
        status.put("enabled", enabledPart);
        String enableCmd = null;
        if (!runlevels.isEmpty()) {
            enabledPart.put("runlevels", runlevels);
            for (String rl : runlevels) {
                // without enabled, Ansible compares None with each runlevel's state: a change, to disabled
                if (!Boolean.valueOf(host.enabledIn(rl)).equals(enabled)) changed = true;
            }
            if (changed) enableCmd = enableCommand(host, name, Boolean.TRUE.equals(enabled), runlevels);
        } else if (enabled != null && enabled != host.enabledAnywhere()) {
            changed = true;
            enableCmd = enableCommand(host, name, enabled, List.of());
        }
        enabledPart.put("changed", changed);
        if (changed && !ctx.check()) {
            // without update-rc.d or chkconfig nothing runs, and Ansible reports the status command's result
            CommandResult r = enableCmd == null ? running.statusResult() : exec(ctx, enableCmd);
            fill(enabledPart, r);
            if (r.stderr().contains("illegal runlevel specified")) {
                return new TaskOutcome(TaskStatus.FAILED, null, "", "", "Illegal runlevel specified for enable"
                        + " operation on service " + name, result(name, status, warnings));
            }
        }

        // state: Ansible keys this part by the state asked for, "null" when none was
        Map<String, Object> statePart = part(false);
        status.put(String.valueOf(state), statePart);
        if (state != null) {
            String action = state.replaceAll("p?ed$", "");
            List<String> steps = action.equals("restart") ? List.of("stop", "start")
                    : started != action.equals("start") || started == action.equals("stop") ? List.of(action)
                    : List.of();
            if (!steps.isEmpty()) {
                changed = true;
                statePart.put("changed", true);
                if (!ctx.check()) {
                    CommandResult last = null;
                    for (String step : steps) {
                        last = exec(ctx, scriptCommand(ctx, host, step));
                        if (last.exitCode() != 0) {
                            return new TaskOutcome(TaskStatus.FAILED, last.exitCode(), last.stdout(), last.stderr(),
                                    "Failed to " + action + " service: " + name, warningsOnly(warnings));
                        }
                        if (action.equals("restart")) pause(ctx.integer("sleep"));
                    }
                    fill(statePart, last);
                }
            }
        }
        return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, "", "", "",
                result(name, status, warnings));
    }

    /** Whether the service runs, and the status command's result (Ansible reuses it, see above). */
    private record Running(boolean started, CommandResult statusResult) {}

    /** Whether the service runs, the way Ansible's sysvinit decides it (see the class comment). */
    private static Running isStarted(ModuleContext ctx, String name, SysvHost host, List<String> warnings)
            throws TransportException {
        String pattern = ctx.str("pattern");
        if (pattern != null) return new Running(psMatches(ctx, pattern), NOT_RUN);
        String cmd = host.service() != null
                ? ShellQuote.quote(host.service()) + " " + ShellQuote.quote(name) + " status"
                : ShellQuote.quote(host.script()) + " status";
        CommandResult r = exec(ctx, cmd);
        Boolean started = StatusOutput.read(name, r.exitCode(), r.stdout());
        if (started != null) return new Running(started, r);
        if (r.exitCode() == 0) return new Running(true, r);
        if (psMatches(ctx, name)) {
            warnings.add("Used ps output to match service name and determine it is up, this is very unreliable");
            return new Running(true, r);
        }
        warnings.add("Unable to determine if service is up, assuming it is down");
        return new Running(false, r);
    }

    /** Ansible's last resort: any line of {@code ps auxww} containing the text (matched here, not by grep). */
    private static boolean psMatches(ModuleContext ctx, String text) throws TransportException {
        CommandResult r = exec(ctx, "ps auxww");
        if (r.exitCode() != 0) return false;
        for (String line : r.stdout().split("\n")) {
            if (line.contains(text)) return true;
        }
        return false;
    }

    private static String enableCommand(SysvHost host, String name, boolean enable, List<String> runlevels) {
        String q = ShellQuote.quote(name);
        if (host.updateRcD() != null) {
            String verb = !runlevels.isEmpty() ? (enable ? " enable " : " disable ") + String.join(" ",
                    runlevels.stream().map(ShellQuote::quote).toList()) : enable ? " defaults" : " disable";
            return ShellQuote.quote(host.updateRcD()) + " " + q + verb;
        }
        if (host.chkconfig() != null) {
            String level = runlevels.isEmpty() ? "" : "--level " + ShellQuote.quote(String.join("", runlevels)) + " ";
            return ShellQuote.quote(host.chkconfig()) + " " + level + q + (enable ? " on" : " off");
        }
        return null;
    }

    /** {@code SCRIPT ACTION [arguments]}, detached from the session with {@code daemonize}. */
    private static String scriptCommand(ModuleContext ctx, SysvHost host, String action) throws ModuleException {
        List<String> argv = new ArrayList<>(List.of(host.script(), action));
        if (ctx.has("arguments")) {
            try {
                argv.addAll(ShellQuote.split(ctx.str("arguments")));
            } catch (ShellQuote.UnbalancedQuote e) {
                throw new ModuleException("argument 'arguments': " + e.getMessage());
            }
        }
        String cmd = ShellQuote.join(argv);
        return ctx.bool("daemonize") ? "setsid " + cmd + " </dev/null" : cmd;
    }

    private static Map<String, Object> part(boolean changed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("changed", changed);
        p.put("rc", null);
        p.put("stdout", null);
        p.put("stderr", null);
        return p;
    }

    private static void fill(Map<String, Object> part, CommandResult r) {
        part.put("rc", r.exitCode());
        part.put("stdout", r.stdout());
        part.put("stderr", r.stderr());
    }

    private static Map<String, Object> result(String name, Map<String, Object> status,
            List<String> warnings) {
        Map<String, Object> data = warningsOnly(warnings);
        data.put("name", name);
        data.put("status", status);
        return data;
    }

    private static Map<String, Object> warningsOnly(List<String> warnings) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (!warnings.isEmpty()) data.put("warnings", List.copyOf(warnings));
        return data;
    }

    private static void pause(int seconds) {
        if (seconds <= 0) return;
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CommandResult exec(ModuleContext ctx, String cmd) throws TransportException {
        return ctx.session().exec(cmd, ctx.timeout());
    }
}
