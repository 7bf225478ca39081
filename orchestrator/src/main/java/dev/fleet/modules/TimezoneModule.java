package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code community.general.timezone} for Linux hosts, with the collection's two strategies: where
 * {@code timedatectl} works (systemd), {@code timedatectl set-timezone}/{@code set-local-rtc}; elsewhere on
 * Debian/Ubuntu, {@code /etc/timezone}, the {@code /etc/localtime} symlink and
 * {@code dpkg-reconfigure tzdata}, and for {@code hwclock} {@code /etc/default/rcS} plus
 * {@code hwclock --systohc} (refused on a host without {@code /dev/rtc}). {@link TimezoneState} reads the
 * settings. Returns Ansible's {@code diff} (before/after of the given settings) and {@code msg} (what was run).
 */
final class TimezoneModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("hwclock").choices("local", "UTC").aliases("rtc"), Arg.str("name"))
            .requiredOneOf("hwclock", "name")
            .build();

    public String name() {
        return "timezone";
    }

    @Override
    public String collection() {
        return "community.general";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String zone = ctx.str("name");
        String hwclock = ctx.str("hwclock");
        Map<String, String> planned = new LinkedHashMap<>();
        if (hwclock != null) planned.put("hwclock", hwclock);
        if (zone != null) planned.put("name", zone);
        List<String> msgs = new ArrayList<>();
        try {
            TimezoneState state = TimezoneState.probe(ctx, zone);
            if (!state.systemd() && !state.debian()) {
                return abort("fleet's timezone supports hosts where timedatectl works and Debian/Ubuntu hosts;"
                        + " this host has neither", msgs);
            }
            if (zone != null && !state.zoneFileExists()) {
                return abort("given timezone \"" + zone + "\" is not available", msgs);
            }
            Map<String, String> before = state.values(planned, "before");
            if (before.containsKey("error")) return abort(before.get("error"), msgs);
            Map<String, String> after = planned;
            if (!ctx.check()) {
                for (Map.Entry<String, String> e : planned.entrySet()) {
                    if (e.getValue().equals(before.get(e.getKey()))) continue;
                    String why = set(ctx, state, e.getKey(), e.getValue(), msgs);
                    if (why != null) return abort(why, msgs);
                }
                after = TimezoneState.probe(ctx, zone).values(planned, "after");
                if (after.containsKey("error")) return abort(after.get("error"), msgs);
                if (!after.equals(planned)) {
                    return abort("still not desired state, though changes have made - planned: "
                            + pyDict(planned) + ", after: " + pyDict(after), msgs);
                }
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("diff", Map.of("before", before, "after", after));
            String msg = String.join("\n", msgs);
            boolean changed = !before.equals(after);
            return (changed ? TaskOutcome.changed(msg) : TaskOutcome.ok(msg)).withData(data);
        } catch (RemoteFiles.HostFailure e) {
            return abort(e.getMessage(), msgs);
        }
    }

    /** Sets one setting; null when it worked, else why not. */
    private String set(ModuleContext ctx, TimezoneState state, String key, String value, List<String> msgs)
            throws TransportException, RemoteFiles.HostFailure {
        if (state.systemd()) {
            String arg = key.equals("name") ? value : value.equals("local") ? "yes" : "no";
            String cmd = state.timedatectl() + " " + (key.equals("name") ? "set-timezone " : "set-local-rtc ") + arg;
            String failed = run(ctx, ShellQuote.quote(state.timedatectl()) + " "
                    + (key.equals("name") ? "set-timezone " : "set-local-rtc ") + ShellQuote.quote(arg));
            if (failed == null) msgs.add("executed `" + cmd + "`");
            return failed;
        }
        if (key.equals("name")) {
            String failed = editFile(ctx, "/etc/timezone", state.timezoneFile(), "^\\S", value + "\n", msgs);
            if (failed != null) return failed;
            String tzfile = ShellQuote.quote("/usr/share/zoneinfo/" + value);
            return run(ctx, "ln -sf " + tzfile + " /etc/localtime && "
                    + "DEBIAN_FRONTEND=noninteractive dpkg-reconfigure --frontend noninteractive tzdata");
        }
        if (!state.hasRtc()) {
            return "this host has no hardware clock (/dev/rtc); fleet does not set hwclock without one";
        }
        String utc = value.equals("local") ? "no" : "yes";
        String failed = editFile(ctx, "/etc/default/rcS", state.rcS(), "^UTC\\s*=\\s*\\S", "UTC=" + utc + "\n",
                msgs);
        if (failed != null) return failed;
        String option = value.equals("local") ? "--localtime" : "--utc";
        failed = run(ctx, ShellQuote.quote(state.hwclockBin()) + " --systohc " + option);
        if (failed == null) msgs.add("executed `" + state.hwclockBin() + " --systohc " + option + "`");
        return failed;
    }

    /**
     * As the collection's {@code _edit_file}: the lines matching {@code regex} go and {@code line} takes the
     * first one's place (or the top).
     */
    private static String editFile(ModuleContext ctx, String path, String content, String regex, String line,
            List<String> msgs) throws TransportException {
        List<String> lines = new ArrayList<>(LineEdits.splitLines(content == null ? "" : content, false));
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        int first = -1;
        int removed = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (p.matcher(lines.get(i)).find()) {
                first = i;
                lines.remove(i);
                removed++;
            }
        }
        lines.add(Math.max(first, 0), line);
        String failed = run(ctx, "printf '%s' " + ShellQuote.quote(String.join("", lines)) + " > "
                + ShellQuote.quote(path));
        if (failed != null) {
            return "tried to configure a setting using a file \"" + path + "\", but could not write to it";
        }
        msgs.add("Added 1 line and deleted " + removed + " line(s) on " + path);
        return null;
    }

    /** Runs a command; null when it exited 0, else its error output (as Ansible's failed run_command). */
    private static String run(ModuleContext ctx, String command) throws TransportException {
        CommandResult r = RemoteFiles.sh(ctx, command);
        if (r.exitCode() == 0) return null;
        String err = r.stderr().strip();
        return err.isEmpty() ? command + " exited " + r.exitCode() : err;
    }

    private static TaskOutcome abort(String msg, List<String> msgs) {
        List<String> lines = new ArrayList<>(List.of("Error message:", msg));
        if (!msgs.isEmpty()) {
            lines.add("Other message(s):");
            lines.addAll(msgs);
        }
        return TaskOutcome.failed(String.join("\n", lines));
    }

    /** Python's str() of a dict of strings, as the collection's message shows it. */
    private static String pyDict(Map<String, String> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add("'" + k + "': '" + v + "'"));
        return "{" + String.join(", ", parts) + "}";
    }
}
