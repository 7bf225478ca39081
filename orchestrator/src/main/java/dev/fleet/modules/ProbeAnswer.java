package dev.fleet.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe script's answer, one {@code key=value} per line (the service, locale_gen, timezone and wait_for modules
 * ask a host several things in one command this way). A key may repeat ({@code start=2}, {@code start=3});
 * lines without '=' are ignored.
 */
record ProbeAnswer(Map<String, List<String>> values) {

    static ProbeAnswer parse(String stdout) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) continue;
            values.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
        }
        return new ProbeAnswer(values);
    }

    /** The key's first value, or null. */
    String get(String key) {
        List<String> v = values.get(key);
        return v == null ? null : v.get(0);
    }

    /** The key's first value read as base64 of UTF-8 text (how probes pass file contents), or null. */
    String text(String key) {
        String v = get(key);
        return v == null ? null : new String(Base64.getDecoder().decode(v.strip()), StandardCharsets.UTF_8);
    }

    /** The first value of each of the keys the answer has, in the keys' order (tool name to its path, say). */
    Map<String, String> firstOf(List<String> keys) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : keys) {
            if (has(k)) out.put(k, get(k));
        }
        return out;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }
}
