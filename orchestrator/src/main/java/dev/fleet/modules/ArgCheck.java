package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How an {@link ArgSpec} is applied, in Ansible's order: aliases, unknown names, mutual exclusion, defaults,
 * required arguments, types, choices, then the other rules. Kept apart from the spec so the spec reads as a
 * declaration.
 */
final class ArgCheck {
    private ArgCheck() {}

    static Map<String, Object> run(ArgSpec spec, Map<String, Object> given, boolean literal) throws ModuleException {
        if (given.get(ArgSpec.RAW_PARAMS) != null) {
            throw new ModuleException("takes key=value arguments or a mapping, found '"
                    + String.valueOf(given.get(ArgSpec.RAW_PARAMS)).strip() + "'");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (var e : given.entrySet()) {
            String canonical = spec.canonical(e.getKey());
            if (canonical == null) {
                if (spec.anyName()) out.put(e.getKey(), e.getValue());
                else unknown.add(e.getKey());
                continue;
            }
            // As in Ansible, an alias given next to its canonical name wins.
            boolean alias = !canonical.equals(e.getKey());
            if (e.getValue() != null && (alias || !out.containsKey(canonical))) out.put(canonical, e.getValue());
        }
        if (!unknown.isEmpty()) {
            throw new ModuleException("unsupported argument" + (unknown.size() > 1 ? "s '" : " '")
                    + String.join("', '", unknown) + "'; expected " + spec.describeNames());
        }
        for (ArgRule r : spec.rules()) {
            if (r instanceof ArgRule.MutuallyExclusive) fail(r.violation(out, Set.of()));
        }
        List<String> missing = new ArrayList<>();
        for (Arg a : spec.args().values()) {
            if (!out.containsKey(a.name()) && a.defaultValue() != null) out.put(a.name(), a.defaultValue());
            if (a.isRequired() && !out.containsKey(a.name())) missing.add(a.name());
        }
        if (!missing.isEmpty()) {
            String example = missing.contains(spec.freeForm()) ? " (free-form text, e.g. '<module>: <command line>')"
                    : "";
            throw new ModuleException("missing required arguments: " + String.join(", ", missing) + example);
        }
        Set<String> templated = new LinkedHashSet<>();
        for (Arg a : spec.args().values()) {
            Object v = out.get(a.name());
            if (v == null) continue;
            if (literal && isTemplated(v)) {
                templated.add(a.name());
                continue;
            }
            Object converted;
            try {
                converted = a.type().convert(v);
            } catch (ArgType.Mismatch e) {
                throw new ModuleException("argument '" + a.name() + "' must be " + a.type().label() + ", "
                        + (a.isNoLog() ? "got a value that is not (not shown: no_log)" : e.getMessage()));
            }
            out.put(a.name(), checkChoice(a, v, converted));
        }
        for (ArgRule r : spec.rules()) {
            if (!(r instanceof ArgRule.MutuallyExclusive)) fail(r.violation(out, templated));
        }
        return out;
    }

    private static void fail(java.util.Optional<String> violation) throws ModuleException {
        if (violation.isPresent()) throw new ModuleException(violation.get());
    }

    private static Object checkChoice(Arg a, Object written, Object value) throws ModuleException {
        if (a.choices().isEmpty()) return value;
        List<?> values = value instanceof List<?> l ? l : List.of(value);
        List<Object> out = new ArrayList<>();
        for (Object v : values) {
            Object c = v;
            // YAML reads a bare yes/no as a boolean; map it back when exactly one such choice exists (Ansible does).
            if (!a.choices().contains(c) && written instanceof Boolean b && !(a.type() instanceof ArgType.Bool)) {
                List<Object> words = a.choices().stream()
                        .filter(ch -> ch instanceof String s && isBoolWord(s, b)).toList();
                if (words.size() == 1) c = words.get(0);
            }
            if (!a.choices().contains(c)) {
                throw new ModuleException("argument '" + a.name() + "' must be one of " + a.choices() + ", got "
                        + (a.isNoLog() ? "another value (not shown: no_log)" : "'" + v + "'"));
            }
            out.add(c);
        }
        return value instanceof List<?> ? List.copyOf(out) : out.get(0);
    }

    private static boolean isBoolWord(String s, boolean b) {
        try {
            return ArgType.BOOL.convert(s).equals(b);
        } catch (ArgType.Mismatch e) {
            return false;
        }
    }

    /** Whether a value still holds a template, anywhere inside it. */
    static boolean isTemplated(Object v) {
        if (v instanceof String s) return s.contains("{{") || s.contains("{%");
        if (v instanceof List<?> l) return l.stream().anyMatch(ArgCheck::isTemplated);
        if (v instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(ArgCheck::isTemplated)
                    || m.keySet().stream().anyMatch(ArgCheck::isTemplated);
        }
        return false;
    }

    /** Catches mistakes in a module's own spec when it is built, so they never reach a playbook. */
    static void sanity(ArgSpec spec) {
        Map<String, Arg> args = spec.args();
        if (spec.freeForm() != null && !args.containsKey(spec.freeForm())) {
            throw new IllegalStateException("free-form argument '" + spec.freeForm() + "' is not declared");
        }
        for (Arg a : args.values()) {
            if (a.defaultValue() == null) continue;
            try {
                if (!a.type().convert(a.defaultValue()).equals(a.defaultValue())) {
                    throw new IllegalStateException("default of '" + a.name() + "' is not a " + a.type().label());
                }
            } catch (ArgType.Mismatch e) {
                throw new IllegalStateException("default of '" + a.name() + "' is not a " + a.type().label(), e);
            }
            if (!a.choices().isEmpty() && !a.choices().contains(a.defaultValue())) {
                throw new IllegalStateException("default of '" + a.name() + "' is not one of its choices");
            }
        }
        for (ArgRule r : spec.rules()) {
            List<String> named = switch (r) {
                case ArgRule.MutuallyExclusive m -> m.names();
                case ArgRule.RequiredTogether t -> t.names();
                case ArgRule.RequiredOneOf o -> o.names();
                case ArgRule.RequiredIf i -> concat(i.key(), i.then());
                case ArgRule.RequiredBy b -> concat(b.key(), b.then());
            };
            for (String n : named) {
                if (!args.containsKey(n)) {
                    throw new IllegalStateException("rule " + r + " names '" + n + "', not a declared argument"
                            + " (use canonical names, not aliases)");
                }
            }
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }
}
