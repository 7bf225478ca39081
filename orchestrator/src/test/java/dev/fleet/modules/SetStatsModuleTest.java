package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code set_stats} through fleet run on a real host: the custom stats in the --json report and the console. */
class SetStatsModuleTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    @Test
    void theRunsCustomStatsReachTheJsonReportAndTheEndOfTheConsoleSummary() throws Exception {
        Run r = new FleetCli(dir, lab.inventory(), lab.knownHosts()).run("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - command: echo 3
                      register: n
                    - set_stats:
                        data: {restarts: "{{ n.stdout | int }}", hosts: ["{{ inventory_hostname }}"]}
                    - set_stats:
                        data: {restarts: 1}
                    - set_stats:
                        data: {kernel: "{{ n.stdout }}"}
                        per_host: true
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed", "ok", "ok", "ok");
        JsonObject run = r.report().getJsonObject("global_custom_stats");
        assertThat(run.getInteger("restarts")).isEqualTo(4);
        assertThat(run.getJsonArray("hosts").getList()).containsExactly("host1");
        assertThat(r.report().getJsonObject("custom_stats").getJsonObject("host1").getString("kernel"))
                .isEqualTo("3");
        String summary = r.out().substring(r.out().indexOf("PLAY RECAP"));
        assertThat(summary).contains("CUSTOM STATS:").contains("\thost1: {\"kernel\":\"3\"}")
                .contains("\tRUN: {\"restarts\":4,\"hosts\":[\"host1\"]}");
    }
}
