package dev.fleet.modules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Values checked against an argument spec given as data (a role's {@code meta/argument_specs.yml}, the
 * {@code argument_spec} of {@code validate_argument_spec}), in the order and with the messages of Ansible's
 * ArgumentSpecValidator: aliases, unsupported names, defaults, required, types and list elements, choices, then
 * the nested {@code options} of dicts and lists of dicts, level by level; unsupported names are reported last in
 * one message. Defaults take part in the check but are not handed back: Ansible 2.14 does not set them as
 * variables.
 */
final class SpecValidation {
    private final List<String> errors = new ArrayList<>();
    /** Unsupported names (dotted, with their context) to the supported names of their level. */
    private final Map<String, String> unsupported = new TreeMap<>();

    private SpecValidation() {}

    /** Ansible's error messages for {@code params} against {@code spec}; empty when they are valid. */
    static List<String> validate(Map<String, Object> spec, Map<String, Object> params) {
        SpecValidation v = new SpecValidation();
        Map<String, Object> values = new LinkedHashMap<>(params);
        v.level(options(spec), Map.of(), values, new ArrayList<>());
        if (!v.unsupported.isEmpty()) {
            // as Ansible: every unsupported name, and the supported names of the last one's level
            String last = ((TreeMap<String, String>) v.unsupported).lastKey();
            v.errors.add(String.join(", ", v.unsupported.keySet()) + ". Supported parameters include: "
                    + v.unsupported.get(last) + ".");
        }
        return List.copyOf(v.errors);
    }

    /**
     * One level of options: the top, or the entries of a dict option's {@code options}, then {@code rules} holds
     * that option's rules between them ({@code mutually_exclusive}, {@code required_together}, ...).
     */
    private void level(Map<String, Map<?, ?>> spec, Map<?, ?> rules, Map<String, Object> params,
            List<String> context) {
        Map<String, String> aliases = aliases(spec, params);
        noLogWalk(spec, params);
        for (String k : params.keySet()) {
            if (spec.containsKey(k) || aliases.containsKey(k)) continue;
            List<String> where = new ArrayList<>(context);
            where.add(k);
            String supported = String.join(", ", new TreeSet<>(spec.keySet()));
            if (!aliases.isEmpty()) supported += " (" + String.join(", ", new TreeSet<>(aliases.keySet())) + ")";
            unsupported.put(String.join(".", where), supported);
        }
        mutuallyExclusive(rules.get("mutually_exclusive"), params, context);
        spec.forEach((k, o) -> {
            if (!params.containsKey(k) && o.get("default") != null) params.put(k, o.get("default"));
        });
        TreeSet<String> missing = new TreeSet<>();
        spec.forEach((k, o) -> {
            if (isTrue(o.get("required")) && !params.containsKey(k)) missing.add(k);
        });
        if (!missing.isEmpty()) errors.add(found("missing required arguments: " + String.join(", ", missing), context));
        spec.forEach((k, o) -> types(k, o, params, context));
        spec.forEach((k, o) -> choices(k, o, params, context));
        SpecRules.check(rules, params).forEach(msg -> errors.add(found(msg, context)));
        spec.forEach((k, o) -> params.putIfAbsent(k, null));
        spec.forEach((k, o) -> nested(k, o, params, context));
    }

    private void mutuallyExclusive(Object groups, Map<String, Object> params, List<String> context) {
        List<String> clashes = new ArrayList<>();
        for (List<String> group : SpecRules.groups(groups)) {
            if (group.stream().filter(params::containsKey).count() > 1) clashes.add(String.join("|", group));
        }
        if (!clashes.isEmpty()) {
            errors.add(found("parameters are mutually exclusive: " + String.join(", ", clashes), context));
        }
    }

    /** Each alias given sets its option; a spec with both required and default is an error, as in Ansible. */
    private Map<String, String> aliases(Map<String, Map<?, ?>> spec, Map<String, Object> params) {
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : spec.entrySet()) {
            Map<?, ?> o = e.getValue();
            if (o.get("default") != null && isTrue(o.get("required"))) {
                errors.add("internal error: required and default are mutually exclusive for " + e.getKey());
                return Map.of();
            }
            Object names = o.get("aliases");
            if (names == null) continue;
            if (!(names instanceof List<?> list)) {
                errors.add("internal error: aliases must be a list or tuple");
                return Map.of();
            }
            for (Object a : list) {
                String alias = String.valueOf(a);
                out.put(alias, e.getKey());
                if (params.containsKey(alias)) params.put(e.getKey(), params.get(alias));
            }
        }
        return out;
    }

    /**
     * Ansible walks the nested options once first (looking for no_log values) and reports there a nested value
     * that is a string and not a dict; the type check reports it again, as Ansible does.
     */
    private void noLogWalk(Map<String, Map<?, ?>> spec, Map<String, Object> params) {
        for (var e : spec.entrySet()) {
            Map<?, ?> o = e.getValue();
            Object value = params.get(e.getKey());
            if (!(o.get("options") instanceof Map<?, ?>) || value == null || !takesOptions(o)) continue;
            for (Object item : value instanceof List<?> l ? l : List.of(value)) {
                Object sub = item;
                if (item instanceof String s) {
                    try {
                        sub = SpecTypeChecks.dict(s);
                    } catch (SpecTypeChecks.Unconvertible u) {
                        errors.add(u.getMessage());
                        return;
                    }
                }
                if (!(sub instanceof Map<?, ?> m)) {
                    errors.add("Value '" + SpecTypeChecks.pyStr(sub) + "' in the sub parameter field '" + e.getKey()
                            + "' must by a " + o.get("type") + ", not '" + pyTypeName(sub) + "'");
                    return;
                }
                noLogWalk(options(o.get("options")), strings(m));
            }
        }
    }

    private void types(String name, Map<?, ?> o, Map<String, Object> params, List<String> context) {
        Object value = params.get(name);
        if (value == null) return;
        String type = o.get("type") == null ? "str" : String.valueOf(o.get("type"));
        Object converted;
        try {
            converted = SpecTypeChecks.convert(type, value);
        } catch (SpecTypeChecks.Unconvertible e) {
            errors.add("argument '" + name + "' is of type " + SpecTypeChecks.pyType(value)
                    + (context.isEmpty() ? "" : " found in '" + String.join(" -> ", context) + "'.")
                    + " and we were unable to convert to " + type + ": " + e.getMessage());
            return;
        }
        params.put(name, converted);
        if (o.get("elements") == null) return;
        String elements = String.valueOf(o.get("elements"));
        if (!type.equals("list") || !(converted instanceof List<?>)) {
            errors.add("Invalid type " + type + " for option '" + SpecTypeChecks.pyStr(converted) + "'"
                    + (context.isEmpty() ? "" : " found in '" + String.join(" -> ", context) + "'.")
                    + ", elements value check is supported only with 'list' type");
        }
        List<Object> items = new ArrayList<>();
        for (Object item : converted instanceof List<?> l ? l : List.of(converted)) {
            try {
                items.add(SpecTypeChecks.convert(elements, item));
            } catch (SpecTypeChecks.Unconvertible e) {
                errors.add("Elements value for option '" + name + "'"
                        + (context.isEmpty() ? "" : " found in '" + String.join(" -> ", context) + "'")
                        + " is of type " + SpecTypeChecks.pyType(item) + " and we were unable to convert to "
                        + elements + ": " + e.getMessage());
            }
        }
        params.put(name, items);
    }

    private void choices(String name, Map<?, ?> o, Map<String, Object> params, List<String> context) {
        Object choices = o.get("choices");
        if (choices == null) return;
        if (!(choices instanceof List<?> allowed)) {
            errors.add(found("internal error: choices for argument " + name + " are not iterable: "
                    + SpecTypeChecks.pyStr(choices), context));
            return;
        }
        if (!params.containsKey(name)) return;
        Object value = params.get(name);
        String shown = String.join(", ", allowed.stream().map(SpecTypeChecks::pyStr).toList());
        if (value instanceof List<?> items) {
            List<String> off = items.stream()
                    .filter(i -> allowed.stream().noneMatch(c -> SpecTypeChecks.pyEquals(i, c)))
                    .map(SpecTypeChecks::pyStr).toList();
            if (!off.isEmpty()) {
                errors.add(found("value of " + name + " must be one or more of: " + shown + ". Got no match for: "
                        + String.join(", ", off), context));
            }
        } else if (allowed.stream().noneMatch(c -> SpecTypeChecks.pyEquals(value, c))) {
            errors.add(found("value of " + name + " must be one of: " + shown + ", got: "
                    + SpecTypeChecks.pyStr(value), context));
        }
    }

    /** A dict (or list of dicts) option with {@code options}: each of its values checked as a level of its own. */
    private void nested(String name, Map<?, ?> o, Map<String, Object> params, List<String> context) {
        if (!takesOptions(o) || !(o.get("options") instanceof Map<?, ?> sub)) return;
        Object value = params.get(name);
        if (value == null && isTrue(o.get("apply_defaults"))) {
            value = new LinkedHashMap<String, Object>();
            params.put(name, value);
        }
        if (value == null) return;
        List<String> inner = new ArrayList<>(context);
        inner.add(name);
        List<Object> checked = new ArrayList<>();
        for (Object item : value instanceof List<?> l ? l : List.of(value)) {
            if (!(item instanceof Map<?, ?> m)) {
                errors.add("value of '" + name + "' must be of type dict or list of dicts");
                checked.add(item);
                continue;
            }
            Map<String, Object> values = strings(m);
            level(options(sub), o, values, inner);
            checked.add(values);
        }
        params.put(name, value instanceof List<?> ? checked : checked.getFirst());
    }

    private static boolean takesOptions(Map<?, ?> o) {
        return "dict".equals(o.get("type")) || ("list".equals(o.get("type")) && "dict".equals(o.get("elements")));
    }

    /** The options of a spec level, each as a mapping (a non-mapping spec counts as empty). */
    static Map<String, Map<?, ?>> options(Object spec) {
        Map<String, Map<?, ?>> out = new LinkedHashMap<>();
        if (spec instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v instanceof Map<?, ?> o ? o : Map.of()));
        }
        return out;
    }

    private static Map<String, Object> strings(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String found(String msg, List<String> context) {
        return context.isEmpty() ? msg : msg + " found in " + String.join(" -> ", context);
    }

    private static boolean isTrue(Object v) {
        return Boolean.TRUE.equals(v) || (v instanceof String s && List.of("yes", "true", "on", "1", "y", "t")
                .contains(s.strip().toLowerCase(java.util.Locale.ROOT)));
    }

    private static String pyTypeName(Object v) {
        String t = SpecTypeChecks.pyType(v);
        return t.substring("<class '".length(), t.length() - 2);
    }
}
