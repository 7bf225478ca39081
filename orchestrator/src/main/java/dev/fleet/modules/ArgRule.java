package dev.fleet.modules;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A rule over several arguments of one module, as Ansible's {@code mutually_exclusive}, {@code required_together},
 * {@code required_one_of}, {@code required_if} and {@code required_by}. An argument counts as given when it has a
 * non-null value, defaults included (Ansible checks these rules after applying defaults, except
 * {@code mutually_exclusive}, which {@link ArgSpec} checks before).
 */
public sealed interface ArgRule {

    /**
     * What is wrong with {@code args}, in Ansible's words, or empty.
     *
     * @param args      the arguments by canonical name, converted to their types
     * @param templated names whose value is still a template (at parse time): rules that depend on such a value
     *                  are left for run time
     */
    Optional<String> violation(Map<String, Object> args, Set<String> templated);

    /** At most one of {@code names}. */
    record MutuallyExclusive(List<String> names) implements ArgRule {
        public MutuallyExclusive {
            names = List.copyOf(names);
        }

        public Optional<String> violation(Map<String, Object> args, Set<String> templated) {
            return given(names, args).size() > 1
                    ? Optional.of("parameters are mutually exclusive: " + String.join("|", names)) : Optional.empty();
        }
    }

    /** All of {@code names} or none. */
    record RequiredTogether(List<String> names) implements ArgRule {
        public RequiredTogether {
            names = List.copyOf(names);
        }

        public Optional<String> violation(Map<String, Object> args, Set<String> templated) {
            int n = given(names, args).size();
            return n > 0 && n < names.size()
                    ? Optional.of("parameters are required together: " + String.join(", ", names)) : Optional.empty();
        }
    }

    /** At least one of {@code names}. */
    record RequiredOneOf(List<String> names) implements ArgRule {
        public RequiredOneOf {
            names = List.copyOf(names);
        }

        public Optional<String> violation(Map<String, Object> args, Set<String> templated) {
            return given(names, args).isEmpty()
                    ? Optional.of("one of the following is required: " + String.join(", ", names)) : Optional.empty();
        }
    }

    /**
     * When {@code key} equals {@code value}: all of {@code then} are required, or with {@code any} at least one.
     * {@code value} is of the key's type ({@code true} for a bool).
     */
    record RequiredIf(String key, Object value, List<String> then, boolean any) implements ArgRule {
        public RequiredIf {
            then = List.copyOf(then);
        }

        public Optional<String> violation(Map<String, Object> args, Set<String> templated) {
            if (templated.contains(key) || !value.equals(args.get(key))) return Optional.empty();
            List<String> missing = then.stream().filter(n -> args.get(n) == null).toList();
            boolean bad = any ? missing.size() == then.size() : !missing.isEmpty();
            return bad ? Optional.of(key + " is " + value + " but " + (any ? "any" : "all")
                    + " of the following are missing: " + String.join(", ", missing)) : Optional.empty();
        }
    }

    /** When {@code key} is given, all of {@code then} are required too. */
    record RequiredBy(String key, List<String> then) implements ArgRule {
        public RequiredBy {
            then = List.copyOf(then);
        }

        public Optional<String> violation(Map<String, Object> args, Set<String> templated) {
            if (args.get(key) == null) return Optional.empty();
            List<String> missing = then.stream().filter(n -> args.get(n) == null).toList();
            return missing.isEmpty() ? Optional.empty()
                    : Optional.of("missing parameter(s) required by '" + key + "': " + String.join(", ", missing));
        }
    }

    private static List<String> given(List<String> names, Map<String, Object> args) {
        return names.stream().filter(n -> args.get(n) != null).toList();
    }
}
