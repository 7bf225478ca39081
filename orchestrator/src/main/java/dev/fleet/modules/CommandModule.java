package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.List;
import java.util.Map;

/**
 * {@code command}: runs a program with arguments, not through a shell: every word is quoted, so variables
 * templated into it can never change what runs. {@code creates}/{@code removes} make it idempotent.
 */
final class CommandModule implements Module {
    /** What command and shell share; each adds its own. */
    static final List<Arg> COMMON = List.of(Arg.path("chdir"), Arg.path("creates"), Arg.path("removes"),
            Arg.str("stdin"), Arg.bool("stdin_add_newline").defaultsTo(true),
            Arg.bool("strip_empty_ends").defaultsTo(true));

    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm("cmd")
            .add(Arg.str("cmd"), Arg.list("argv", ArgType.STR))
            .add(COMMON)
            .mutuallyExclusive("cmd", "argv")
            .requiredOneOf("cmd", "argv")
            .build();

    public String name() {
        return "command";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        List<String> argv;
        if (ctx.has("argv")) {
            argv = ctx.strings("argv");
        } else {
            try {
                argv = ShellQuote.split(ctx.str("cmd"));
            } catch (ShellQuote.UnbalancedQuote e) {
                throw new ModuleException(e.getMessage());
            }
        }
        if (argv.isEmpty()) throw new ModuleException("no command given");
        return runLine(ctx, ShellQuote.join(argv));
    }

    /** Shared by command and shell: chdir, creates/removes guards, stdin, check mode. */
    static TaskOutcome runLine(ModuleContext ctx, String line) throws TransportException {
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
