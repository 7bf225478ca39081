package dev.fleet.result;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code set_stats} tasks gathered over a run (Ansible's custom stats): values for the whole run, and values
 * per host. Immutable; {@link #with} is how the engine adds a task's {@code ansible_stats}.
 *
 * @param run   the run's values ({@code per_host: false}, Ansible's {@code _run})
 * @param hosts each host's values ({@code per_host: true}), by host name
 */
public record CustomStats(Map<String, Object> run, Map<String, Map<String, Object>> hosts) {
    public static final CustomStats EMPTY = new CustomStats(Map.of(), Map.of());

    public CustomStats {
        run = Collections.unmodifiableMap(new LinkedHashMap<>(run));
        Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
        hosts.forEach((h, m) -> copy.put(h, Collections.unmodifiableMap(new LinkedHashMap<>(m))));
        hosts = Collections.unmodifiableMap(copy);
    }

    public boolean isEmpty() {
        return run.isEmpty() && hosts.isEmpty();
    }

    /**
     * These stats with {@code data} added for {@code host} (null: the run). With {@code aggregate}, as Ansible does,
     * a value adds to what is there: dicts merge recursively, lists are concatenated, numbers summed, strings
     * joined, and a value of another type than the one there is ignored; without it, a value replaces.
     */
    public CustomStats with(String host, Map<String, Object> data, boolean aggregate) {
        Map<String, Object> target = new LinkedHashMap<>(host == null ? run : hosts.getOrDefault(host, Map.of()));
        data.forEach((key, value) -> {
            Object before = target.get(key);
            if (!aggregate || !target.containsKey(key)) target.put(key, value);
            else if (sameType(before, value)) target.put(key, add(before, value));
        });
        if (host == null) return new CustomStats(target, hosts);
        Map<String, Map<String, Object>> all = new LinkedHashMap<>(hosts);
        all.put(host, target);
        return new CustomStats(run, all);
    }

    /** Python's isinstance(what, type(before)): an int is not a float, but a bool is an int. */
    private static boolean sameType(Object before, Object value) {
        if (before == null) return value == null;
        if (before instanceof Map) return value instanceof Map;
        if (before instanceof List) return value instanceof List;
        if (before instanceof Boolean) return value instanceof Boolean;
        if (before instanceof Integer || before instanceof Long) {
            return value instanceof Integer || value instanceof Long || value instanceof Boolean;
        }
        if (before instanceof Double) return value instanceof Double;
        return before.getClass() == value.getClass();
    }

    @SuppressWarnings("unchecked")
    private static Object add(Object before, Object value) {
        return switch (before) {
            case Map<?, ?> m -> merge((Map<String, Object>) m, (Map<String, Object>) value);
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l);
                out.addAll((List<?>) value);
                yield out;
            }
            case Boolean b -> (b ? 1 : 0) + (Boolean.TRUE.equals(value) ? 1 : 0); // Python: True + True == 2
            case Integer i -> sum(i, value);
            case Long l -> sum(l, value);
            case Double d -> d + (Double) value;
            case String s -> s + value;
            default -> value; // None + None fails in Python, and Ansible keeps neither: the new value is as good
        };
    }

    private static Object sum(Number a, Object b) {
        long total = a.longValue() + (b instanceof Boolean x ? (x ? 1 : 0) : ((Number) b).longValue());
        return total == (int) total ? (Object) (int) total : (Object) total;
    }

    /** Ansible's merge_hash: b's keys over a's, dicts under the same key merged in turn. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        b.forEach((k, v) -> {
            if (out.get(k) instanceof Map<?, ?> x && v instanceof Map<?, ?> y) {
                out.put(k, merge((Map<String, Object>) x, (Map<String, Object>) y));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
