package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tempfile}: a new temporary file (mode 0600) or directory (0700) made by {@code mktemp} under
 * {@code path} (default {@code $TMPDIR}, else {@code /tmp}) named {@code <prefix>XXXXXXXX<suffix>}; returns its
 * {@code path} and stat as Ansible does. Ansible's tempfile does not support check mode: skipped under
 * {@code --check}.
 */
final class TempfileModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("state").choices("directory", "file").defaultsTo("file"), Arg.path("path"),
                    Arg.str("prefix").defaultsTo("ansible."), Arg.str("suffix").defaultsTo(""))
            .build();

    public String name() {
        return "tempfile";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String prefix = ctx.str("prefix");
        String suffix = ctx.str("suffix");
        if (prefix.contains("/")) throw new ModuleException("argument 'prefix' must not contain '/'");
        if (suffix.contains("/")) throw new ModuleException("argument 'suffix' must not contain '/'");
        if (ctx.check()) return TaskOutcome.skipped("check mode not supported for tempfile");
        String dir = ctx.has("path") ? ShellQuote.quote(ctx.str("path")) : "\"${TMPDIR:-/tmp}\"";
        boolean directory = ctx.str("state").equals("directory");
        String s = "d=" + dir + "\n"
                + "t=$(mktemp " + (directory ? "-d " : "") + "-p \"$d\" --suffix=" + ShellQuote.quote(suffix) + " -- "
                + ShellQuote.quote(prefix + "XXXXXXXX") + ") || exit 3\n"
                + "echo \"$t\"; stat -c '%a|%u|%g|%U|%G|%s' -- \"$t\"\n";
        CommandResult r = RemoteFiles.sh(ctx, s);
        if (r.exitCode() != 0) {
            return TaskOutcome.failed("tempfile: cannot create a temporary " + (directory ? "directory" : "file")
                    + " in " + (ctx.has("path") ? ctx.str("path") : "$TMPDIR") + ": " + RemoteFiles.reason(r.stderr()));
        }
        String[] lines = r.stdout().split("\n");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", lines[0]);
        data.put("state", directory ? "directory" : "file");
        if (lines.length > 1) {
            String[] f = lines[1].split("\\|", -1);
            if (f.length == 6) {
                data.put("mode", String.format("%04o", Integer.parseInt(f[0], 8)));
                data.put("uid", Long.parseLong(f[1]));
                data.put("gid", Long.parseLong(f[2]));
                data.put("owner", f[3]);
                data.put("group", f[4]);
                data.put("size", Long.parseLong(f[5]));
            }
        }
        return TaskOutcome.changed("").withData(data);
    }
}
