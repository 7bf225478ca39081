package dev.fleet.engine;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code validate_argument_spec} task a role with an argument spec starts with: the variables the role sees,
 * checked against {@code required}, {@code type} and {@code choices} as Ansible's validator does (a value that
 * converts, such as "80" for an int, passes). Defaults in the spec are documentation: Ansible 2.14 does not set them.
 */
final class ArgumentSpecCheck {
    private ArgumentSpecCheck() {}

    static TaskOutcome run(Map<String, Object> args, Map<String, Object> vars, Templater templater)
            throws TemplateException {
        Map<?, ?> spec = args.get("argument_spec") instanceof Map<?, ?> m ? m : Map.of();
        List<String> errors = new ArrayList<>();
        List<String> choiceErrors = new ArrayList<>(); // Ansible reports them after every type error
        TreeSet<String> missing = new TreeSet<>();
        for (var e : spec.entrySet()) {
            String name = String.valueOf(e.getKey());
            Map<?, ?> option = e.getValue() instanceof Map<?, ?> o ? o : Map.of();
            Object raw = vars.get(name);
            if (raw == null) {
                if (Boolean.TRUE.equals(option.get("required"))) missing.add(name);
                continue;
            }
            Object value = raw instanceof String s && Templater.isTemplated(s) ? templater.render(s, vars) : raw;
            String type = option.get("type") == null ? "str" : String.valueOf(option.get("type"));
            if (!converts(value, type)) {
                errors.add("argument '" + name + "' is of type " + typeName(value)
                        + " and we were unable to convert to " + type);
                continue;
            }
            if (option.get("choices") instanceof List<?> choices
                    && choices.stream().noneMatch(c -> String.valueOf(c).equals(String.valueOf(value)))) {
                choiceErrors.add("value of " + name + " must be one of: " + String.join(", ",
                        choices.stream().map(String::valueOf).toList()) + ", got: " + value);
            }
        }
        errors.addAll(choiceErrors);
        if (!missing.isEmpty()) errors.addFirst("missing required arguments: " + String.join(", ", missing));
        if (errors.isEmpty()) return TaskOutcome.ok("The arg spec validation passed");
        return TaskOutcome.failed("Validation of arguments failed:\n" + String.join("\n", errors))
                .withData(Map.of("argument_errors", errors));
    }

    private static boolean converts(Object v, String type) {
        String s = String.valueOf(v).strip();
        return switch (type) {
            case "int" -> v instanceof Integer || v instanceof Long || s.matches("[-+]?\\d+");
            case "float" -> v instanceof Number || s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
            case "bool" -> v instanceof Boolean || List.of("0", "1", "yes", "no", "y", "n", "t", "f", "on", "off",
                    "true", "false").contains(s.toLowerCase());
            case "list" -> v instanceof List || v instanceof String || v instanceof Number;
            case "dict" -> v instanceof Map;
            case "str", "path" -> !(v instanceof Map) && !(v instanceof List);
            default -> true;
        };
    }

    private static String typeName(Object v) {
        return v instanceof Map ? "dict" : v instanceof List ? "list" : v instanceof Boolean ? "bool"
                : v instanceof Number ? (v instanceof Integer || v instanceof Long ? "int" : "float") : "str";
    }
}
