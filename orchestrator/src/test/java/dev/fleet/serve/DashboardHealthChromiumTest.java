package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.history.RunMeta;
import dev.fleet.history.StoredRun;
import dev.fleet.result.HostStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet-health heat map and the runs table's fit, in a real headless Chromium driven over the DevTools protocol
 * (skipped where /usr/bin/chromium is missing). Leaves screenshots in target/ for people to look at:
 * dashboard-health.png, dashboard-host-result.png, dashboard-runs-1400.png, dashboard-runs-1280.png.
 */
class DashboardHealthChromiumTest {
    static final RunMeta NIGHTLY = new RunMeta("site.yml", "lab.ini", null, "schedule:nightly", false);
    /** A host name as hostile as the history can hold: it must show as text, never become markup. */
    static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\">";
    static final int RUNS = 14;

    @TempDir
    Path dir;

    /** web1 ok (changed in the last run), web2 failed in every fourth, db1 from run 5 on (unreachable in run 10). */
    static Map<String, List<String>> nightlyRuns(MemoryRunStore store, Instant t0) {
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (String h : List.of(HOSTILE, "db1", "web1", "web2")) expected.put(h, new ArrayList<>());
        for (int i = 0; i < RUNS; i++) {
            Map<String, String> states = new LinkedHashMap<>();
            states.put(HOSTILE, "ok");
            states.put("db1", i < 5 ? "none" : i == 10 ? "unreachable" : "ok");
            states.put("web1", i == RUNS - 1 ? "changed" : "ok");
            states.put("web2", i % 4 == 1 ? "failed" : "ok");
            Map<String, HostStats> stats = new LinkedHashMap<>();
            states.forEach((h, s) -> {
                expected.get(h).add(s);
                switch (s) {
                    case "ok" -> stats.put(h, new HostStats(2, 0, 0, 0, 0, 0, 0));
                    case "changed" -> stats.put(h, new HostStats(2, 1, 0, 0, 0, 0, 0));
                    case "failed" -> stats.put(h, new HostStats(1, 0, 0, 1, 0, 0, 0));
                    case "unreachable" -> stats.put(h, new HostStats(0, 0, 1, 0, 0, 0, 0));
                    default -> { }
                }
            });
            Instant start = t0.plus(Duration.ofDays(i));
            String id = "n%02d".formatted(i);
            store.add(id, NIGHTLY, start, stats);
            if (i % 4 == 1) {
                store.task(id, "web2", new StoredRun.TaskRecord("site", "free space", "command", "site.yml:9:7",
                        "failed", 1, "<b>disk</b> full on web2", "", "df: /var is 100% full", start, start));
            }
        }
        return expected;
    }

    @Test
    void theHealthViewShowsEachHostsOutcomePerRunAndOpensAHostsResult() throws Exception {
        assumeTrue(Files.isExecutable(DashboardChromiumTest.CHROMIUM), "chromium not installed");
        Path root = dir.resolve("srv");
        DashboardChromiumTest.setUp(root);
        MemoryRunStore store = new MemoryRunStore();
        Map<String, List<String>> expected = nightlyRuns(store, Instant.now().minus(Duration.ofDays(20)));
        // the runs table at its widest: long playbooks and triggers, the longest statuses, large host counts
        for (int i = 0; i < 40; i++) {
            store.add("20261203-10%04d-long%02d".formatted(i, i), new RunMeta(
                    "deploy-the-customer-facing-application-stack-" + i + ".yml", "production-eu-west.ini", "web",
                    "schedule:nightly-database-maintenance-and-cleanup", false),
                    i % 2 == 0 ? "unreachable" : "interrupted", Instant.now().minus(Duration.ofMinutes(i)), 3);
        }
        try (ServeHarness s = new ServeHarness(root, store, """
                schedules:
                  - {name: nightly, cron: "0 2 * * *", time_zone: Europe/Berlin, playbook: ok.yml, inventory: lab.ini}
                """);
             ChromiumDevTools chromium = new ChromiumDevTools(DashboardChromiumTest.CHROMIUM, dir)) {
            chromium.size(1400, 900);
            chromium.open("http://127.0.0.1:" + s.port + "/#token=" + ServeHarness.TOKEN);
            chromium.await("document.querySelectorAll('tr.run').length === 50"
                    + " && document.querySelector('.health-open[data-health=\"nightly\"]')", "the runs and schedules");

            // the runs table fits a laptop screen: no sideways scrolling in its column or the page
            for (int[] size : new int[][] {{1400, 900}, {1280, 800}}) {
                chromium.size(size[0], size[1]);
                JsonObject fit = new JsonObject((String) chromium.eval("""
                        JSON.stringify({table: $('runs-table').scrollWidth, wrap: $('runs-wrap').clientWidth,
                          section: $('runs-wrap').closest('section').scrollWidth,
                          sectionWidth: $('runs-wrap').closest('section').clientWidth,
                          page: document.documentElement.scrollWidth, window: innerWidth})"""));
                String at = size[0] + "x" + size[1] + ": " + fit;
                assertThat(fit.getInteger("table")).as(at).isLessThanOrEqualTo(fit.getInteger("wrap"));
                assertThat(fit.getInteger("section")).as(at).isLessThanOrEqualTo(fit.getInteger("sectionWidth"));
                assertThat(fit.getInteger("page")).as(at).isLessThanOrEqualTo(fit.getInteger("window"));
                chromium.screenshot(Path.of("target", "dashboard-runs-" + size[0] + ".png"));
            }

            // open the health view: one row per host, one cell per run, each cell's state as the history says
            chromium.size(1400, 900);
            chromium.eval("document.querySelector('.health-open[data-health=\"nightly\"]').click()");
            chromium.await("document.querySelectorAll('#heatmap tbody tr').length === 4", "the heat map");
            JsonObject states = new JsonObject((String) chromium.eval("""
                    JSON.stringify(Object.fromEntries([...document.querySelectorAll('#heatmap tbody tr')].map(tr =>
                      [tr.dataset.host, [...tr.querySelectorAll('[data-state]')].map(c => c.dataset.state)])))"""));
            assertThat(states.fieldNames()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((host, want) -> assertThat(states.getJsonArray(host).getList()).as(host)
                    .containsExactlyElementsOf(want));
            // readable without colour: a letter and a title on every cell; a legend
            JsonObject web2 = new JsonObject((String) chromium.eval("""
                    JSON.stringify((c => ({letter: c.textContent, title: c.title, tag: c.tagName}))(
                      document.querySelector('#heatmap tr[data-host="web2"] [data-run="n05"]')))"""));
            assertThat(web2.getString("letter")).isEqualTo("F");
            assertThat(web2.getString("title")).startsWith("web2 · ").endsWith(" · failed");
            assertThat(web2.getString("tag")).isEqualTo("BUTTON");
            assertThat(chromium.eval("document.querySelector('#heatmap tr[data-host=\"db1\"] [data-run=\"n00\"]')"
                    + ".textContent")).isEqualTo("–");
            assertThat((String) chromium.eval("$('health-legend').textContent"))
                    .contains("ok").contains("changed").contains("failed").contains("unreachable")
                    .contains("not in that run");
            // the hostile host name is text: no element was made of it, no script ran
            assertThat(chromium.eval("document.querySelectorAll('#health img, #detail img').length")).isEqualTo(0);
            assertThat(chromium.eval("[...document.querySelectorAll('#heatmap th.hm-host')].map(t => t.textContent)"
                    + ".includes(" + new JsonArray().add(HOSTILE).encode() + "[0])")).isEqualTo(true);
            assertThat(chromium.eval("document.title")).isEqualTo("fleet");
            chromium.screenshot(Path.of("target", "dashboard-health.png"));

            // a cell opens that host's result in that run
            chromium.eval("document.querySelector('#heatmap tr[data-host=\"web2\"] [data-run=\"n05\"]').click()");
            chromium.await("$('host-result') && $('host-result').dataset.host === 'web2'"
                    + " && $('detail').querySelector('h2').textContent.includes('n05')", "web2's result in n05");
            JsonObject result = new JsonObject((String) chromium.eval("""
                    JSON.stringify({status: $('host-result').querySelector('.badge').textContent,
                      msg: $('host-result').querySelector('pre.err').textContent,
                      bold: $('host-result').querySelectorAll('b').length,
                      columns: [...$('matrix').querySelectorAll('thead th')].map(t => t.textContent)})"""));
            assertThat(result.getString("status")).isEqualTo("failed");
            assertThat(result.getString("msg")).isEqualTo("<b>disk</b> full on web2");
            assertThat(result.getInteger("bold")).isZero();
            assertThat(result.getJsonArray("columns").getList()).containsExactly("task", "web2");
            chromium.screenshot(Path.of("target", "dashboard-host-result.png"));
            // and back to every host
            chromium.eval("[...$('host-result').querySelectorAll('button')].pop().click()");
            chromium.await("!$('host-result') && $('matrix').querySelectorAll('thead th').length === 5",
                    "all hosts again");
        }
    }
}
