package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.history.RunMeta;
import dev.fleet.result.HostStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/schedules/{name}/health}: hosts by a schedule's latest runs, from the history. */
class ScheduleHealthApiTest {
    static final HostStats OK = new HostStats(1, 0, 0, 0, 0, 0, 0);
    static final HostStats CHANGED = new HostStats(1, 1, 0, 0, 0, 0, 0);
    static final HostStats FAILED = new HostStats(0, 0, 0, 1, 0, 0, 0);
    static final HostStats UNREACHABLE = new HostStats(0, 0, 1, 0, 0, 0, 0);
    static final RunMeta NIGHTLY = new RunMeta("ok.yml", "lab.ini", null, "schedule:nightly", false);
    static final String SCHEDULES = """
            schedules:
              - {name: nightly, cron: "0 2 * * *", playbook: ok.yml, inventory: lab.ini}
              - {name: weekly, cron: "0 3 * * 0", playbook: ok.yml, inventory: lab.ini}
            """;

    @TempDir
    Path dir;

    /** 25 nightly runs: web1 ok throughout but changed in run 24, web2 failed in every third, db1 only from run 20. */
    static MemoryRunStore history(Instant t0) {
        MemoryRunStore store = new MemoryRunStore();
        for (int i = 0; i < 25; i++) {
            Map<String, HostStats> stats = new LinkedHashMap<>();
            stats.put("web1", i == 24 ? CHANGED : OK);
            stats.put("web2", i % 3 == 0 ? FAILED : OK);
            if (i >= 20) stats.put("db1", i == 22 ? UNREACHABLE : OK);
            store.add("n%02d".formatted(i), NIGHTLY, t0.plus(Duration.ofDays(i)), stats);
        }
        store.add("api-run", new RunMeta("ok.yml", "lab.ini", null, "api", false), t0.plus(Duration.ofDays(30)),
                Map.of("other", FAILED));
        return store;
    }

    @Test
    void aSchedulesHostsByItsLatestRunsOldestFirst() throws Exception {
        Path root = dir.resolve("srv");
        DashboardChromiumTest.setUp(root);
        try (ServeHarness s = new ServeHarness(root, history(Instant.parse("2026-01-01T02:00:00Z")), SCHEDULES)) {
            JsonObject h = s.json(s.get("/api/schedules/nightly/health"));
            assertThat(h.getString("schedule")).isEqualTo("nightly");
            JsonArray runs = h.getJsonArray("runs");
            assertThat(runs).hasSize(FleetHealth.DEFAULT_RUNS);
            List<String> ids = new ArrayList<>();
            runs.forEach(r -> ids.add(((JsonObject) r).getString("id")));
            assertThat(ids.get(0)).isEqualTo("n05"); // the latest 20 of 25, oldest first; the api run is not one
            assertThat(ids.get(19)).isEqualTo("n24");
            assertThat(runs.getJsonObject(19).getString("url")).isEqualTo("/api/runs/n24");
            assertThat(runs.getJsonObject(19).getString("status")).isEqualTo("failed"); // web2 failed in it too

            assertThat(h.getInteger("hosts_total")).isEqualTo(3);
            assertThat(h.getInteger("hosts_omitted")).isZero();
            Map<String, JsonArray> cells = cells(h);
            assertThat(cells.keySet()).containsExactly("db1", "web1", "web2"); // name order
            assertThat(cells.get("web2").getString(1)).isEqualTo("failed"); // n06
            assertThat(cells.get("web2").getString(2)).isEqualTo("ok"); // n07
            assertThat(cells.get("web1").getString(19)).isEqualTo("changed");
            assertThat(cells.get("db1").getValue(14)).isNull(); // n19: db1 was not in it
            assertThat(cells.get("db1").getString(15)).isEqualTo("ok");
            assertThat(cells.get("db1").getString(17)).isEqualTo("unreachable");

            JsonObject few = s.json(s.get("/api/schedules/nightly/health?runs=3"));
            assertThat(few.getJsonArray("runs")).hasSize(3);
            assertThat(cells(few).get("db1").getList()).containsExactly("unreachable", "ok", "ok");

            // past the host cap: the hosts with the most failed or unreachable runs stay
            JsonObject capped = s.json(s.get("/api/schedules/nightly/health?hosts=2"));
            assertThat(cells(capped).keySet()).containsExactly("db1", "web2");
            assertThat(capped.getInteger("hosts_total")).isEqualTo(3);
            assertThat(capped.getInteger("hosts_omitted")).isEqualTo(1);

            JsonObject none = s.json(s.get("/api/schedules/weekly/health"));
            assertThat(none.getJsonArray("runs")).isEmpty();
            assertThat(none.getJsonArray("hosts")).isEmpty();
        }
    }

    @Test
    void refusals() throws Exception {
        Path root = dir.resolve("srv");
        DashboardChromiumTest.setUp(root);
        try (ServeHarness s = new ServeHarness(root, new MemoryRunStore(), SCHEDULES)) {
            assertThat(s.get("/api/schedules/nope/health").statusCode()).isEqualTo(404);
            assertThat(s.json(s.get("/api/schedules/nope/health")).getString("error")).isEqualTo("no schedule nope");
            for (String q : new String[] {"runs=0", "runs=61", "runs=x", "hosts=0", "hosts=1001"}) {
                var r = s.get("/api/schedules/nightly/health?" + q);
                assertThat(r.statusCode()).as(q).isEqualTo(400);
                assertThat(s.json(r).getString("error")).as(q).contains("must be an integer from 1 to");
            }
            assertThat(s.send("GET", "/api/schedules/nightly/health", null, null).statusCode()).isEqualTo(401);
            assertThat(s.send("POST", "/api/schedules/nightly/health", null, ServeHarness.TOKEN).statusCode())
                    .isEqualTo(405);
        }
    }

    private static Map<String, JsonArray> cells(JsonObject health) {
        Map<String, JsonArray> out = new LinkedHashMap<>();
        health.getJsonArray("hosts").forEach(h -> out.put(((JsonObject) h).getString("name"),
                ((JsonObject) h).getJsonArray("cells")));
        return out;
    }
}
