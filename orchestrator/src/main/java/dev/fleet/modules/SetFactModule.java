package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code set_fact}: sets host variables. The arguments, already rendered, become {@code data.ansible_facts},
 * which the engine merges into the host's variables. {@code cacheable} is accepted and ignored.
 */
final class SetFactModule implements Module {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public String name() {
        return "set_fact";
    }

    /** Any argument name: set_fact's arguments are the variables it sets. {@code cacheable} is accepted, unused. */
    private static final ArgSpec SPEC = ArgSpec.builder().add(Arg.bool("cacheable").defaultsTo(false)).anyName()
            .build();

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws ModuleException {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (var e : ctx.args().entrySet()) {
            if (e.getKey().equals("cacheable")) continue;
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new ModuleException("The variable name '" + e.getKey() + "' is not valid. Variables must start"
                        + " with a letter or underscore character, and contain only letters, numbers and underscores.");
            }
            facts.put(e.getKey(), boolish(e.getValue()));
        }
        if (facts.isEmpty()) {
            return TaskOutcome.failed(
                    "No key/value pairs provided, at least one is required for this action to succeed");
        }
        return TaskOutcome.ok("").withData(Map.of("ansible_facts", facts));
    }

    /**
     * Ansible's set_fact (without jinja2_native, the default) turns the strings true/false/yes/no, in any case,
     * into booleans, whether they came from key=value text or YAML; "on", "1" and "y" stay strings.
     */
    private static Object boolish(Object value) {
        if (!(value instanceof String s)) return value;
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes" -> Boolean.TRUE;
            case "false", "no" -> Boolean.FALSE;
            default -> value;
        };
    }
}
