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
import java.util.Set;

/**
 * {@code systemd} / {@code systemd_service}: a unit started, stopped, restarted or reloaded, enabled or disabled,
 * masked or unmasked, and the manager reloaded or re-executed, with the same systemctl calls Ansible makes and in
 * its order: {@code systemctl show UNIT} for the unit's properties (the result's {@code status}), else
 * {@code is-enabled}/{@code list-unit-files} to learn that the unit exists. A host not booted with systemd answers
 * {@code show} with an error, so, as in Ansible, unit files can still be enabled, disabled and masked (systemctl
 * edits links offline) but a state cannot be reached: "Service is in unknown state" (a warning only in a chroot or
 * with SYSTEMD_OFFLINE=1), and an unknown unit fails with the bare {@code systemctl}'s own error.
 */
final class SystemdModule implements Module {
    // daemon_reload/daemon_reexec default to false in Ansible, which makes them count for required_one_of: a task
    // naming only a unit is accepted there, so fleet declares no required_one_of either.
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").aliases("service", "unit"),
                    Arg.str("state").choices("reloaded", "restarted", "started", "stopped"), Arg.bool("enabled"),
                    Arg.bool("force"), Arg.bool("masked"),
                    Arg.bool("daemon_reload").defaultsTo(false).aliases("daemon-reload"),
                    Arg.bool("daemon_reexec").defaultsTo(false).aliases("daemon-reexec"),
                    Arg.str("scope").choices("system", "user", "global").defaultsTo("system"),
                    Arg.bool("no_block").defaultsTo(false))
            .requiredBy("state", "name").requiredBy("enabled", "name").requiredBy("masked", "name")
            .build();

    /** is-enabled answers that mean systemd knows the unit. */
    private static final Set<String> ENABLED_STATES = Set.of("enabled", "enabled-runtime", "linked",
            "linked-runtime", "masked", "masked-runtime", "static", "indirect", "disabled", "generated", "transient");

    private final String name;

    SystemdModule(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String unit = ctx.str("name");
        if (unit != null) {
            for (String glob : List.of("*", "?", "[")) {
                if (unit.contains(glob)) {
                    return TaskOutcome.failed("This module does not currently support using glob patterns, found '"
                            + glob + "' in service name: " + unit);
                }
            }
        }
        SystemdHost host = SystemdHost.probe(ctx, unit);
        if (host.systemctl() == null) {
            return TaskOutcome.failed("Failed to find required executable \"systemctl\" in paths: " + host.path());
        }
        Systemctl systemctl = new Systemctl(ctx, host.systemctl(), ctx.str("scope"), ctx.bool("no_block"),
                ctx.bool("force"));
        Map<String, Object> result = new LinkedHashMap<>();
        if (unit != null) result.put("name", unit);
        Map<String, Object> status = new LinkedHashMap<>();
        result.put("status", status);
        List<String> warnings = new ArrayList<>();
        boolean changed = false;

        for (String verb : List.of("daemon-reload", "daemon-reexec")) {
            if (ctx.bool(verb.replace('-', '_')) && !ctx.check()) {
                CommandResult r = systemctl.run(verb);
                if (r.exitCode() != 0) {
                    return TaskOutcome.failed("failure " + r.exitCode() + " during " + verb + ": " + r.stderr());
                }
            }
        }
        if (unit == null) return done(false, result, warnings);

        // does systemd know the unit?
        boolean isSystemd = false;
        CommandResult show = systemctl.run("show", unit);
        if (show.exitCode() == 0 && !ignored(show.stdout()) && !ignored(show.stderr())) {
            if (!show.stdout().isEmpty()) {
                status.putAll(SystemctlShow.parse(show.stdout()));
                Object load = status.get("LoadState");
                isSystemd = load != null && !load.equals("not-found");
                if (isSystemd && !"masked".equals(load) && status.containsKey("LoadError")) {
                    return TaskOutcome.failed("Error loading unit file '" + unit + "': " + status.get("LoadError"));
                }
            }
        } else if (!show.stderr().isEmpty() && show.exitCode() == 1
                && show.stderr().contains("Failed to parse bus message")) {
            status.putAll(SystemctlShow.parse(show.stdout()));
            int at = unit.indexOf('@');
            String search = at < 0 ? unit : unit.substring(0, at + 1);
            isSystemd = systemctl.run("list-unit-files", search + "*").stdout().contains(search);
            status.put("ActiveState", OutputText.stripTrailingNewline(systemctl.run("is-active", unit).stdout()));
        } else if (ENABLED_STATES.contains(systemctl.run("is-enabled", unit).stdout().strip())) {
            isSystemd = true;
        } else if (systemctl.run("list-unit-files", unit).exitCode() == 0) {
            isSystemd = true;
        } else {
            CommandResult bare = systemctl.run();
            if (bare.exitCode() != 0) return commandFailed(systemctl, bare);
        }
        boolean found = isSystemd || host.initScript();
        if (host.initScript() && !isSystemd) {
            warnings.add("The service (" + unit + ") is actually an init script but the system is managed by"
                    + " systemd");
        }

        if (ctx.has("masked")) {
            boolean masked = systemctl.run("is-enabled", unit).stdout().strip().equals("masked");
            if (masked != ctx.bool("masked")) {
                changed = true;
                if (!ctx.check()) {
                    CommandResult r = systemctl.run(ctx.bool("masked") ? "mask" : "unmask", unit);
                    if (r.exitCode() != 0 && !found) return missing(unit, "host");
                }
            }
        }

        if (ctx.has("enabled")) {
            boolean want = ctx.bool("enabled");
            if (!found) return missing(unit, "host");
            CommandResult r = systemctl.run("is-enabled", unit, "-l");
            boolean enabled = false;
            List<String> lines = r.stdout().lines().toList();
            if (r.exitCode() == 0) {
                enabled = !lines.equals(List.of("indirect")) && !lines.equals(List.of("alias"));
            } else if (r.exitCode() == 1) {
                enabled = ctx.str("scope").equals("system") && host.initScript()
                        && !r.stdout().strip().endsWith("disabled") && host.initScriptEnabled();
            }
            result.put("enabled", enabled);
            if (enabled != want) {
                changed = true;
                String action = want ? "enable" : "disable";
                if (!ctx.check()) {
                    CommandResult a = systemctl.run(action, unit);
                    if (a.exitCode() != 0) {
                        return TaskOutcome.failed("Unable to " + action + " service " + unit + ": " + a.stdout()
                                + a.stderr());
                    }
                }
                result.put("enabled", !enabled);
            }
        }

        if (ctx.has("state")) {
            if (!found) return missing(unit, "host");
            String state = ctx.str("state");
            result.put("state", state);
            if (status.containsKey("ActiveState")) {
                String active = String.valueOf(status.get("ActiveState"));
                boolean running = active.equals("active") || active.equals("activating");
                String action = switch (state) {
                    case "started" -> running ? null : "start";
                    case "stopped" -> running || active.equals("deactivating") ? "stop" : null;
                    default -> running ? state.substring(0, state.length() - 2) : "start";
                };
                if (!state.equals("started") && !state.equals("stopped")) result.put("state", "started");
                if (action != null) {
                    changed = true;
                    if (!ctx.check()) {
                        CommandResult r = systemctl.run(action, unit);
                        if (r.exitCode() != 0) {
                            return TaskOutcome.failed("Unable to " + action + " service " + unit + ": "
                                    + r.stderr());
                        }
                    }
                }
            } else if (host.chroot() || host.offline()) {
                warnings.add("Target is a chroot or systemd is offline. This can lead to false positives or prevent"
                        + " the init system tools from working.");
            } else {
                return TaskOutcome.failed("Service is in unknown state").withData(Map.of("status", status));
            }
        }
        return done(changed, result, warnings);
    }

    /** systemctl's answer when it ignored a request (while shutting down, or for a unit it will not touch). */
    private static boolean ignored(String out) {
        return !out.contains("=") && (out.contains("ignoring request") || out.contains("ignoring command"));
    }

    private static TaskOutcome missing(String unit, String where) {
        return TaskOutcome.failed("Could not find the requested service " + unit + ": " + where);
    }

    /** A failing command Ansible ran with check_rc: its rc, output and command line, stderr as the message. */
    private static TaskOutcome commandFailed(Systemctl systemctl, CommandResult r) {
        String msg = (r.stderr().isEmpty() ? r.stdout() : r.stderr()).stripTrailing();
        return FailedCommand.outcome(msg, r).withData(Map.of("cmd", systemctl.commandLine()));
    }

    private static TaskOutcome done(boolean changed, Map<String, Object> result, List<String> warnings) {
        if (!warnings.isEmpty()) result.put("warnings", List.copyOf(warnings));
        return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, "", "", "", result);
    }

    /**
     * systemctl with the task's options ({@code --user}/{@code --global}, {@code --no-block}, {@code --force}) and
     * XDG_RUNTIME_DIR defaulted to {@code /run/user/UID} as Ansible sets it; every word quoted.
     */
    private record Systemctl(ModuleContext ctx, String path, String scope, boolean noBlock, boolean force) {
        String commandLine() {
            return path + (scope.equals("system") ? "" : " --" + scope) + (noBlock ? " --no-block" : "")
                    + (force ? " --force" : "");
        }

        CommandResult run(String... words) throws TransportException {
            StringBuilder cmd = new StringBuilder("XDG_RUNTIME_DIR=\"${XDG_RUNTIME_DIR:-/run/user/$(id -u)}\" ")
                    .append(ShellQuote.quote(path));
            if (!scope.equals("system")) cmd.append(" --").append(scope);
            if (noBlock) cmd.append(" --no-block");
            if (force) cmd.append(" --force");
            for (String w : words) cmd.append(' ').append(ShellQuote.quote(w));
            return ctx.session().exec(cmd.toString(), ctx.timeout());
        }
    }
}
