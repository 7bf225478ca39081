package dev.fleet.cluster;

import dev.fleet.engine.ActivityChange;
import dev.fleet.engine.InventoryChange;
import dev.fleet.engine.RemoteInclude;
import dev.fleet.engine.RemoteReply;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.json.JsonValues;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How run messages look on the event bus: JSON objects, one per operation ({@code op}), the same from every node.
 * Values a module returned that JSON cannot hold travel as their text.
 */
final class Wire {
    /** The event bus address of a worker. */
    static String address(String workerId) {
        return "fleet.worker." + workerId;
    }

    /** The cluster-wide map in which workers announce themselves (id -> {node, group}). */
    static final String REGISTRY = "fleet.workers";

    private Wire() {}

    static JsonObject task(String run, RemoteTask t) {
        return new JsonObject().put("op", "task").put("run", run).put("seq", t.seq()).put("host", t.host())
                .put("play", t.play()).put("task", t.task()).put("scope", t.scope())
                .put("shared", json(t.shared())).put("included", json(t.included()))
                .put("failedTask", json(t.failedTask()))
                .put("failedResult", json(t.failedResult())).put("watchdogMs", t.watchdogMs())
                .put("includes", includes(t.includes()))
                .put("publicRoles", t.publicRoles() == null ? null : json(t.publicRoles()))
                .put("activity", activity(t.activity()));
    }

    /**
     * A task as a worker gets it: the inventory changes come in their own message ({@link #inventory}); the
     * activity changes it carries are those the dispatcher chose to send ({@link RemoteTask#withActivity}).
     */
    static RemoteTask task(JsonObject j) {
        return new RemoteTask(j.getLong("seq"), j.getString("host"), j.getInteger("play"), j.getInteger("task"),
                j.getString("scope"), map(j.getJsonObject("shared")), map(j.getJsonObject("included")),
                nullableMap(j.getJsonObject("failedTask")), nullableMap(j.getJsonObject("failedResult")),
                j.getLong("watchdogMs"),
                includes(j.getJsonArray("includes", new JsonArray())), List.of(),
                nullableMap(j.getJsonObject("publicRoles")),
                activity(j.getJsonArray("activity", new JsonArray())));
    }

    /** Each change as [version, host, status or null]: a few bytes per host put out. */
    private static JsonArray activity(List<ActivityChange> changes) {
        JsonArray out = new JsonArray();
        for (ActivityChange c : changes) {
            out.add(new JsonArray().add(c.version()).add(c.host()).add(c.out() == null ? null : c.out().name()));
        }
        return out;
    }

    private static List<ActivityChange> activity(JsonArray a) {
        List<ActivityChange> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonArray c = a.getJsonArray(i);
            String status = c.getString(2);
            out.add(new ActivityChange(c.getInteger(0), c.getString(1), status == null ? null
                    : TaskStatus.valueOf(status)));
        }
        return out;
    }

    private static JsonArray includes(List<RemoteInclude> chain) {
        JsonArray out = new JsonArray();
        for (RemoteInclude d : chain) {
            JsonObject o = new JsonObject().put("id", d.id()).put("play", d.play()).put("parent", d.parent())
                    .put("task", d.task()).put("file", d.file()).put("vars", json(d.vars()));
            if (d.role() != null) {
                o.put("role", new JsonObject().put("name", d.role().name())
                        .put("from", json(new LinkedHashMap<>(d.role().from()))));
            }
            out.add(o);
        }
        return out;
    }

    private static List<RemoteInclude> includes(JsonArray a) {
        List<RemoteInclude> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            JsonObject d = a.getJsonObject(i);
            JsonObject r = d.getJsonObject("role");
            RemoteInclude.Role role = null;
            if (r != null) {
                Map<String, String> from = new LinkedHashMap<>();
                map(r.getJsonObject("from")).forEach((kind, file) -> from.put(kind, String.valueOf(file)));
                role = new RemoteInclude.Role(r.getString("name"), from);
            }
            out.add(new RemoteInclude(d.getInteger("id"), d.getInteger("play"), d.getInteger("parent"),
                    d.getInteger("task"), d.getString("file"), role, map(d.getJsonObject("vars"))));
        }
        return out;
    }

    /** {@code add_host}/{@code group_by} changes a worker has not had yet, in order. */
    static JsonObject inventory(String run, List<InventoryChange> changes) {
        JsonArray out = new JsonArray();
        for (InventoryChange c : changes) {
            out.add(new JsonObject().put("version", c.version()).put("action", c.action()).put("host", c.host())
                    .put("args", json(c.args())));
        }
        return new JsonObject().put("op", "inventory").put("run", run).put("changes", out);
    }

    static List<InventoryChange> inventory(JsonObject j) {
        List<InventoryChange> out = new ArrayList<>();
        JsonArray a = j.getJsonArray("changes");
        for (int i = 0; i < a.size(); i++) {
            JsonObject c = a.getJsonObject(i);
            out.add(new InventoryChange(c.getInteger("version"), c.getString("action"), c.getString("host"),
                    map(c.getJsonObject("args"))));
        }
        return out;
    }

    static JsonObject scope(String run, RemoteScope s) {
        return new JsonObject().put("op", "scope").put("run", run).put("id", s.id()).put("play", s.play())
                .put("playHosts", new JsonArray(new ArrayList<>(s.playHosts())))
                .put("batch", new JsonArray(new ArrayList<>(s.batch())));
    }

    static RemoteScope scope(JsonObject j) {
        return new RemoteScope(j.getString("id"), j.getInteger("play"), strings(j.getJsonArray("playHosts")),
                strings(j.getJsonArray("batch")));
    }

    static JsonObject reply(RemoteReply r) {
        TaskResult t = r.result();
        TaskOutcome o = t.outcome();
        JsonObject outcome = new JsonObject().put("status", o.status().name()).put("rc", o.rc())
                .put("stdout", o.stdout()).put("stderr", o.stderr()).put("msg", o.msg()).put("data", json(o.data()));
        return new JsonObject().put("host", t.host()).put("play", t.play()).put("task", t.task())
                .put("module", t.module()).put("source", t.source()).put("outcome", outcome)
                .put("ignored", t.ignored()).put("start", t.start().toString()).put("end", t.end().toString())
                .put("set", json(r.set())).put("updates", HostFactsWire.json(r.updates()));
    }

    static RemoteReply reply(JsonObject j) {
        JsonObject o = j.getJsonObject("outcome");
        TaskOutcome outcome = new TaskOutcome(TaskStatus.valueOf(o.getString("status")), o.getInteger("rc"),
                o.getString("stdout"), o.getString("stderr"), o.getString("msg"), map(o.getJsonObject("data")));
        TaskResult result = new TaskResult(j.getString("host"), j.getString("play"), j.getString("task"),
                j.getString("module"), j.getString("source"), outcome, j.getBoolean("ignored"),
                Instant.parse(j.getString("start")), Instant.parse(j.getString("end")));
        return new RemoteReply(result, map(j.getJsonObject("set")), HostFactsWire.map(j.getJsonObject("updates")));
    }

    /** A plain value as JSON can carry it: maps, lists, strings, numbers, booleans and null; anything else as text. */
    @SuppressWarnings("unchecked")
    static JsonObject json(Map<String, Object> m) {
        if (m == null) return null;
        return new JsonObject((Map<String, Object>) jsonValue(m));
    }

    @SuppressWarnings("unchecked")
    private static Object jsonValue(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) return v;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), jsonValue(x)));
            return out;
        }
        // Collection, not Iterable: a Path is an Iterable of Paths, which would never end
        if (v instanceof java.util.Collection<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) out.add(jsonValue(x));
            return out;
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonObject j) {
        return j == null ? Map.of() : (Map<String, Object>) JsonValues.plain(j);
    }

    private static Map<String, Object> nullableMap(JsonObject j) {
        return j == null ? null : map(j);
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        for (Object o : a) out.add(String.valueOf(o));
        return out;
    }
}
