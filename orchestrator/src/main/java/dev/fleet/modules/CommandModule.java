package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code command}: runs a program with arguments, not through a shell: every word is quoted, so variables
 * templated into it can never change what runs. {@code creates}/{@code removes} make it idempotent.
 */
final class CommandModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of("cmd",
            Set.of("cmd", "argv", "chdir", "creates", "removes", "stdin", "strip_empty_ends"),
            ArgSpec.requires("cmd|argv"));

    public String name() {
        return "command";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        List<String> argv = ctx.has("argv") ? ctx.stringList("argv") : ShellQuote.split(ctx.string("cmd"));
        if (argv.isEmpty()) throw new ModuleException("no command given");
        return runLine(ctx, ShellQuote.join(argv));
    }

    /** Shared by command and shell: chdir, creates/removes guards, stdin, check mode. */
    static TaskOutcome runLine(ModuleContext ctx, String line) throws TransportException, ModuleException {
        String creates = ctx.string("creates");
        String removes = ctx.string("removes");
        if (creates != null && exists(ctx, creates)) {
            return TaskOutcome.ok("skipped, since " + creates + " exists").withData(Map.of("cmd", line));
        }
        if (removes != null && !exists(ctx, removes)) {
            return TaskOutcome.ok("skipped, since " + removes + " does not exist").withData(Map.of("cmd", line));
        }
        if (ctx.check()) {
            return TaskOutcome.skipped("command would run (check mode)").withData(Map.of("cmd", line));
        }
        String full = line;
        if (ctx.has("stdin")) {
            full = "printf '%s\\n' " + ShellQuote.quote(ctx.string("stdin")) + " | " + full;
        }
        if (ctx.has("chdir")) full = "cd " + ShellQuote.quote(ctx.string("chdir")) + " && " + full;
        CommandResult r = ctx.session().exec(full, ctx.timeout());
        String out = stripTrailingNewline(r.stdout());
        String err = stripTrailingNewline(r.stderr());
        TaskStatus status = r.exitCode() == 0 ? TaskStatus.CHANGED : TaskStatus.FAILED;
        String msg = r.exitCode() == 0 ? "" : "non-zero return code";
        return new TaskOutcome(status, r.exitCode(), out, err, msg, Map.of("cmd", line,
                "start", r.start().toString(), "end", r.end().toString()));
    }

    private static boolean exists(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec("test -e " + ShellQuote.quote(path), ctx.timeout()).exitCode() == 0;
    }

    static String stripTrailingNewline(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}
