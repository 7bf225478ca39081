package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code debconf}: reads a package's debconf answers with {@code debconf-show NAME} and, given a
 * {@code question}, sets it with {@code debconf-set-selections} ({@code -u} for {@code unseen}) when its value
 * differs, booleans compared case-insensitively, as Ansible does. Without a question it only reports
 * {@code current}. The answer reaches the host on standard input, never on a command line, and the answer to a
 * {@code password} question is never shown in the result (Ansible's no_log placeholder stands in for it).
 */
final class DebconfModule implements Module {
    /** What Ansible shows in place of a no_log value. */
    static final String HIDDEN = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER";

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("name").required().aliases("pkg"), Arg.str("question").aliases("selection", "setting"),
                    Arg.str("vtype").choices("boolean", "error", "multiselect", "note", "password", "seen",
                            "select", "string", "text", "title"),
                    Arg.str("value").aliases("answer").noLog(), Arg.bool("unseen").defaultsTo(false))
            .requiredTogether("question", "vtype", "value")
            .build();

    public String name() {
        return "debconf";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        String pkg = ctx.str("name");
        String question = ctx.str("question");
        String vtype = ctx.str("vtype");
        String value = ctx.str("value");
        CommandResult shown = ctx.session().exec("debconf-show " + ShellQuote.quote(pkg), ctx.timeout());
        if (shown.exitCode() != 0) return failed(shown.stderr(), shown);
        Map<String, String> prev = parse(shown.stdout());
        boolean secret = "password".equals(vtype);
        if (question == null) return TaskOutcome.ok("").withData(Map.of("current", prev));
        if (vtype.equals("boolean")) {
            // Ansible turns a YAML boolean into "True"/"False"; debconf says "true"/"false".
            value = value.toLowerCase(Locale.ROOT);
        }
        String existing = prev.get(question);
        boolean changed = existing == null
                || !value.equals(vtype.equals("boolean") ? existing.toLowerCase(Locale.ROOT) : existing);
        if (!changed) return TaskOutcome.ok("").withData(Map.of("current", prev));
        String msg = "";
        if (!ctx.check()) {
            String line = String.join(" ", pkg, question, vtype, value);
            CommandResult set = ctx.session().exec("debconf-set-selections" + (ctx.bool("unseen") ? " -u" : ""),
                    line.getBytes(StandardCharsets.UTF_8), ctx.timeout());
            if (set.exitCode() != 0) return failed(set.stderr(), set);
            msg = set.stdout();
        }
        String shownValue = secret ? HIDDEN : value;
        // As Ansible: the old answer alone, or, for a question debconf did not know, every answer plus it as "".
        Map<String, Object> previous = new LinkedHashMap<>();
        if (existing == null) previous.putAll(prev);
        previous.put(question, existing == null ? "" : secret ? HIDDEN : existing);
        Map<String, Object> current = Map.of(question, shownValue);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("current", current);
        data.put("previous", previous);
        if (ctx.diff()) {
            Map<String, Object> after = new LinkedHashMap<>(previous);
            after.putAll(current);
            data.put("diff", Map.of("before", previous, "after", after));
        }
        return TaskOutcome.changed(msg).withData(data);
    }

    /** {@code debconf-show}'s {@code "* tzdata/Areas: Etc"} lines as question to answer; '*' marks seen ones. */
    static Map<String, String> parse(String stdout) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String key = line.substring(0, colon).strip();
            while (key.startsWith("*")) key = key.substring(1);
            out.put(key.strip(), line.substring(colon + 1).strip());
        }
        return out;
    }

    private static TaskOutcome failed(String stderr, CommandResult r) {
        String err = stderr.strip();
        return FailedCommand.outcome(err.isEmpty() ? "debconf failed with exit code " + r.exitCode() : err, r);
    }
}
