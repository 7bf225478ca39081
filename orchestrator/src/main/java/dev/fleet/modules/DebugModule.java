package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code debug}: prints a message ({@code msg}) or a variable ({@code var}); runs nothing on the host. */
final class DebugModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of(null, Set.of("msg", "var", "verbosity"), java.util.List.of());

    /** What Ansible shows for a {@code var} that is not defined. */
    static final String UNDEFINED = "VARIABLE IS NOT DEFINED!";

    public String name() {
        return "debug";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws ModuleException {
        if (ctx.has("msg") && ctx.has("var")) throw new ModuleException("parameters are mutually exclusive: msg|var");
        ctx.integer("verbosity", 0); // accepted, validated; fleet shows debug output at every verbosity
        Map<String, Object> data = new LinkedHashMap<>();
        if (ctx.has("var")) {
            String var = ctx.string("var").strip();
            if (var.startsWith("{{") && var.endsWith("}}")) var = var.substring(2, var.length() - 2).strip();
            Object value;
            try {
                value = ctx.templater().render("{{ " + var + " }}", ctx.vars());
            } catch (TemplateException e) {
                value = UNDEFINED;
            }
            data.put(var, value == null ? "None" : value);
            return TaskOutcome.ok(var + ": " + text(value)).withData(data);
        }
        Object msg = ctx.args().get("msg");
        if (msg == null) msg = "Hello world!";
        data.put("msg", msg);
        return TaskOutcome.ok(text(msg)).withData(data);
    }

    /** A value as people read it: strings as they are, Python-style booleans and None, JSON-ish otherwise. */
    static String text(Object value) {
        if (value == null) return "None";
        if (value instanceof String s) return s;
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof Map<?, ?> || value instanceof java.util.List<?>) {
            try {
                return io.vertx.core.json.Json.encode(value);
            } catch (RuntimeException e) {
                return String.valueOf(value);
            }
        }
        return String.valueOf(value);
    }
}
