package dev.fleet.inventory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Helpers for variable maps. Values may be null (YAML {@code ~}), so {@code Map.copyOf} cannot be used. */
final class Vars {
    private Vars() {}

    /** A deep, read-only copy: inventory objects are shared between concurrently running hosts. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> freeze(Map<String, ?> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> out.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), freezeValue(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(freezeValue(x));
            return Collections.unmodifiableList(out);
        }
        return v;
    }

    /** A copy with every map's keys sorted, as {@code ansible-inventory --list} prints with sort_keys. */
    static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> tree = new TreeMap<>();
            m.forEach((k, x) -> tree.put(String.valueOf(k), sorted(x)));
            return new LinkedHashMap<>(tree);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(sorted(x));
            return out;
        }
        return v;
    }
}
