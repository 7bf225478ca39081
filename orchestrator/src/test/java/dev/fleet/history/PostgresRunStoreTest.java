package dev.fleet.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.cli.Main;
import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenarios of {@link JdbcRunStoreTest}, against a real PostgreSQL server this test starts itself (see
 * {@link PostgresServer}); skipped where the PostgreSQL server binaries are not installed.
 */
class PostgresRunStoreTest {
    @TempDir
    static Path serverDir;

    @TempDir
    Path dir;

    static PostgresServer server;

    static final RunMeta META = new RunMeta("site.yml", "lab.ini", "web", "cli", false);

    @BeforeAll
    static void startServer() throws Exception {
        var why = PostgresServer.unavailable();
        assumeTrue(why.isEmpty(), () -> why.orElse(""));
        server = PostgresServer.start(serverDir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) server.close();
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        server.recreate("fleet");
    }

    static String url() {
        return server.url("fleet");
    }

    static JdbcRunStore open() {
        return new JdbcRunStore(url());
    }

    static JdbcRunStore open(List<Migration> migrations, String owner) {
        return new JdbcRunStore(url(), migrations, owner);
    }

    @Test
    void recordsARunAndReadsItBack() throws Exception {
        String big = "x".repeat(100_000) + "é";
        try (JdbcRunStore store = open()) {
            var rec = store.recorder("20260101-000000-aaaaaa", META);
            assertThat(store.find("20260101-000000-aaaaaa").orElseThrow().summary().status()).isEqualTo("running");
            new SyntheticRun(Instant.parse("2026-01-01T00:00:00Z"), "web1", "web2", "web3")
                    .task("web1", "deploy", "install", TaskStatus.CHANGED, 0, "", "installed", "")
                    .task("web2", "deploy", "install", TaskStatus.FAILED, 2, "non-zero return code", big, "E: no space")
                    .task("web3", "deploy", "install", TaskStatus.UNREACHABLE, null, "connection refused", "", "")
                    .task("web1", "deploy", "check", new TaskOutcome(TaskStatus.FAILED, 1, "", "", "meh", Map.of()), true)
                    .playInto(rec);
            assertThat(rec.failure()).isEmpty();

            RunSummary s = store.recent(10, 0).get(0);
            assertThat(s.id()).isEqualTo("20260101-000000-aaaaaa");
            assertThat(s.meta()).isEqualTo(META);
            assertThat(s.status()).isEqualTo("failed");
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
            assertThat(fail.start().toEpochMilli()).isEqualTo(Instant.parse("2026-01-01T00:00:00.010Z").toEpochMilli());
            assertThat(run.hosts().get("web3").tasks().get(0).rc()).isNull();
        }
        // the schema as PostgreSQL sees it: epoch milliseconds in BIGINT, the quoted "trigger" column
        assertThat(query("SELECT data_type FROM information_schema.columns WHERE table_name = 'runs' "
                + "AND column_name = 'start_ts'")).isEqualTo("bigint");
        assertThat(query("SELECT \"trigger\" FROM runs")).isEqualTo("cli");
    }

    @Test
    void nulBytesAndNonAsciiOutputAreStored() throws Exception {
        // PostgreSQL TEXT cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"): clip drops it
        try (JdbcRunStore store = open()) {
            var rec = store.recorder("nul", new RunMeta("pb\0.yml", null, null, "cli", true));
            new SyntheticRun(Instant.now(), "h1")
                    .task("h1", "p\0lay", "t\0ask", TaskStatus.FAILED, 1, "m\0sg", "out\0put ünïcødé ✓", "err\0")
                    .playInto(rec);
            assertThat(rec.failure()).isEmpty();
            var t = store.find("nul").orElseThrow().hosts().get("h1").tasks().get(0);
            assertThat(t.play()).isEqualTo("play");
            assertThat(t.task()).isEqualTo("task");
            assertThat(t.msg()).isEqualTo("msg");
            assertThat(t.stdout()).isEqualTo("output ünïcødé ✓");
            assertThat(t.stderr()).isEqualTo("err");
            RunSummary s = store.find("nul").orElseThrow().summary();
            assertThat(s.meta().playbook()).isEqualTo("pb.yml");
            assertThat(s.meta().check()).isTrue();
            assertThat(s.meta().inventory()).isNull();
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
            assertThat(store.schemaVersions()).containsExactly(1);
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
        try (JdbcRunStore store = open(List.of(Migration.ALL.get(0)), "t:1")) {
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("r1", META));
        }
        List<Migration> v2 = new ArrayList<>(Migration.ALL);
        v2.add(new Migration(2, "run notes", """
                ALTER TABLE runs ADD COLUMN note TEXT;
                CREATE INDEX runs_trigger ON runs ("trigger");
                UPDATE runs SET note = 'migrated';
                """));
        try (JdbcRunStore store = open(v2, "t:1")) {
            assertThat(store.schemaVersions()).containsExactly(1, 2);
            assertThat(store.find("r1")).isPresent();
        }
        assertThat(query("SELECT note FROM runs WHERE id = 'r1'")).isEqualTo("migrated");
        try (JdbcRunStore store = open(v2, "t:1")) {
            assertThat(store.schemaVersions()).containsExactly(1, 2);
        }
        assertThatThrownBy(() -> open(Migration.ALL, "t:1"))
                .isInstanceOf(RunStoreException.class).hasMessageContaining("schema version 2");
    }

    @Test
    void aFailingMigrationLeavesTheDatabaseAsItWas() throws Exception {
        try (JdbcRunStore store = open()) {
            assertThat(store.schemaVersions()).containsExactly(1);
        }
        List<Migration> broken = new ArrayList<>(Migration.ALL);
        broken.add(new Migration(2, "good then bad", "ALTER TABLE runs ADD COLUMN note TEXT;\nSELECT * FROM nowhere;"));
        assertThatThrownBy(() -> open(broken, "t:1")).isInstanceOf(RunStoreException.class);
        try (JdbcRunStore store = open()) {
            assertThat(store.schemaVersions()).containsExactly(1);
        }
        List<Migration> fixed = new ArrayList<>(Migration.ALL);
        fixed.add(new Migration(2, "good", "ALTER TABLE runs ADD COLUMN note TEXT;"));
        try (JdbcRunStore store = open(fixed, "t:1")) {
            assertThat(store.schemaVersions()).containsExactly(1, 2); // PostgreSQL DDL is transactional too
        }
    }

    @Test
    void processesOpeningAFreshDatabaseAtOnceMigrateItOnce() throws Exception {
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<List<Integer>>> opened = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int owner = i;
                Callable<List<Integer>> open = () -> {
                    try (JdbcRunStore store = open(Migration.ALL, "t:" + owner)) {
                        return store.schemaVersions();
                    }
                };
                opened.add(pool.submit(open));
            }
            for (Future<List<Integer>> f : opened) assertThat(f.get()).containsExactly(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(query("SELECT COUNT(*) FROM schema_version")).isEqualTo("1");
    }

    @Test
    void retentionDeletesTheOldestAndTheTooOld() throws Exception {
        Instant now = Instant.now();
        try (JdbcRunStore store = open()) {
            for (int i = 0; i < 5; i++) {
                new SyntheticRun(now.minus(Duration.ofDays(10L * i)), "h1").ok("h1", "a")
                        .playInto(store.recorder("r" + i, META));
            }
            store.recorder("running", META);
            assertThat(store.applyRetention(Retention.KEEP_ALL)).isZero();
            assertThat(store.applyRetention(new Retention(null, Duration.ofDays(25)))).isEqualTo(2);
            assertThat(store.applyRetention(new Retention(2, null))).isEqualTo(1);
            assertThat(store.recent(10, 0)).extracting(RunSummary::id).containsExactlyInAnyOrder("running", "r0", "r1");
            assertThat(store.recent(1, 1)).extracting(RunSummary::id).hasSize(1);
            assertThat(store.find("r4")).isEmpty();
        }
        assertThat(query("SELECT COUNT(*) FROM task_results WHERE run_id IN ('r2', 'r3', 'r4')")).isEqualTo("0");
        assertThat(query("SELECT COUNT(*) FROM host_results WHERE run_id IN ('r2', 'r3', 'r4')")).isEqualTo("0");
    }

    @Test
    void deletingARunCascadesToItsResults() throws Exception {
        try (JdbcRunStore store = open()) {
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("r1", META));
        }
        try (Connection c = DriverManager.getConnection(url())) {
            c.createStatement().executeUpdate("DELETE FROM runs WHERE id = 'r1'");
        }
        assertThat(query("SELECT COUNT(*) FROM task_results")).isEqualTo("0");
        assertThat(query("SELECT COUNT(*) FROM host_results")).isEqualTo("0");
    }

    @Test
    void runsOfADeadProcessAreMarkedAbandoned() throws Exception {
        String deadOwner = JdbcRunStore.hostName() + ":4194999";
        try (JdbcRunStore crashed = open(Migration.ALL, deadOwner)) {
            var rec = crashed.recorder("crashed", META);
            var events = new SyntheticRun(Instant.now(), "h1", "h2").ok("h1", "a").fail("h2", "a", "x").events(false);
            for (RunEvent e : events.subList(0, events.size() - 1)) rec.accept(e);
        }
        try (JdbcRunStore other = open(Migration.ALL, "elsewhere:1")) {
            other.recorder("remote", META);
        }
        try (JdbcRunStore store = open()) {
            store.recorder("mine", META);
            StoredRun partial = store.find("crashed").orElseThrow();
            assertThat(partial.hosts().keySet()).containsExactly("h1", "h2");
            assertThat(partial.hosts().get("h2").status()).isEqualTo("failed");
            assertThat(store.markAbandoned()).containsExactly("crashed");
            assertThat(store.find("crashed").orElseThrow().summary().status()).isEqualTo("interrupted");
            assertThat(store.find("mine").orElseThrow().summary().status()).isEqualTo("running");
            assertThat(store.find("remote").orElseThrow().summary().status()).isEqualTo("running");
            assertThat(store.markAbandoned()).isEmpty();
        }
    }

    @Test
    void prefixesAndIds() throws Exception {
        try (JdbcRunStore store = open()) {
            store.recorder("20261125-130501-abc123", META);
            store.recorder("20261125-130501-abd999", META);
            store.recorder("20261126-000000-zzz_%x", META);
            assertThat(store.idsStartingWith("20261125-130501-ab", 5)).hasSize(2);
            assertThat(store.idsStartingWith("20261125-130501-abc", 5)).containsExactly("20261125-130501-abc123");
            assertThat(store.idsStartingWith("20261125-130501-ABC", 5)).isEmpty();
            assertThat(store.idsStartingWith("20261126-000000-zzz_%", 5)).hasSize(1);
            assertThat(store.idsStartingWith("20261126-000000-zzz%", 5)).isEmpty();
        }
    }

    @Test
    void twoRunsAreDiffed() throws Exception {
        try (JdbcRunStore store = open()) {
            new SyntheticRun(Instant.parse("2026-11-25T13:05:01Z"), "web1", "web2", "old")
                    .ok("web1", "install").ok("web1", "restart")
                    .fail("web2", "install", "E: Unable to locate package nginx")
                    .ok("old", "install")
                    .playInto(store.recorder("a", META));
            new SyntheticRun(Instant.parse("2026-11-25T14:00:00Z"), "web1", "web2", "new")
                    .ok("web1", "install").fail("web1", "restart", "nginx: [emerg] unknown directive")
                    .ok("web2", "install").ok("web2", "restart")
                    .ok("new", "install")
                    .playInto(store.recorder("b", META));
            RunDiff d = RunDiff.between(store.find("a").orElseThrow(), store.find("b").orElseThrow());
            assertThat(d.newlyFailing()).extracting(RunDiff.HostChange::host).containsExactly("web1");
            assertThat(d.newlyFailing().get(0).failedTasks()).extracting(StoredRun.TaskRecord::msg)
                    .containsExactly("nginx: [emerg] unknown directive");
            assertThat(d.recovered()).extracting(RunDiff.HostChange::host).containsExactly("web2");
            assertThat(d.onlyInA()).containsExactly("old");
            assertThat(d.onlyInB()).containsExactly("new");
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
            System.out.printf("postgres 1000x10: queued in %d ms, committed in %d ms%n", queued / 1_000_000,
                    total / 1_000_000);
            assertThat(rec.failure()).isEmpty();
            assertThat(queued).isLessThan(Duration.ofSeconds(2).toNanos());
            assertThat(total).isLessThan(Duration.ofSeconds(30).toNanos());
            StoredRun stored = store.find("big").orElseThrow();
            assertThat(stored.summary().hostCount()).isEqualTo(1000);
            assertThat(stored.summary().failedHosts()).isEqualTo(1);
            assertThat(stored.hosts().get("host999").tasks()).hasSize(10);
        }
        assertThat(query("SELECT COUNT(*) FROM task_results")).isEqualTo("10000");
    }

    @Test
    void anUnreachableServerIsAClearErrorWithoutThePassword() {
        String bad = "jdbc:postgresql://127.0.0.1:1/fleet?user=postgres&password=s3cret&connectTimeout=2";
        assertThatThrownBy(() -> new JdbcRunStore(bad)).isInstanceOf(RunStoreException.class)
                .hasMessageContaining("127.0.0.1:1").hasMessageNotContaining("s3cret");
    }

    @Test
    void fleetServesHistoryDbTakesTheUrl() throws Exception {
        // fleet serve: history.db in the config, kept as the URL (not resolved as a file) and opened by RunStores
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        var config = dev.fleet.serve.ServeConfig.parse("tokens: [abcdefghijklmnopqrstuvwxyz]\nplaybook_dirs: [pb]\n"
                + "inventory_dirs: [inv]\nhistory: {db: \"" + url() + "\", retention: {max_runs: 1}}\n",
                dir.resolve("fleet.yml"), k -> null);
        assertThat(config.history().db()).isEqualTo(url());
        try (RunStore store = dev.fleet.serve.RunStores.open(config.history().db())) {
            new SyntheticRun(Instant.now().minusSeconds(60), "h1").ok("h1", "a").playInto(store.recorder("s1",
                    new RunMeta("site.yml", "lab.ini", null, "api", false)));
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(store.recorder("s2",
                    new RunMeta("site.yml", "lab.ini", null, "schedule:nightly", false)));
            assertThat(store.applyRetention(config.history().retention())).isEqualTo(1);
            assertThat(store.recent(10, 0)).extracting(r -> r.meta().trigger()).containsExactly("schedule:nightly");
        }
        assertThat(query("SELECT \"trigger\" FROM runs")).isEqualTo("schedule:nightly");
    }

    // ---------------------------------------------------------------------------------- the command line

    record Result(int exit, String out, String err) {}

    static Result fleet(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void fleetRunAndFleetHistoryTakeAJdbcUrl() throws Exception {
        // one host nobody listens for: the run is short, recorded, and unreachable
        Path inventory = dir.resolve("hosts.ini");
        Files.writeString(inventory, "[lab]\nnowhere ansible_host=127.0.0.1 ansible_port=1\n");
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, """
                - name: smoke
                  hosts: lab
                  gather_facts: false
                  tasks:
                    - name: hello
                      command: echo hello
                """);
        Result run = fleet("run", "-i", inventory.toString(), "--no-color", "--history-db", url(), pb.toString());
        assertThat(run.err()).doesNotContain("not recording");
        Matcher m = Pattern.compile("run id: (\\S+)").matcher(run.out());
        assertThat(m.find()).as(run.out() + run.err()).isTrue();
        String id = m.group(1);
        // recorded in PostgreSQL itself (not in a SQLite file named like the URL)
        assertThat(query("SELECT status FROM runs WHERE id = '" + id + "'")).isEqualTo("unreachable");
        assertThat(query("SELECT COUNT(*) FROM task_results WHERE run_id = '" + id + "'")).isEqualTo("1");
        assertThat(Path.of("jdbc:postgresql:")).doesNotExist();

        Result list = fleet("history", "--db", url());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id).contains(pb.toString()).contains("unreachable");

        Result show = fleet("history", "show", id, "--db", url(), "--json");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("nowhere");

        Result diff = fleet("history", "diff", id, id, "--db", url());
        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("newly failing (0)");

        // a database URL that cannot be reached: a warning, and the run goes on
        Result broken = fleet("run", "-i", inventory.toString(), "--no-color", "--history-db",
                "jdbc:postgresql://127.0.0.1:1/fleet?user=postgres&connectTimeout=2", pb.toString());
        assertThat(broken.err()).contains("WARNING: not recording this run");
        assertThat(broken.out()).contains("PLAY RECAP").doesNotContain("run id:");
        Result unreachable = fleet("history", "--db", "jdbc:postgresql://127.0.0.1:1/fleet?user=postgres&connectTimeout=2");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.err()).contains("fleet: ");
    }

    private static String query(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url()); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
