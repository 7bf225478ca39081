package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code dpkg_selections}: a package's dpkg selection ({@code install}, {@code hold}, {@code deinstall},
 * {@code purge}), read with {@code dpkg --get-selections NAME} and set with {@code dpkg --set-selections}. As in
 * Ansible, a package dpkg does not know is {@code "not present"} (and setting it changes nothing dpkg keeps), and
 * {@code before}/{@code after} are returned in every mode.
 */
final class DpkgSelectionsModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required(),
                    Arg.str("selection").required().choices("install", "hold", "deinstall", "purge"))
            .build();

    public String name() {
        return "dpkg_selections";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String pkg = ctx.str("name");
        String selection = ctx.str("selection");
        CommandResult r = ctx.session().exec("dpkg --get-selections " + ShellQuote.quote(pkg), ctx.timeout());
        if (r.exitCode() != 0) return failure("dpkg --get-selections", r);
        String current = current(r.stdout());
        boolean changed = !current.equals(selection);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("before", current);
        data.put("after", selection);
        if (changed && !ctx.check()) {
            byte[] line = (pkg + " " + selection).getBytes(StandardCharsets.UTF_8);
            CommandResult set = ctx.session().exec("dpkg --set-selections", line, ctx.timeout());
            if (set.exitCode() != 0) return failure("dpkg --set-selections", set);
        }
        return (changed ? TaskOutcome.changed("") : TaskOutcome.ok("")).withData(data);
    }

    /** The selection on dpkg's line for the package ({@code "hello\t\t\thold"}), or {@code "not present"}. */
    static String current(String stdout) {
        String[] fields = stdout.strip().split("\\s+");
        return fields.length < 2 ? "not present" : fields[1];
    }

    private static TaskOutcome failure(String what, CommandResult r) {
        String err = r.stderr().strip();
        String why = err.isEmpty() ? " with exit code " + r.exitCode() : ": " + err;
        return FailedCommand.outcome(what + " failed" + why, r);
    }
}
