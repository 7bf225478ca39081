package dev.fleet.report;

import dev.fleet.result.UnifiedDiff;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A result's {@code diff} as the console shows it under {@code --diff}, the way Ansible's default callback does:
 * a text diff as it is; a {@code {before, after, before_header, after_header}} mapping (file, hostname, cron,
 * ini_file, apt_repository ...) as a unified diff of the two, mappings among them serialized as sorted JSON;
 * {@code prepared} text as it is; a list of those one after the other.
 */
final class DiffText {
    private DiffText() {}

    static String render(Object diff) {
        if (diff == null) return "";
        if (diff instanceof String s) return s.stripTrailing();
        if (diff instanceof List<?> list) {
            StringBuilder sb = new StringBuilder();
            for (Object d : list) {
                String one = render(d);
                if (!one.isEmpty()) sb.append(sb.isEmpty() ? "" : "\n").append(one);
            }
            return sb.toString();
        }
        if (!(diff instanceof Map<?, ?> m)) return "";
        StringBuilder sb = new StringBuilder();
        if (m.containsKey("before") && m.containsKey("after")) {
            String from = m.get("before_header") == null ? "before" : "before: " + m.get("before_header");
            String to = m.get("after_header") == null ? "after" : "after: " + m.get("after_header");
            sb.append(UnifiedDiff.diff(text(m.get("before")), text(m.get("after")), from, to).stripTrailing());
        }
        if (m.get("prepared") instanceof String p && !p.isBlank()) {
            sb.append(sb.isEmpty() ? "" : "\n").append(p.stripTrailing());
        }
        return sb.toString();
    }

    private static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            Object sorted = sorted(v);
            String json = sorted instanceof Map<?, ?> map ? new JsonObject(castMap(map)).encodePrettily()
                    : new JsonArray((List<?>) sorted).encodePrettily();
            return json + "\n";
        }
        return String.valueOf(v);
    }

    private static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), sorted(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(DiffText::sorted).toList();
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
