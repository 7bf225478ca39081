package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;

/** What {@code command} and {@code shell} share: their common arguments and how a command line is run. */
final class CommandRunner {
    private CommandRunner() {}

    /** The arguments both modules take; each adds its own (argv, executable). */
    static final List<Arg> ARGS = List.of(Arg.path("chdir"), Arg.path("creates"), Arg.path("removes"),
            Arg.str("stdin"), Arg.bool("stdin_add_newline").defaultsTo(true),
            Arg.bool("strip_empty_ends").defaultsTo(true));

    /** Runs {@code line} with chdir, the creates/removes guards, stdin and check mode. */
    static TaskOutcome run(ModuleContext ctx, String line) throws TransportException {
        String creates = ctx.str("creates");
        String removes = ctx.str("removes");
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
            String format = ctx.bool("stdin_add_newline") ? "'%s\\n' " : "'%s' ";
            full = "printf " + format + ShellQuote.quote(ctx.str("stdin")) + " | " + full;
        }
        if (ctx.has("chdir")) full = "cd " + ShellQuote.quote(ctx.str("chdir")) + " && " + full;
        CommandResult r = ctx.session().exec(full, ctx.timeout());
        String out = OutputText.stripTrailingNewline(r.stdout());
        String err = OutputText.stripTrailingNewline(r.stderr());
        TaskStatus status = r.exitCode() == 0 ? TaskStatus.CHANGED : TaskStatus.FAILED;
        String msg = r.exitCode() == 0 ? "" : "non-zero return code";
        return new TaskOutcome(status, r.exitCode(), out, err, msg, Map.of("cmd", line,
                "start", r.start().toString(), "end", r.end().toString()));
    }

    private static boolean exists(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec("test -e " + ShellQuote.quote(path), ctx.timeout()).exitCode() == 0;
    }
}
