package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
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
            return notRun("skipped, since " + creates + " exists", "Did not run command since '" + creates
                    + "' exists", line);
        }
        if (removes != null && !exists(ctx, removes)) {
            return notRun("skipped, since " + removes + " does not exist", "Did not run command since '" + removes
                    + "' does not exist", line);
        }
        if (ctx.check()) {
            // Ansible skips a command it cannot predict, but one whose creates/removes guard says it would
            // run is reported as a change, so check mode shows what a real run would do.
            String msg = "Command would have run if not in check mode";
            TaskStatus status = creates != null || removes != null ? TaskStatus.CHANGED : TaskStatus.SKIPPED;
            return new TaskOutcome(status, 0, "", "", msg, Map.of("cmd", line));
        }
        String full = line;
        if (ctx.has("stdin")) {
            String format = ctx.bool("stdin_add_newline") ? "'%s\\n' " : "'%s' ";
            full = "printf " + format + ShellQuote.quote(ctx.str("stdin")) + " | " + full;
        }
        if (ctx.has("chdir")) full = "cd " + ShellQuote.quote(ctx.str("chdir")) + " && " + full;
        CommandResult r = ctx.session().exec(full, ctx.timeout());
        boolean strip = ctx.bool("strip_empty_ends");
        String out = strip ? stripLineEnds(r.stdout()) : r.stdout();
        String err = strip ? stripLineEnds(r.stderr()) : r.stderr();
        TaskStatus status = r.exitCode() == 0 ? TaskStatus.CHANGED : TaskStatus.FAILED;
        String msg = r.exitCode() == 0 ? "" : "non-zero return code";
        Map<String, Object> data = new LinkedHashMap<>(Map.of("cmd", line,
                "start", r.start().toString(), "end", r.end().toString()));
        data.putAll(OutputText.truncation(r));
        return new TaskOutcome(status, r.exitCode(), out, err, msg, data);
    }

    /** A guard kept the command from running: Ansible still reports rc 0 and says why in stdout and msg. */
    private static TaskOutcome notRun(String stdout, String msg, String line) {
        return new TaskOutcome(TaskStatus.OK, 0, stdout, "", msg, Map.of("cmd", line));
    }

    /** strip_empty_ends: every trailing carriage return and line feed goes, not just one newline. */
    static String stripLineEnds(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
        return s.substring(0, end);
    }

    /**
     * Whether creates/removes names something on the host. Ansible's is a glob: a pattern is expanded by the
     * host's shell, its wildcards left unquoted and everything else quoted. A plain path keeps {@code test -e}.
     */
    private static boolean exists(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec(existsTest(path), ctx.timeout()).exitCode() == 0;
    }

    static String existsTest(String path) {
        if (!hasMagic(path)) return "test -e " + ShellQuote.quote(path);
        // "./" keeps every match of a relative pattern from looking like a test operator ("-o", "!", "=").
        String word = globWord(path.startsWith("/") ? path : "./" + path);
        // One match: test -e decides. None: the pattern stays literal, as in Python's glob. Several: test
        // fails with too many arguments and the first match decides; a dangling symlink counts, as in glob.
        return "test -e " + word + " 2>/dev/null || { set -- " + word + "; [ -e \"$1\" ] || [ -L \"$1\" ]; }";
    }

    /** Python's glob.has_magic: '*', '?' or '['. */
    private static boolean hasMagic(String path) {
        return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
    }

    /** The pattern as one shell word: the wildcard characters bare, every other run of characters quoted. */
    private static String globWord(String pattern) {
        StringBuilder word = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            boolean bang = c == '!' && i > 0 && pattern.charAt(i - 1) == '[';
            if (c == '*' || c == '?' || c == '[' || c == ']' || bang) {
                if (!literal.isEmpty()) word.append(ShellQuote.quote(literal.toString()));
                literal.setLength(0);
                word.append(c);
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) word.append(ShellQuote.quote(literal.toString()));
        return word.toString();
    }
}
