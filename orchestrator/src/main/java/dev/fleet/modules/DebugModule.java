package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code debug}: prints a message ({@code msg}) or a variable ({@code var}); runs nothing on the host. */
final class DebugModule implements Module {
    /** verbosity is accepted and checked; fleet shows debug output at every verbosity. */
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.raw("msg").defaultsTo("Hello world!"), Arg.raw("var"), Arg.integer("verbosity").defaultsTo(0))
            .mutuallyExclusive("msg", "var")
            .build();

    /** What Ansible shows for a {@code var} that is not defined. */
    static final String UNDEFINED = "VARIABLE IS NOT DEFINED!";

    public String name() {
        return "debug";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) {
        Map<String, Object> data = new LinkedHashMap<>();
        // verbosity: shown only from that many -v on (ansible_verbosity, which the engine sets from -v)
        int verbosity = ctx.integer("verbosity");
        Object level = ctx.vars().get("ansible_verbosity");
        int running = level instanceof Number n ? n.intValue() : 0;
        if (verbosity > running) {
            return TaskOutcome.skipped("Verbosity threshold not met.")
                    .withData(Map.of("skipped_reason", "Verbosity threshold not met."));
        }
        if (ctx.has("var")) {
            String var = String.valueOf(ctx.raw("var")).strip();
            if (var.startsWith("{{") && var.endsWith("}}")) var = var.substring(2, var.length() - 2).strip();
            Object value;
            try {
                value = ctx.templater().render("{{ " + var + " }}", ctx.vars());
            } catch (TemplateException e) {
                value = UNDEFINED;
            }
            data.put(var, value == null ? "None" : value);
            return TaskOutcome.ok(var + ": " + OutputText.text(value)).withData(data);
        }
        Object msg = ctx.raw("msg");
        data.put("msg", msg);
        return TaskOutcome.ok(OutputText.text(msg)).withData(data);
    }
}
