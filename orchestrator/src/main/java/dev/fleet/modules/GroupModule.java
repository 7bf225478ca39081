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
 * {@code group}: a group present (groupadd, or groupmod for a different gid) or absent (groupdel), found with
 * {@code getent group} (with {@code local: true}, in {@code /etc/group} only, changed with libuser's lgroup*
 * tools, as Ansible does). Returns Ansible's keys: name, state, and for a group that exists afterwards gid and
 * system; stdout/stderr of the tool when it printed any.
 */
final class GroupModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required(), Arg.str("state").choices("absent", "present").defaultsTo("present"),
                    Arg.integer("gid"), Arg.bool("system").defaultsTo(false), Arg.bool("local").defaultsTo(false),
                    Arg.bool("non_unique").defaultsTo(false))
            .requiredIf("non_unique", true, "gid")
            .build();

    public String name() {
        return "group";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String name = ctx.str("name");
        boolean local = ctx.bool("local");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", name);
        data.put("state", ctx.str("state"));
        String[] info = lookup(ctx, name, local);
        CommandResult r = null;
        if (ctx.str("state").equals("absent")) {
            if (info != null) {
                if (ctx.check()) return TaskOutcome.changed("");
                r = tool(ctx, local ? "lgroupdel" : "groupdel", List.of(name));
            }
        } else if (info == null) {
            if (ctx.check()) return TaskOutcome.changed("");
            List<String> argv = new ArrayList<>();
            if (ctx.has("gid")) {
                argv.addAll(List.of("-g", String.valueOf(ctx.integer("gid"))));
                if (ctx.bool("non_unique")) argv.add("-o");
            }
            if (ctx.bool("system")) argv.add("-r");
            argv.add(name);
            if (local) {
                String taken = gidTakenBy(ctx, name);
                if (taken != null) return failedGidTaken(ctx, taken);
            }
            r = tool(ctx, local ? "lgroupadd" : "groupadd", argv);
        } else if (ctx.has("gid") && !String.valueOf(ctx.integer("gid")).equals(info[2])) {
            if (local) {
                String taken = gidTakenBy(ctx, name);
                if (taken != null) return failedGidTaken(ctx, taken);
            }
            if (ctx.check()) {
                r = new CommandResult(0, "", "", java.time.Instant.now(), java.time.Instant.now());
            } else {
                List<String> argv = new ArrayList<>(List.of("-g", String.valueOf(ctx.integer("gid"))));
                if (ctx.bool("non_unique")) argv.add("-o");
                argv.add(name);
                r = tool(ctx, local ? "lgroupmod" : "groupmod", argv);
            }
        }
        if (r != null && r.exitCode() != 0) {
            return TaskOutcome.failed(r.stderr()).withData(Map.of("name", name));
        }
        if (r != null && !r.stdout().isEmpty()) data.put("stdout", r.stdout());
        if (r != null && !r.stderr().isEmpty()) data.put("stderr", r.stderr());
        String[] after = r == null ? info : lookup(ctx, name, local);
        if (after != null) {
            data.put("system", ctx.bool("system"));
            data.put("gid", Integer.parseInt(after[2]));
        }
        return (r != null ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /** The group's {@code /etc/group} fields, or null if there is none. */
    static String[] lookup(ModuleContext ctx, String name, boolean local) throws TransportException {
        String cmd = local ? "grep -m 1 -e " + ShellQuote.quote("^" + escapeBre(name) + ":") + " /etc/group"
                : "getent group " + ShellQuote.quote(name);
        CommandResult r = ctx.session().exec(cmd, ctx.timeout());
        String line = r.stdout().lines().findFirst().orElse("");
        if (r.exitCode() != 0 || line.isEmpty()) return null;
        String[] f = line.split(":", -1);
        return f.length >= 3 ? f : null;
    }

    /** {@code name} as a literal in a basic regular expression. */
    static String escapeBre(String name) {
        return name.replaceAll("([.\\[\\]*^$\\\\])", "\\\\$1");
    }

    /** With local: true Ansible refuses a gid another group has; the other group's name, or null. */
    private static String gidTakenBy(ModuleContext ctx, String name) throws TransportException {
        if (!ctx.has("gid")) return null;
        CommandResult r = ctx.session().exec("getent group " + ctx.integer("gid"), ctx.timeout());
        String other = r.exitCode() == 0 ? r.stdout().split(":", -1)[0].strip() : "";
        return other.isEmpty() || other.equals(name) ? null : other;
    }

    private static TaskOutcome failedGidTaken(ModuleContext ctx, String other) {
        return TaskOutcome.failed("GID '" + ctx.integer("gid") + "' already exists with group '" + other + "'");
    }

    /** Runs one of the group tools; a missing tool fails as Ansible's get_bin_path does. */
    private static CommandResult tool(ModuleContext ctx, String tool, List<String> argv) throws TransportException {
        String cmd = "if ! command -v " + tool + " >/dev/null 2>&1; then echo 'Failed to find required executable "
                + "\"" + tool + "\" in paths' >&2; exit 127; fi; " + tool + " " + ShellQuote.join(argv);
        return RemoteFiles.sh(ctx, cmd);
    }
}
