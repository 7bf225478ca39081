package dev.fleet.serve;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups failed hosts by symptom for the API and dashboard.
 *
 * <p>TODO(symptom-groups): delegate to {@code dev.fleet.report.SymptomGroups} once it lands (another change adds
 * it); until then this fallback groups failures by task source and message with digits and hex ids masked, so
 * "50 hosts failed the same way" reads as one group.
 */
final class Symptoms {
    private Symptoms() {}

    /** One failing host: its last failed (or unreachable) task. */
    record Failure(String host, String status, String play, String task, String source, String msg, Integer rc,
            String stderr) {
        JsonObject toJson() {
            return new JsonObject().put("host", host).put("status", status).put("play", play).put("task", task)
                    .put("source", source).put("msg", msg).put("rc", rc).put("stderr", EventJson.tail(stderr));
        }
    }

    static JsonArray groups(List<Failure> failures) {
        Map<String, List<Failure>> groups = new LinkedHashMap<>();
        for (Failure f : failures) {
            String key = f.status() + "|" + f.source() + "|" + normalize(f.msg());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        List<List<Failure>> sorted = new ArrayList<>(groups.values());
        sorted.sort((a, b) -> b.size() - a.size());
        JsonArray out = new JsonArray();
        for (List<Failure> g : sorted) {
            Failure first = g.get(0);
            out.add(new JsonObject().put("symptom", first.msg() == null || first.msg().isBlank()
                            ? first.status() + " at " + first.task() : firstLine(first.msg()))
                    .put("status", first.status()).put("task", first.task()).put("source", first.source())
                    .put("count", g.size())
                    .put("hosts", new JsonArray(g.stream().map(Failure::host).toList())));
        }
        return out;
    }

    static String normalize(String msg) {
        if (msg == null) return "";
        return firstLine(msg).replaceAll("\\b[0-9a-f]{8,}\\b", "#").replaceAll("\\d+", "#").strip();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
