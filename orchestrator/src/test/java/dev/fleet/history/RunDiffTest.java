package dev.fleet.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunDiffTest {
    static StoredRun.TaskRecord task(String name, String status, String msg) {
        return new StoredRun.TaskRecord("site", name, "command", "site.yml:1:1", status, 0, msg, "", "",
                Instant.EPOCH, Instant.EPOCH);
    }

    static StoredRun run(String id, Map<String, List<StoredRun.TaskRecord>> hosts) {
        Map<String, StoredRun.HostRecord> records = new LinkedHashMap<>();
        hosts.forEach((h, tasks) -> {
            HostStats s = HostStats.EMPTY;
            for (var t : tasks) s = s.plus(TaskStatus.valueOf(t.status().toUpperCase()), false);
            records.put(h, new StoredRun.HostRecord(RunStatus.host(s), s, tasks));
        });
        RunSummary summary = new RunSummary(id, new RunMeta("site.yml", "inv", null, "cli", false), "failed",
                Instant.EPOCH, Instant.EPOCH, hosts.size(), 0, 0, HostStats.EMPTY);
        return new StoredRun(summary, records);
    }

    @Test
    void newlyFailingRecoveredChangedAndOnlyInOne() {
        Map<String, List<StoredRun.TaskRecord>> a = new LinkedHashMap<>();
        a.put("A", List.of(task("install", "ok", ""), task("restart", "changed", "")));
        a.put("B", List.of(task("install", "failed", "disk full")));
        a.put("C", List.of(task("install", "ok", ""), task("echo", "ok", ""), task("echo", "ok", "")));
        a.put("gone", List.of(task("install", "ok", "")));
        Map<String, List<StoredRun.TaskRecord>> b = new LinkedHashMap<>();
        b.put("A", List.of(task("install", "ok", ""), task("restart", "failed", "nginx: [emerg] bad config")));
        b.put("B", List.of(task("install", "changed", "")));
        b.put("C", List.of(task("install", "ok", ""), task("echo", "ok", ""), task("echo", "changed", "")));
        b.put("new", List.of(task("install", "ok", "")));

        RunDiff d = RunDiff.between(run("a", a), run("b", b));
        assertThat(d.newlyFailing()).extracting(RunDiff.HostChange::host).containsExactly("A");
        assertThat(d.newlyFailing().get(0).statusA()).isEqualTo("changed");
        assertThat(d.newlyFailing().get(0).failedTasks()).extracting(StoredRun.TaskRecord::msg)
                .containsExactly("nginx: [emerg] bad config");
        assertThat(d.recovered()).extracting(RunDiff.HostChange::host).containsExactly("B");
        assertThat(d.recovered().get(0).failedTasks()).extracting(StoredRun.TaskRecord::msg)
                .containsExactly("disk full");
        assertThat(d.changedStatus()).containsExactly(
                new RunDiff.TaskChange("A", "site", "restart", "changed", "failed"),
                new RunDiff.TaskChange("B", "site", "install", "failed", "changed"),
                new RunDiff.TaskChange("C", "site", "echo #2", "ok", "changed"));
        assertThat(d.onlyInA()).containsExactly("gone");
        assertThat(d.onlyInB()).containsExactly("new");
    }

    @Test
    void identicalRunsHaveNoDifferences() {
        Map<String, List<StoredRun.TaskRecord>> a = Map.of("A", List.of(task("install", "ok", "")));
        RunDiff d = RunDiff.between(run("a", a), run("b", a));
        assertThat(d.newlyFailing()).isEmpty();
        assertThat(d.recovered()).isEmpty();
        assertThat(d.changedStatus()).isEmpty();
        assertThat(d.onlyInA()).isEmpty();
        assertThat(d.onlyInB()).isEmpty();
    }
}
