package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code expect}: runs a command on a terminal and answers its prompts. Ansible drives it with Python's pexpect on
 * the host; fleet needs no Python there and drives it with the host's {@code expect} tool instead (Debian package
 * {@code expect}), fed a generated script on standard input ({@link ExpectScript}), so the answers, often
 * passwords, appear on no command line and in no message. Patterns are regular expressions as Tcl reads them,
 * which agrees with Python's for what prompts use (no named groups or look-behind).
 */
final class ExpectModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("command").required(), Arg.dict("responses").required().noLog(),
                    Arg.path("chdir"), Arg.path("creates"), Arg.path("removes"),
                    Arg.integer("timeout").defaultsTo(30), Arg.bool("echo").defaultsTo(false))
            .build();

    public String name() {
        return "expect";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String command = ctx.str("command");
        if (command.isBlank()) {
            return new TaskOutcome(TaskStatus.FAILED, 256, "", "", "no command given", Map.of());
        }
        List<String> argv;
        try {
            argv = ShellQuote.split(command);
        } catch (ShellQuote.UnbalancedQuote e) {
            throw new ModuleException("command: " + e.getMessage());
        }
        if (ctx.check()) return TaskOutcome.skipped("remote module (expect) does not support check mode");
        String cd = ctx.has("chdir") ? "cd " + ShellQuote.quote(ctx.str("chdir")) + " && " : "";
        TaskOutcome guarded = guard(ctx, cd, command);
        if (guarded != null) return guarded;

        Map<String, List<String>> answers = new LinkedHashMap<>();
        Map<String, Boolean> repeat = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : ctx.dict("responses").entrySet()) {
            if (e.getValue() instanceof List<?> list) {
                answers.put(e.getKey(), list.stream().map(ExpectModule::text).toList());
                repeat.put(e.getKey(), false);
            } else {
                answers.put(e.getKey(), List.of(text(e.getValue())));
                repeat.put(e.getKey(), true);
            }
        }
        Integer timeout = ctx.has("timeout") ? ctx.integer("timeout") : null;
        String script = ExpectScript.build(argv, answers, repeat, timeout, ctx.bool("echo"));
        String line = cd + "if command -v expect >/dev/null 2>&1; then exec expect -; else echo"
                + " 'fleet-expect: no expect' >&2; exit " + ExpectScript.MARKER_EXIT + "; fi";
        CommandResult r = ctx.session().exec(line, script.getBytes(StandardCharsets.UTF_8), ctx.timeout());
        return outcome(r, command, argv.get(0), new ArrayList<>(answers.keySet()));
    }

    /** creates/removes, looked at from chdir as Ansible does (it changes directory first). */
    private static TaskOutcome guard(ModuleContext ctx, String cd, String command) throws TransportException {
        String creates = ctx.str("creates");
        if (creates != null && exists(ctx, cd, creates)) {
            return new TaskOutcome(TaskStatus.OK, 0, "skipped, since " + creates + " exists", "", "",
                    Map.of("cmd", command));
        }
        String removes = ctx.str("removes");
        if (removes != null && !exists(ctx, cd, removes)) {
            return new TaskOutcome(TaskStatus.OK, 0, "skipped, since " + removes + " does not exist", "", "",
                    Map.of("cmd", command));
        }
        return null;
    }

    private static boolean exists(ModuleContext ctx, String cd, String path) throws TransportException {
        return ctx.session().exec(cd + "test -e " + ShellQuote.quote(path), ctx.timeout()).exitCode() == 0;
    }

    /** Python's str() of an answer: numbers and booleans as YAML gave them. */
    private static String text(Object v) {
        if (v instanceof Boolean b) return b ? "True" : "False";
        return String.valueOf(v);
    }

    static TaskOutcome outcome(CommandResult r, String command, String argv0, List<String> patterns) {
        // Ansible strips the trailing carriage returns and line feeds of the terminal output.
        String out = CommandRunner.stripLineEnds(r.stdout());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cmd", command);
        data.put("start", r.start().toString());
        data.put("end", r.end().toString());
        String err = r.stderr();
        if (r.exitCode() == ExpectScript.MARKER_EXIT) {
            if (err.contains("fleet-expect: no expect")) {
                return new TaskOutcome(TaskStatus.FAILED, null, "", "", "the expect module needs the 'expect' tool"
                        + " on the host (Debian package expect): fleet drives the prompts with it", data);
            }
            if (err.contains(ExpectScript.NOT_FOUND)) {
                return new TaskOutcome(TaskStatus.FAILED, null, "", "", "The command was not found or was not"
                        + " executable: " + argv0 + ".", data);
            }
            if (err.contains(ExpectScript.TIMED_OUT)) {
                return new TaskOutcome(TaskStatus.FAILED, null, out, "", "command exceeded timeout", data);
            }
            int at = err.indexOf(ExpectScript.NO_RESPONSE);
            if (at >= 0) {
                String rest = err.substring(at + ExpectScript.NO_RESPONSE.length());
                int space = rest.indexOf(' ');
                int index = Integer.parseInt(rest.substring(0, space));
                String seen = CommandRunner.stripLineEnds(rest.substring(space + 1));
                return new TaskOutcome(TaskStatus.FAILED, null, "", "", "No remaining responses for '"
                        + patterns.get(index) + "', output was '" + seen + "'", Map.of());
            }
        }
        if (r.exitCode() != 0) return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), out, "",
                "non-zero return code", data);
        return new TaskOutcome(TaskStatus.CHANGED, 0, out, "", "", data);
    }

}
