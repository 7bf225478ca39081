package dev.fleet.modules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules between the nested options of a dict option in an argument spec given as data, checked as Ansible
 * checks them after types and choices: {@code required_together}, {@code required_one_of}, {@code required_if},
 * {@code required_by}, in that order; each kind of rule reports its first failure only, in Ansible's words.
 * ({@code mutually_exclusive} is checked earlier, before defaults, by {@link SpecValidation}.)
 */
final class SpecRules {
    private SpecRules() {}

    /** For each kind of rule of {@code option}, its first one that {@code params} break (Ansible's message). */
    static List<String> check(Map<?, ?> option, Map<String, Object> params) {
        List<String> out = new ArrayList<>();
        requiredTogether(option, params).ifPresent(out::add);
        requiredOneOf(option, params).ifPresent(out::add);
        if (option.get("required_if") instanceof List<?> conditions) {
            for (Object c : conditions) {
                Optional<String> broken = requiredIf(c, params);
                if (broken.isPresent()) {
                    out.add(broken.get());
                    break;
                }
            }
        }
        requiredBy(option, params).ifPresent(out::add);
        return out;
    }

    private static Optional<String> requiredTogether(Map<?, ?> option, Map<String, Object> params) {
        for (List<String> group : groups(option.get("required_together"))) {
            long given = group.stream().filter(params::containsKey).count();
            if (given > 0 && given < group.size()) {
                return Optional.of("parameters are required together: " + String.join(", ", group));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> requiredOneOf(Map<?, ?> option, Map<String, Object> params) {
        for (List<String> group : groups(option.get("required_one_of"))) {
            if (group.stream().noneMatch(params::containsKey)) {
                return Optional.of("one of the following is required: " + String.join(", ", group));
            }
        }
        return Optional.empty();
    }

    private static Optional<String> requiredBy(Map<?, ?> option, Map<String, Object> params) {
        if (option.get("required_by") instanceof Map<?, ?> by) {
            for (var e : by.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (params.get(key) == null) continue;
                List<String> missing = new ArrayList<>();
                for (String needed : names(e.getValue())) if (params.get(needed) == null) missing.add(needed);
                if (!missing.isEmpty()) {
                    return Optional.of("missing parameter(s) required by '" + key + "': " + String.join(", ", missing));
                }
            }
        }
        return Optional.empty();
    }

    /** {@code [key, value, [names]]} or {@code [key, value, [names], true]} (any one of them is enough). */
    private static Optional<String> requiredIf(Object condition, Map<String, Object> params) {
        if (!(condition instanceof List<?> c) || c.size() < 3) return Optional.empty();
        String key = String.valueOf(c.get(0));
        boolean anyOf = c.size() > 3 && Boolean.TRUE.equals(c.get(3));
        if (!params.containsKey(key) || !SpecTypeChecks.pyEquals(params.get(key), c.get(1))) return Optional.empty();
        List<String> needed = names(c.get(2));
        List<String> missing = needed.stream().filter(n -> !params.containsKey(n)).toList();
        if (missing.isEmpty() || (anyOf && missing.size() < needed.size())) return Optional.empty();
        return Optional.of(key + " is " + SpecTypeChecks.pyStr(c.get(1)) + " but " + (anyOf ? "any" : "all")
                + " of the following are missing: " + String.join(", ", missing));
    }

    /** A list of groups of names (a lone name counts as a group of one). */
    static List<List<String>> groups(Object value) {
        List<List<String>> out = new ArrayList<>();
        if (value instanceof List<?> l) for (Object g : l) out.add(names(g));
        return out;
    }

    private static List<String> names(Object value) {
        if (value instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
