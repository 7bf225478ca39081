package dev.fleet.report;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the whole run as one JSON document (schema {@value #SCHEMA}, documented in the README). The file is
 * written to a temporary name and moved into place, so a reader never sees half a report.
 */
public final class JsonReportSink implements RunSink {
    public static final String SCHEMA = "fleet.run/v1";

    private final Path file;
    private String playbook;
    private String start;
    private final List<JsonObject> plays = new ArrayList<>();
    private final Map<String, List<TaskResult>> results = new LinkedHashMap<>();
    private final SymptomGroups symptoms = new SymptomGroups();
    private RunEvent.RunFinished finished;

    public JsonReportSink(Path file) {
        this.file = file;
    }

    @Override
    public void accept(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> {
                playbook = e.playbook();
                start = e.at().toString();
                e.hosts().forEach(h -> results.put(h, new ArrayList<>()));
            }
            case RunEvent.PlayStarted e -> plays.add(new JsonObject().put("name", e.play())
                    .put("hosts", new JsonArray(new ArrayList<>(e.hosts()))).put("start", e.at().toString()));
            case RunEvent.HostTaskFinished e -> {
                results.computeIfAbsent(e.result().host(), h -> new ArrayList<>()).add(e.result());
                symptoms.add(e.result());
            }
            case RunEvent.PlayFinished e -> {
                if (!plays.isEmpty()) {
                    plays.get(plays.size() - 1).put("end", e.at().toString());
                    if (e.abortReason() != null) plays.get(plays.size() - 1).put("aborted", e.abortReason());
                }
            }
            case RunEvent.RunFinished e -> finished = e;
            case RunEvent.TaskStarted e -> { }
        }
    }

    @Override
    public void close() throws Exception {
        if (finished == null) return;
        String json = toJson().encodePrettily();
        AtomicFile.write(file, ".json", w -> w.write(json));
    }

    JsonObject toJson() {
        JsonObject hosts = new JsonObject();
        HostStats total = HostStats.EMPTY;
        for (var entry : finished.stats().entrySet()) {
            HostStats s = entry.getValue();
            total = total.plus(s);
            JsonArray tasks = new JsonArray();
            for (TaskResult r : results.getOrDefault(entry.getKey(), List.of())) tasks.add(task(r));
            hosts.put(entry.getKey(), new JsonObject().put("status", hostStatus(s)).put("stats", stats(s))
                    .put("tasks", tasks));
        }
        return new JsonObject()
                .put("schema", SCHEMA)
                .put("playbook", playbook)
                .put("start", start)
                .put("end", finished.at().toString())
                .put("interrupted", finished.interrupted())
                .put("plays", new JsonArray(new ArrayList<>(plays)))
                .put("stats", stats(total))
                .put("hosts", hosts)
                .put("symptoms", symptoms())
                .put("custom_stats", customStats())
                .put("global_custom_stats", new JsonObject(new LinkedHashMap<>(finished.custom().run())));
    }

    /** set_stats per host (additive to v1; the names of Ansible's json callback): host to its values. */
    private JsonObject customStats() {
        JsonObject out = new JsonObject();
        finished.custom().hosts().forEach((h, values) -> out.put(h, new JsonObject(new LinkedHashMap<>(values))));
        return out;
    }

    /** Failing hosts grouped by symptom, largest group first (additive to v1; see {@link SymptomGroups}). */
    private JsonArray symptoms() {
        JsonArray out = new JsonArray();
        for (SymptomGroups.Group g : symptoms.groups(finished.stats())) {
            out.add(new JsonObject().put("count", g.count()).put("play", g.play()).put("task", g.task())
                    .put("source", g.source()).put("status", g.status().label()).put("message", g.message())
                    .put("example", g.example()).put("hosts", new JsonArray(new ArrayList<>(g.hosts()))));
        }
        return out;
    }

    /** One word per host: unreachable beats failed beats changed beats ok. */
    static String hostStatus(HostStats s) {
        if (s.unreachable() > 0) return "unreachable";
        if (s.failed() > 0) return "failed";
        if (s.changed() > 0) return "changed";
        return "ok";
    }

    private static JsonObject stats(HostStats s) {
        return new JsonObject().put("ok", s.ok()).put("changed", s.changed()).put("unreachable", s.unreachable())
                .put("failed", s.failed()).put("skipped", s.skipped()).put("rescued", s.rescued())
                .put("ignored", s.ignored());
    }

    private static JsonObject task(TaskResult r) {
        var o = r.outcome();
        JsonObject j = new JsonObject()
                .put("play", r.play())
                .put("task", r.task())
                .put("module", r.module())
                .put("source", r.source())
                .put("status", r.status().label())
                .put("changed", r.status() == TaskStatus.CHANGED)
                .put("ignored", r.ignored())
                .put("rc", o.rc())
                .put("stdout", o.stdout())
                .put("stderr", o.stderr())
                .put("msg", o.msg())
                .put("start", r.start().toString())
                .put("end", r.end().toString())
                .put("duration_ms", Duration.between(r.start(), r.end()).toMillis());
        if (!o.data().isEmpty()) j.put("data", new JsonObject(new LinkedHashMap<>(o.data())));
        return j;
    }
}
