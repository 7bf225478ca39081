package dev.fleet.serve;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Map;

/** RunEvents as the JSON sent on the SSE stream: {@code event: <type>} plus a JSON object. */
final class EventJson {
    private EventJson() {}

    static String type(RunEvent e) {
        return switch (e) {
            case RunEvent.RunStarted x -> "run_started";
            case RunEvent.PlayStarted x -> "play_started";
            case RunEvent.TaskStarted x -> "task_started";
            case RunEvent.HostTaskFinished x -> "host_task_finished";
            case RunEvent.PlayFinished x -> "play_finished";
            case RunEvent.RunFinished x -> "run_finished";
        };
    }

    static JsonObject data(RunEvent e) {
        JsonObject j = new JsonObject().put("at", e.at().toString());
        switch (e) {
            case RunEvent.RunStarted x -> j.put("hosts", new JsonArray(new ArrayList<>(x.hosts())));
            case RunEvent.PlayStarted x -> j.put("play", x.play())
                    .put("hosts", new JsonArray(new ArrayList<>(x.hosts())));
            case RunEvent.TaskStarted x -> j.put("play", x.play()).put("task", x.task()).put("source", x.source())
                    .put("host_count", x.hostCount());
            case RunEvent.HostTaskFinished x -> result(j, x.result());
            case RunEvent.PlayFinished x -> j.put("play", x.play()).put("abort_reason", x.abortReason());
            case RunEvent.RunFinished x -> j.put("interrupted", x.interrupted()).put("stats", stats(x.stats()));
        }
        return j;
    }

    static void result(JsonObject j, TaskResult r) {
        var o = r.outcome();
        j.put("host", r.host()).put("play", r.play()).put("task", r.task()).put("module", r.module())
                .put("source", r.source()).put("status", r.status().label()).put("ignored", r.ignored())
                .put("rc", o.rc()).put("msg", o.msg()).put("stdout", tail(o.stdout())).put("stderr", tail(o.stderr()))
                .put("start", r.start().toString()).put("end", r.end().toString())
                .put("duration_ms", r.duration().toMillis());
    }

    static JsonObject stats(Map<String, HostStats> stats) {
        JsonObject out = new JsonObject();
        stats.forEach((h, s) -> out.put(h, stats(s)));
        return out;
    }

    static JsonObject stats(HostStats s) {
        return new JsonObject().put("ok", s.ok()).put("changed", s.changed()).put("unreachable", s.unreachable())
                .put("failed", s.failed()).put("skipped", s.skipped()).put("rescued", s.rescued())
                .put("ignored", s.ignored());
    }

    /** Output on the stream is capped; the full output is in the history. */
    static String tail(String s) {
        if (s == null) return "";
        return s.length() <= 4096 ? s : "..." + s.substring(s.length() - 4096);
    }
}
