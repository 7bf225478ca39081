package dev.fleet.serve;

import dev.fleet.report.SymptomGroups;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups failed hosts by symptom for the API and dashboard.
 *
 * <p>Works from stored task records (the API also serves runs from history), so it groups by task source and the
 * message as {@link SymptomGroups#normalize} normalizes it for the console and reports: "50 hosts failed the same
 * way" reads as one group everywhere.
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
            String key = f.status() + "|" + f.source() + "|" + normalize(f);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
        }
        List<List<Failure>> sorted = new ArrayList<>(groups.values());
        sorted.sort((a, b) -> b.size() - a.size());
        JsonArray out = new JsonArray();
        for (List<Failure> g : sorted) {
            Failure first = g.get(0);
            out.add(new JsonObject().put("symptom", first.msg() == null || first.msg().isBlank()
                            ? first.status() + " at " + first.task() : normalize(first))
                    .put("status", first.status()).put("task", first.task()).put("source", first.source())
                    .put("count", g.size())
                    .put("hosts", new JsonArray(g.stream().map(Failure::host).toList())));
        }
        return out;
    }

    static String normalize(Failure f) {
        return f.msg() == null ? "" : SymptomGroups.normalize(firstLine(f.msg()), f.host(), null);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
