package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.report.ConsoleSink;
import dev.fleet.report.JsonReportSink;
import dev.fleet.result.CustomStats;
import dev.fleet.result.RunEvent;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * set_stats through the engine: what the tasks return is gathered per host or for the run, aggregated or replaced
 * as Ansible does, and reaches the JSON report and the end of the console summary by the RunFinished event.
 */
class SetStatsRunTest {
    @TempDir
    Path dir;

    private EngineHarness.Run run() throws Exception {
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - set_stats:
                        data: {deployed: 1, apps: [web], info: {a: 1}}
                    - set_stats:
                        data: {deployed: 2, apps: [db], info: {b: 2}, label: x}
                    - set_stats:
                        data: {label: "{{ inventory_hostname }}"}
                        aggregate: false
                    - set_stats:
                        data: {seen: "{{ item }}"}
                        per_host: true
                      loop: [a, b]
                    - set_stats:
                        data: {never: 1}
                      when: false
                    - set_stats:
                        data: {failed: 1}
                      failed_when: true
                      ignore_errors: true
                """);
        return new EngineHarness(dir).run(dir.resolve("site.yml"), "h1\n", EngineHarness.options(Map.of()));
    }

    private static CustomStats custom(EngineHarness.Run run) {
        return ((RunEvent.RunFinished) run.events().getLast()).custom();
    }

    @Test
    void theRunGathersWhatTheTasksSetAsAnsibleAggregatesIt() throws Exception {
        CustomStats c = custom(run());
        assertThat(c.run()).containsAllEntriesOf(Map.of("deployed", 3, "apps", List.of("web", "db"),
                "info", Map.of("a", 1, "b", 2), "label", "h1"));
        assertThat(c.run()).containsOnlyKeys("deployed", "apps", "info", "label");
        assertThat(c.hosts()).containsOnlyKeys("h1");
        assertThat(c.hosts().get("h1")).containsExactlyEntriesOf(Map.of("seen", "ab"));
    }

    @Test
    void theJsonReportAndTheConsoleSummaryShowThem() throws Exception {
        EngineHarness.Run run = run();
        Path json = dir.resolve("r.json");
        JsonReportSink sink = new JsonReportSink(json);
        StringWriter text = new StringWriter();
        ConsoleSink console = new ConsoleSink(new PrintWriter(text, true), false, 0);
        for (RunEvent e : run.events()) {
            sink.accept(e);
            console.accept(e);
        }
        sink.close();
        console.close();
        JsonObject j = new JsonObject(Files.readString(json));
        assertThat(j.getJsonObject("global_custom_stats").getInteger("deployed")).isEqualTo(3);
        assertThat(j.getJsonObject("custom_stats").getJsonObject("h1").getString("seen")).isEqualTo("ab");
        String out = text.toString();
        assertThat(out).contains("CUSTOM STATS:");
        assertThat(out.substring(out.indexOf("CUSTOM STATS:"))).contains("\th1: {\"seen\":\"ab\"}")
                .contains("\tRUN: {\"deployed\":3,");
    }

    @Test
    void aRunWithoutSetStatsHasEmptyCustomStatsAndNoBanner() throws Exception {
        Files.writeString(dir.resolve("plain.yml"), "- hosts: all\n  gather_facts: false\n  tasks:\n"
                + "    - debug: {msg: hi}\n");
        EngineHarness.Run run = new EngineHarness(dir).run(dir.resolve("plain.yml"), "h1\n",
                EngineHarness.options(Map.of()));
        assertThat(custom(run).isEmpty()).isTrue();
        StringWriter text = new StringWriter();
        ConsoleSink console = new ConsoleSink(new PrintWriter(text, true), false, 0);
        run.events().forEach(console::accept);
        assertThat(text.toString()).doesNotContain("CUSTOM STATS");
    }
}
