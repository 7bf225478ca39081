package dev.fleet.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every run store must do, whatever database holds it: each subclass runs these scenarios against its own
 * store ({@link JdbcRunStoreTest}: SQLite, {@link PostgresRunStoreTest}: PostgreSQL) and adds what only that
 * store has. Every test must start from an empty database.
 */
abstract class RunStoreContract {
    static final RunMeta META = new RunMeta("site.yml", "lab.ini", "web", "cli", false);
    /** The schema versions fleet knows, and one beyond them for the migration tests. */
    static final List<Integer> VERSIONS = Migration.ALL.stream().map(Migration::version).toList();
    static final int NEXT = VERSIONS.get(VERSIONS.size() - 1) + 1;

    static List<Integer> versionsAndNext() {
        List<Integer> out = new ArrayList<>(VERSIONS);
        out.add(NEXT);
        return out;
    }

    /** The store under test as fleet opens it: every migration, this process as the owner of its runs. */
    abstract JdbcRunStore open();

    /** The store under test on the same database, with a schema history and owner of the test's choosing. */
    abstract JdbcRunStore open(List<Migration> migrations, String owner);

    /** A plain connection to that database, to check what the store wrote without going through it. */
    abstract Connection connect() throws SQLException;

    /** The first column of the first row {@code sql} returns. */
    String query(String sql) throws SQLException {
        try (Connection c = connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void recordsARunAndReadsItBack() throws Exception {
        String big = "x".repeat(100_000) + "é";
        try (JdbcRunStore store = open()) {
            var rec = store.recorder("20260101-000000-aaaaaa", META);
            // the row exists, status running, as soon as the recorder does
            assertThat(store.find("20260101-000000-aaaaaa").orElseThrow().summary().status()).isEqualTo("running");
            new SyntheticRun(Instant.parse("2026-01-01T00:00:00Z"), "web1", "web2", "web3")
                    .task("web1", "deploy", "install", TaskStatus.CHANGED, 0, "", "installed", "")
                    .task("web2", "deploy", "install", TaskStatus.FAILED, 2, "non-zero return code", big, "E: no space")
                    .task("web3", "deploy", "install", TaskStatus.UNREACHABLE, null, "connection refused", "", "")
                    .task("web1", "deploy", "check",
                            new TaskOutcome(TaskStatus.FAILED, 1, "", "", "meh", Map.of()), true)
                    .playInto(rec);
            assertThat(rec.failure()).isEmpty();

            RunSummary s = store.recent(10, 0).get(0);
            assertThat(s.id()).isEqualTo("20260101-000000-aaaaaa");
            assertThat(s.meta()).isEqualTo(META);
            assertThat(s.status()).isEqualTo("failed"); // failed beats unreachable at run level
            assertThat(s.start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(s.end()).isAfter(s.start());
            assertThat(s.hostCount()).isEqualTo(3);
            assertThat(s.failedHosts()).isEqualTo(1);
            assertThat(s.unreachableHosts()).isEqualTo(1);
            assertThat(s.totals().changed()).isEqualTo(1);
            assertThat(s.totals().failed()).isEqualTo(1);
            assertThat(s.totals().ignored()).isEqualTo(1);

            StoredRun run = store.find(s.id()).orElseThrow();
            assertThat(run.hosts().keySet()).containsExactly("web1", "web2", "web3");
            assertThat(run.hosts().get("web1").status()).isEqualTo("changed");
            assertThat(run.hosts().get("web2").status()).isEqualTo("failed");
            assertThat(run.hosts().get("web3").status()).isEqualTo("unreachable");
            var web1 = run.hosts().get("web1").tasks();
            assertThat(web1).extracting(StoredRun.TaskRecord::task).containsExactly("install", "check");
            assertThat(web1.get(1).status()).isEqualTo("ignored");
            var fail = run.hosts().get("web2").tasks().get(0);
            assertThat(fail.play()).isEqualTo("deploy");
            assertThat(fail.module()).isEqualTo("command");
            assertThat(fail.source()).isEqualTo("site.yml:3:7");
            assertThat(fail.rc()).isEqualTo(2);
            assertThat(fail.msg()).isEqualTo("non-zero return code");
            assertThat(fail.stderr()).isEqualTo("E: no space");
            assertThat(fail.stdout().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(64 * 1024);
            assertThat(fail.stdout()).startsWith("xxxx").contains("truncated");
            assertThat(fail.start()).isBefore(fail.end());
            // SyntheticRun starts each task 10 ms after the last: stored to the millisecond
            assertThat(fail.start().toEpochMilli()).isEqualTo(Instant.parse("2026-01-01T00:00:00.010Z").toEpochMilli());
            assertThat(run.hosts().get("web3").tasks().get(0).rc()).isNull();
        }
    }

    @Test
    void historySurvivesARestart() throws Exception {
        try (JdbcRunStore store = open()) {
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("r1", META));
        }
        try (JdbcRunStore store = open()) {
            StoredRun run = store.find("r1").orElseThrow();
            assertThat(run.summary().status()).isEqualTo("ok");
            assertThat(run.hosts().get("h1").tasks()).hasSize(1);
            assertThat(store.schemaVersions()).isEqualTo(VERSIONS);
        }
    }

    @Test
    void anInterruptedRunIsRecordedAsInterrupted() throws Exception {
        try (JdbcRunStore store = open()) {
            var rec = store.recorder("r1", META);
            for (RunEvent e : new SyntheticRun(Instant.now(), "h1").ok("h1", "a").events(true)) rec.accept(e);
            rec.close();
            assertThat(store.find("r1").orElseThrow().summary().status()).isEqualTo("interrupted");
        }
    }

    @Test
    void anOlderDatabaseIsMigratedWhenOpened() throws Exception {
        try (JdbcRunStore store = open(Migration.ALL, "t:1")) {
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("r1", META));
        }
        List<Migration> v2 = new ArrayList<>(Migration.ALL);
        v2.add(new Migration(NEXT, "run notes", """
                ALTER TABLE runs ADD COLUMN note TEXT;
                CREATE INDEX runs_trigger ON runs ("trigger");
                UPDATE runs SET note = 'migrated';
                """));
        try (JdbcRunStore store = open(v2, "t:1")) {
            assertThat(store.schemaVersions()).isEqualTo(versionsAndNext());
            assertThat(store.find("r1")).isPresent();
        }
        assertThat(query("SELECT note FROM runs WHERE id = 'r1'")).isEqualTo("migrated");
        // opened again with the same list: nothing left to apply
        try (JdbcRunStore store = open(v2, "t:1")) {
            assertThat(store.schemaVersions()).isEqualTo(versionsAndNext());
        }
        // an older fleet refuses a newer database rather than misreading it
        assertThatThrownBy(() -> open(Migration.ALL, "t:1"))
                .isInstanceOf(RunStoreException.class).hasMessageContaining("schema version " + NEXT);
    }

    @Test
    void aVersion1DatabaseKeepsItsRunsAndThenRecordsHowARunWasStarted() throws Exception {
        try (JdbcRunStore store = open(List.of(Migration.ALL.get(0)), "t:1")) {
            assertThat(store.schemaVersions()).containsExactly(1);
        }
        try (Connection c = connect()) {
            c.createStatement().executeUpdate("INSERT INTO runs (id, playbook, \"trigger\", status, start_ts) "
                    + "VALUES ('old', 'site.yml', 'cli', 'ok', 0)");
        }
        RunArgs args = new RunArgs("/srv/site.yml", List.of("/srv/lab.ini", "web1,web2,"),
                List.of("@/srv/vars.yml"), 2);
        RunMeta meta = new RunMeta("site.yml", "lab.ini", "web", "cli", false, args);
        try (JdbcRunStore store = open()) {
            assertThat(store.schemaVersions()).isEqualTo(VERSIONS);
            assertThat(store.find("old").orElseThrow().summary().meta().args()).isNull();
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("new", meta));
            assertThat(store.find("new").orElseThrow().summary().meta()).isEqualTo(meta);
        }
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseAsItWas() throws Exception {
        try (JdbcRunStore store = open()) {
            assertThat(store.schemaVersions()).isEqualTo(VERSIONS);
        }
        List<Migration> broken = new ArrayList<>(Migration.ALL);
        broken.add(new Migration(NEXT, "good then bad",
                "ALTER TABLE runs ADD COLUMN note TEXT;\nSELECT * FROM nowhere;"));
        assertThatThrownBy(() -> open(broken, "t:1")).isInstanceOf(RunStoreException.class);
        try (JdbcRunStore store = open()) {
            assertThat(store.schemaVersions()).isEqualTo(VERSIONS);
        }
        List<Migration> fixed = new ArrayList<>(Migration.ALL);
        fixed.add(new Migration(NEXT, "good", "ALTER TABLE runs ADD COLUMN note TEXT;"));
        try (JdbcRunStore store = open(fixed, "t:1")) {
            // the column was not half-added: both databases roll DDL back with the rest of the migration
            assertThat(store.schemaVersions()).isEqualTo(versionsAndNext());
        }
    }

    @Test
    void retentionDeletesTheOldestAndTheTooOld() throws Exception {
        Instant now = Instant.now();
        try (JdbcRunStore store = open()) {
            for (int i = 0; i < 5; i++) {
                new SyntheticRun(now.minus(Duration.ofDays(10L * i)), "h1").ok("h1", "a")
                        .playInto(store.recorder("r" + i, META));
            }
            store.recorder("running", META); // never finished: retention leaves it alone
            assertThat(store.applyRetention(Retention.KEEP_ALL)).isZero();
            assertThat(store.applyRetention(new Retention(null, Duration.ofDays(25)))).isEqualTo(2); // r3, r4
            assertThat(store.applyRetention(new Retention(2, null))).isEqualTo(1); // r2
            assertThat(store.recent(10, 0)).extracting(RunSummary::id).containsExactlyInAnyOrder("running", "r0", "r1");
            assertThat(store.recent(1, 1)).extracting(RunSummary::id).hasSize(1);
            assertThat(store.find("r4")).isEmpty();
        }
        assertThat(query("SELECT COUNT(*) FROM task_results WHERE run_id IN ('r2', 'r3', 'r4')")).isEqualTo("0");
        assertThat(query("SELECT COUNT(*) FROM host_results WHERE run_id IN ('r2', 'r3', 'r4')")).isEqualTo("0");
    }

    @Test
    void theAuditTrailIsKeptNewestFirstAndThinnedByMaxAge() throws Exception {
        Instant now = Instant.now();
        try (JdbcRunStore store = open()) {
            store.audit(new AuditRecord(now.minus(Duration.ofDays(40)), "ci", "run.start", "r-old", null,
                    "127.0.0.1", 202, "ok"));
            store.audit(new AuditRecord(now.minusSeconds(5), null, "run.cancel", "r1", null, "::1", 401,
                    "invalid token"));
            store.audit(new AuditRecord(now, "viewer", "schedule.run", null, "nightly", "127.0.0.2", 403,
                    "scope read does not allow schedule.run"));
        } // close: the queued writes are committed
        try (JdbcRunStore store = open()) {
            List<AuditRecord> trail = store.auditTrail(10);
            assertThat(trail).extracting(AuditRecord::action).containsExactly("schedule.run", "run.cancel",
                    "run.start");
            assertThat(trail.get(0)).isEqualTo(new AuditRecord(Instant.ofEpochMilli(now.toEpochMilli()), "viewer",
                    "schedule.run", null, "nightly", "127.0.0.2", 403, "scope read does not allow schedule.run"));
            assertThat(trail.get(1).token()).isNull();
            assertThat(store.auditTrail(1)).hasSize(1);
            store.applyRetention(new Retention(null, Duration.ofDays(25)));
            assertThat(store.auditTrail(10)).extracting(AuditRecord::runId).containsExactly(null, "r1");
        }
    }

    @Test
    void deletingARunCascadesToItsResults() throws Exception {
        try (JdbcRunStore store = open()) {
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("r1", META));
        }
        try (Connection c = connect()) {
            c.createStatement().executeUpdate("DELETE FROM runs WHERE id = 'r1'");
        }
        assertThat(query("SELECT COUNT(*) FROM task_results")).isEqualTo("0");
        assertThat(query("SELECT COUNT(*) FROM host_results")).isEqualTo("0");
    }

    @Test
    void runsOfADeadProcessAreMarkedAbandoned() throws Exception {
        String deadOwner = RunOwner.hostName() + ":4194999"; // above Linux's pid_max: never a live process
        try (JdbcRunStore crashed = open(Migration.ALL, deadOwner)) {
            var rec = crashed.recorder("crashed", META);
            var events = new SyntheticRun(Instant.now(), "h1", "h2").ok("h1", "a").fail("h2", "a", "x").events(false);
            for (RunEvent e : events.subList(0, events.size() - 1)) rec.accept(e); // no RunFinished: it "died"
        }
        try (JdbcRunStore other = open(Migration.ALL, "elsewhere:1")) {
            other.recorder("remote", META); // another host's run: cannot tell, left alone
        }
        try (JdbcRunStore store = open()) {
            store.recorder("mine", META); // this process, still going
            StoredRun partial = store.find("crashed").orElseThrow();
            assertThat(partial.hosts().keySet()).containsExactly("h1", "h2"); // from its task rows
            assertThat(partial.hosts().get("h2").status()).isEqualTo("failed");
            assertThat(store.markAbandoned()).containsExactly("crashed");
            assertThat(store.find("crashed").orElseThrow().summary().status()).isEqualTo("interrupted");
            assertThat(store.find("mine").orElseThrow().summary().status()).isEqualTo("running");
            assertThat(store.find("remote").orElseThrow().summary().status()).isEqualTo("running");
            assertThat(store.markAbandoned()).isEmpty();
        }
    }

    @Test
    void outcomesOfATriggerGiveEachHostsStatusPerRun() throws Exception {
        RunMeta nightly = new RunMeta("site.yml", "lab.ini", null, "schedule:nightly", false);
        Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
        try (JdbcRunStore store = open()) {
            new SyntheticRun(t0, "a", "b").ok("a", "x").fail("b", "x", "boom").playInto(store.recorder("n1", nightly));
            new SyntheticRun(t0.plusSeconds(60), "a").ok("a", "x").playInto(store.recorder("cli1", META));
            new SyntheticRun(t0.plusSeconds(120), "a", "c")
                    .task("a", "p", "x", TaskStatus.CHANGED, 0, "", "", "")
                    .task("c", "p", "x", TaskStatus.UNREACHABLE, null, "refused", "", "")
                    .playInto(store.recorder("n2", nightly));
            // a run that never finished: no host rows, its hosts' statuses come from its task rows
            var rec = store.recorder("n3", nightly);
            var events = new SyntheticRun(t0.plusSeconds(180), "a", "b").fail("a", "x", "boom")
                    .task("b", "p", "x", new TaskOutcome(TaskStatus.FAILED, 1, "", "", "meh", Map.of()), true)
                    .events(false);
            for (RunEvent e : events.subList(0, events.size() - 1)) rec.accept(e);
        } // closing waits for the queued writes
        try (JdbcRunStore store = open()) {
            TriggerOutcomes all = store.outcomes("schedule:nightly", 10);
            assertThat(all.runs()).extracting(RunSummary::id).containsExactly("n3", "n2", "n1");
            assertThat(all.hosts().get("n1")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "ok", "b", "failed"));
            assertThat(all.hosts().get("n2")).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a", "changed", "c", "unreachable"));
            // an ignored failure is ok, as the recap counts it
            assertThat(all.hosts().get("n3")).containsExactlyInAnyOrderEntriesOf(Map.of("a", "failed", "b", "ok"));

            TriggerOutcomes latest = store.outcomes("schedule:nightly", 2);
            assertThat(latest.runs()).extracting(RunSummary::id).containsExactly("n3", "n2");
            assertThat(latest.hosts()).containsOnlyKeys("n3", "n2");
            assertThat(store.outcomes("schedule:none", 10).runs()).isEmpty();
            assertThat(store.outcomes("cli", 10).hosts().get("cli1")).containsExactly(Map.entry("a", "ok"));
        }
    }

    @Test
    void prefixesAndIds() throws Exception {
        String a = RunIds.next(Instant.parse("2026-11-25T13:05:01Z"));
        assertThat(a).matches("20261125-130501-[0-9a-z]{6}");
        try (JdbcRunStore store = open()) {
            store.recorder("20261125-130501-abc123", META);
            store.recorder("20261125-130501-abd999", META);
            store.recorder("20261126-000000-zzz_%x", META);
            assertThat(store.idsStartingWith("20261125-130501-ab", 5)).hasSize(2);
            assertThat(store.idsStartingWith("20261125-130501-abc", 5)).containsExactly("20261125-130501-abc123");
            // case-sensitive even where LIKE is not (SQLite), and _ and % match only themselves
            assertThat(store.idsStartingWith("20261125-130501-ABC", 5)).isEmpty();
            assertThat(store.idsStartingWith("20261126-000000-zzz_%", 5)).hasSize(1);
            assertThat(store.idsStartingWith("20261126-000000-zzz%", 5)).isEmpty();
        }
    }

    @Test
    void aThousandHostsTimesTenTasksIsBatched() throws Exception {
        int hosts = 1000;
        int tasks = 10;
        String[] names = new String[hosts];
        for (int i = 0; i < hosts; i++) names[i] = "host" + i;
        SyntheticRun run = new SyntheticRun(Instant.now(), names);
        for (int t = 0; t < tasks; t++) {
            for (String h : names) {
                run.task(h, "play", "task " + t, t == 9 && h.equals("host7") ? TaskStatus.FAILED : TaskStatus.CHANGED,
                        0, "msg", "some output of task " + t, "");
            }
        }
        try (JdbcRunStore store = open()) {
            var rec = store.recorder("big", META);
            long t0 = System.nanoTime();
            for (RunEvent e : run.events(false)) rec.accept(e);
            long queued = System.nanoTime() - t0;
            rec.close();
            long total = System.nanoTime() - t0;
            System.out.printf("%s 1000x10: queued in %d ms, committed in %d ms%n", getClass().getSimpleName(),
                    queued / 1_000_000, total / 1_000_000);
            assertThat(rec.failure()).isEmpty();
            assertThat(queued).isLessThan(Duration.ofSeconds(2).toNanos()); // the run never waits for the database
            assertThat(total).isLessThan(Duration.ofSeconds(30).toNanos());
            StoredRun stored = store.find("big").orElseThrow();
            assertThat(stored.summary().hostCount()).isEqualTo(1000);
            assertThat(stored.summary().failedHosts()).isEqualTo(1);
            assertThat(stored.hosts().get("host999").tasks()).hasSize(10);
        }
        assertThat(query("SELECT COUNT(*) FROM task_results")).isEqualTo("10000");
    }
}
