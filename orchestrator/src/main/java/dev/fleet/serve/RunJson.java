package dev.fleet.serve;

import dev.fleet.history.RunMeta;
import dev.fleet.history.RunSummary;
import dev.fleet.history.StoredRun;
import dev.fleet.history.StoredRun.TaskRecord;
import dev.fleet.result.HostStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON for runs, from a live run or from the history alike. */
final class RunJson {
    private RunJson() {}

    /** A run in any state: what {@code GET /api/runs/{id}} renders. */
    record Detail(String id, RunMeta meta, String status, Instant start, Instant end, Integer exitCode,
            Map<String, HostStats> stats, Map<String, List<TaskRecord>> tasks, String error) {}

    static String url(String id) {
        return "/api/runs/" + id;
    }

    static Integer exitCode(String status) {
        return switch (status) {
            case "ok", "changed" -> 0;
            case "failed" -> 2;
            case "unreachable" -> 3;
            case "interrupted", "cancelled" -> 99;
            default -> null;
        };
    }

    /** The run's verdict from final stats, ordered like the exit code: failed, unreachable, changed, ok. */
    static String status(Map<String, HostStats> stats) {
        if (stats.values().stream().anyMatch(s -> s.failed() > 0)) return "failed";
        if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) return "unreachable";
        if (stats.values().stream().anyMatch(s -> s.changed() > 0)) return "changed";
        return "ok";
    }

    static String hostStatus(HostStats s) {
        if (s.unreachable() > 0) return "unreachable";
        if (s.failed() > 0) return "failed";
        if (s.changed() > 0) return "changed";
        return "ok";
    }

    static JsonObject meta(JsonObject j, RunMeta m) {
        return j.put("trigger", m.trigger()).put("playbook", m.playbook()).put("inventory", m.inventory())
                .put("limit", m.limit()).put("check", m.check());
    }

    static JsonObject summary(RunSummary s, String liveStatus) {
        String status = liveStatus != null ? liveStatus : s.status();
        JsonObject j = new JsonObject().put("id", s.id()).put("url", url(s.id())).put("status", status);
        meta(j, s.meta());
        return j.put("start", str(s.start())).put("end", str(s.end())).put("exit_code", exitCode(status))
                .put("host_count", s.hostCount()).put("failed_hosts", s.failedHosts())
                .put("unreachable_hosts", s.unreachableHosts())
                .put("totals", s.totals() == null ? null : EventJson.stats(s.totals()));
    }

    static Detail fromStored(StoredRun r) {
        RunSummary s = r.summary();
        Map<String, HostStats> stats = new LinkedHashMap<>();
        Map<String, List<TaskRecord>> tasks = new LinkedHashMap<>();
        r.hosts().forEach((h, rec) -> {
            stats.put(h, rec.stats() == null ? HostStats.EMPTY : rec.stats());
            tasks.put(h, rec.tasks() == null ? List.of() : rec.tasks());
        });
        return new Detail(s.id(), s.meta(), s.status(), s.start(), s.end(), exitCode(s.status()), stats, tasks, null);
    }

    static JsonObject detail(Detail d) {
        JsonObject j = new JsonObject().put("id", d.id()).put("url", url(d.id())).put("events_url",
                url(d.id()) + "/events").put("status", d.status());
        meta(j, d.meta());
        j.put("start", str(d.start())).put("end", str(d.end())).put("exit_code", d.exitCode());
        if (d.error() != null) j.put("error", d.error());

        JsonObject recap = new JsonObject();
        HostStats total = HostStats.EMPTY;
        for (var e : d.stats().entrySet()) {
            total = total.plus(e.getValue());
            recap.put(e.getKey(), EventJson.stats(e.getValue()).put("status", hostStatus(e.getValue())));
        }
        j.put("recap", recap).put("totals", EventJson.stats(total));

        // host x task matrix: tasks in first-seen order, one cell per host (the worst result of the task there)
        Map<String, JsonObject> rows = new LinkedHashMap<>();
        List<Symptoms.Failure> failures = new ArrayList<>();
        for (var e : d.tasks().entrySet()) {
            String host = e.getKey();
            TaskRecord lastFailure = null;
            for (TaskRecord t : e.getValue()) {
                String key = t.play() + "\u0000" + t.task() + "\u0000" + t.source();
                JsonObject row = rows.computeIfAbsent(key, k -> new JsonObject().put("play", t.play())
                        .put("task", t.task()).put("source", t.source()).put("cells", new JsonObject()));
                JsonObject cells = row.getJsonObject("cells");
                String prev = cells.getString(host);
                if (prev == null || rank(t.status()) > rank(prev)) cells.put(host, t.status());
                if (t.status().equals("failed") || t.status().equals("unreachable")) lastFailure = t;
            }
            HostStats hs = d.stats().getOrDefault(host, HostStats.EMPTY);
            String hstat = hostStatus(hs);
            if (lastFailure != null && (hstat.equals("failed") || hstat.equals("unreachable"))) {
                failures.add(new Symptoms.Failure(host, lastFailure.status(), lastFailure.play(), lastFailure.task(),
                        lastFailure.source(), lastFailure.msg(), lastFailure.rc(), lastFailure.stderr()));
            }
        }
        j.put("matrix", new JsonObject().put("hosts", new JsonArray(new ArrayList<>(d.stats().keySet())))
                .put("tasks", new JsonArray(new ArrayList<>(rows.values()))));
        j.put("failed_hosts", new JsonArray(failures.stream().map(Symptoms.Failure::toJson).toList()));
        j.put("symptom_groups", Symptoms.groups(failures));
        return j;
    }

    private static int rank(String status) {
        return switch (status) {
            case "unreachable" -> 5;
            case "failed" -> 4;
            case "ignored" -> 3;
            case "changed" -> 2;
            case "ok" -> 1;
            default -> 0;
        };
    }

    static String str(Instant i) {
        return i == null ? null : i.toString();
    }
}
