package dev.fleet.cluster;

import dev.fleet.engine.HostFacts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How what tasks set on hosts ({@link HostFacts}) travels: a worker asks the coordinator of a run for the hosts it
 * does not run ({@code hostvars}) on the run's own address, and each task's reply carries what it set beyond its
 * registered result and facts. Values are as {@link Wire} carries them (JSON, other values as their text).
 */
final class HostFactsWire {
    static final String OP = "hostvars";

    private HostFactsWire() {}

    /** The coordinator's address for one run: it answers there while the run is open. */
    static String address(String runId) {
        return "fleet.coordinator." + runId;
    }

    static JsonObject request(List<String> hosts) {
        return new JsonObject().put("op", OP).put("hosts", new JsonArray(new ArrayList<>(hosts)));
    }

    static List<String> hosts(JsonObject request) {
        JsonArray a = request.getJsonArray("hosts");
        return a == null ? List.of() : Wire.strings(a);
    }

    static JsonObject answer(Map<String, HostFacts> facts) {
        return new JsonObject().put("hosts", json(facts));
    }

    static Map<String, HostFacts> answer(JsonObject answer) {
        return map(answer.getJsonObject("hosts"));
    }

    /** host -> {included, facts}; null for none. */
    static JsonObject json(Map<String, HostFacts> facts) {
        if (facts == null || facts.isEmpty()) return null;
        JsonObject out = new JsonObject();
        facts.forEach((host, f) -> out.put(host, new JsonObject().put("included", Wire.json(f.included()))
                .put("facts", Wire.json(f.facts()))));
        return out;
    }

    static Map<String, HostFacts> map(JsonObject j) {
        if (j == null) return Map.of();
        Map<String, HostFacts> out = new LinkedHashMap<>();
        for (String host : j.fieldNames()) {
            JsonObject f = j.getJsonObject(host);
            out.put(host, new HostFacts(Wire.map(f.getJsonObject("included")), Wire.map(f.getJsonObject("facts"))));
        }
        return out;
    }
}
