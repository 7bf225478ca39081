package dev.fleet.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vert.x JSON values as plain Java maps and lists. Variables from YAML, {@code -e} and facts are plain maps and
 * lists; JSON that enters a run (an HTTP response body registered by {@code uri}, extra vars posted to
 * {@code fleet serve}) must look the same to templates and to {@code register}ed results, whatever parsed it.
 */
public final class JsonValues {
    private JsonValues() {}

    /** {@link JsonObject} and {@link JsonArray} (also nested in maps and lists) become LinkedHashMap/ArrayList. */
    public static Object plain(Object v) {
        if (v instanceof JsonObject o) v = o.getMap();
        if (v instanceof JsonArray a) v = a.getList();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object x : l) out.add(plain(x));
            return out;
        }
        return v;
    }
}
