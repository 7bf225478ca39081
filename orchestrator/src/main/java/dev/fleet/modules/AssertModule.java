package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import java.util.List;
import java.util.Map;

/**
 * {@code assert}: evaluates each condition in {@code that} as Ansible's {@code when} does; the first false one
 * fails the host with {@code fail_msg} (or {@code msg}), naming the condition under {@code data.assertion}.
 */
final class AssertModule implements Module {
    /**
     * {@code that} is raw, not a list: a lone condition may contain commas ("x in [1, 2]"). {@code msg} is a
     * separate argument, not an alias of {@code fail_msg}: given both, Ansible's assert reports {@code fail_msg},
     * the opposite of the generic rule (an alias beside its canonical name wins) that ArgCheck applies.
     */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.raw("that").required(), Arg.raw("fail_msg"), Arg.raw("msg"), Arg.raw("success_msg"),
                    Arg.bool("quiet").defaultsTo(false))
            .build();

    public String name() {
        return "assert";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) {
        Object that = ctx.raw("that");
        List<String> conditions = that instanceof List<?> l
                ? l.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(that));
        boolean quiet = ctx.bool("quiet");
        for (String cond : conditions) {
            boolean ok;
            try {
                ok = ctx.templater().evaluate(stripBraces(cond), ctx.vars());
            } catch (TemplateException e) {
                return TaskOutcome.failed("The conditional check '" + cond + "' failed. The error was: "
                        + e.getMessage()).withData(Map.of("assertion", cond));
            }
            if (!ok) {
                Object failMsg = ctx.raw("fail_msg") != null ? ctx.raw("fail_msg") : ctx.raw("msg");
                // The condition is reported under 'assertion'; Ansible's default message does not repeat it.
                String msg = failMsg != null ? OutputText.text(failMsg) : "Assertion failed";
                return TaskOutcome.failed(msg).withData(Map.of("assertion", cond, "evaluated_to", false));
            }
        }
        Object success = ctx.raw("success_msg");
        String msg = success != null ? OutputText.text(success) : "All assertions passed";
        return TaskOutcome.ok(quiet ? "" : msg).withData(Map.of("msg", msg));
    }

    /** Ansible warns about, but accepts, {@code that: "{{ x }}"}; the bare expression is what it evaluates. */
    private static String stripBraces(String cond) {
        String s = cond.strip();
        if (s.startsWith("{{") && s.endsWith("}}") && s.indexOf("{{", 2) < 0) {
            return s.substring(2, s.length() - 2).strip();
        }
        return s;
    }
}
