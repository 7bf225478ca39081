package dev.fleet.serve;

import dev.fleet.json.JsonValues;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The body of {@code POST /api/runs}, strictly validated: unknown fields and wrong types are 400s. */
record RunRequest(String playbook, String inventory, String limit, Map<String, Object> extraVars, boolean check) {

    static final Set<String> FIELDS = new java.util.LinkedHashSet<>(List.of("playbook", "inventory", "limit",
            "extra_vars", "check"));

    static RunRequest parse(Buffer body) {
        if (body == null || body.length() == 0) throw ApiError.badRequest("request body must be a JSON object with "
                + "playbook and inventory");
        Object decoded;
        try {
            decoded = Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiError.badRequest("request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!(decoded instanceof JsonObject o)) throw ApiError.badRequest("request body must be a JSON object");
        for (String k : o.fieldNames()) {
            if (!FIELDS.contains(k)) throw ApiError.badRequest("unknown field '" + k + "'; expected: "
                    + String.join(", ", FIELDS));
        }
        String playbook = requiredString(o, "playbook");
        String inventory = requiredString(o, "inventory");
        String limit = null;
        if (o.getValue("limit") != null) {
            if (!(o.getValue("limit") instanceof String s) || s.isBlank()) {
                throw ApiError.badRequest("'limit' must be a non-empty string (a host pattern)");
            }
            limit = s;
        }
        Map<String, Object> extra = Map.of();
        Object ev = o.getValue("extra_vars");
        if (ev != null) {
            if (!(ev instanceof JsonObject j)) throw ApiError.badRequest("'extra_vars' must be a JSON object");
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = (Map<String, Object>) JsonValues.plain(j);
            extra = plain;
        }
        boolean check = false;
        Object c = o.getValue("check");
        if (c != null) {
            if (!(c instanceof Boolean b)) throw ApiError.badRequest("'check' must be true or false");
            check = b;
        }
        return new RunRequest(playbook, inventory, limit, extra, check);
    }

    private static String requiredString(JsonObject o, String key) {
        Object v = o.getValue(key);
        if (v == null) throw ApiError.badRequest("missing field '" + key + "'");
        if (!(v instanceof String s) || s.isBlank()) {
            throw ApiError.badRequest("'" + key + "' must be a non-empty string (a file name)");
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
