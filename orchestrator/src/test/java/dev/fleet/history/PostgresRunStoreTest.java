package dev.fleet.history;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FleetCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * The {@link RunStoreContract} scenarios, plus what only PostgreSQL has, against a real PostgreSQL server this test
 * starts itself (see {@link PostgresServer}); skipped where the PostgreSQL server binaries are not installed.
 */
class PostgresRunStoreTest extends RunStoreContract {
    @TempDir
    static Path serverDir;

    @TempDir
    Path dir;

    static PostgresServer server;

    // A failed assumption here skips every test of the class, the inherited ones included.
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

    @Override
    JdbcRunStore open() {
        return new JdbcRunStore(url());
    }

    @Override
    JdbcRunStore open(List<Migration> migrations, String owner) {
        return new JdbcRunStore(url(), migrations, owner);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    @Override
    @Test // again: JUnit runs an overriding method only if it is a @Test itself
    void recordsARunAndReadsItBack() throws Exception {
        super.recordsARunAndReadsItBack();
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
            for (Future<List<Integer>> f : opened) assertThat(f.get()).containsExactly(1, 2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(query("SELECT COUNT(*) FROM schema_version")).isEqualTo(String.valueOf(Migration.ALL.size()));
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
        FleetCli.Run run = fleet("run", "-i", inventory.toString(), "--no-color", "--history-db", url(), pb.toString());
        assertThat(run.err()).doesNotContain("not recording");
        Matcher m = Pattern.compile("run id: (\\S+)").matcher(run.out());
        assertThat(m.find()).as(run.out() + run.err()).isTrue();
        String id = m.group(1);
        // recorded in PostgreSQL itself (not in a SQLite file named like the URL)
        assertThat(query("SELECT status FROM runs WHERE id = '" + id + "'")).isEqualTo("unreachable");
        assertThat(query("SELECT COUNT(*) FROM task_results WHERE run_id = '" + id + "'")).isEqualTo("1");
        assertThat(Path.of("jdbc:postgresql:")).doesNotExist();

        FleetCli.Run list = fleet("history", "--db", url());
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).contains(id).contains(pb.toString()).contains("unreachable");

        FleetCli.Run show = fleet("history", "show", id, "--db", url(), "--json");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("nowhere");

        FleetCli.Run diff = fleet("history", "diff", id, id, "--db", url());
        assertThat(diff.exit()).as(diff.err()).isZero();
        assertThat(diff.out()).contains("newly failing (0)");

        // a database URL that cannot be reached: a warning, and the run goes on
        FleetCli.Run broken = fleet("run", "-i", inventory.toString(), "--no-color", "--history-db",
                "jdbc:postgresql://127.0.0.1:1/fleet?user=postgres&connectTimeout=2", pb.toString());
        assertThat(broken.err()).contains("WARNING: not recording this run");
        assertThat(broken.out()).contains("PLAY RECAP").doesNotContain("run id:");
        FleetCli.Run unreachable = fleet("history", "--db",
                "jdbc:postgresql://127.0.0.1:1/fleet?user=postgres&connectTimeout=2");
        assertThat(unreachable.exit()).isNotZero();
        assertThat(unreachable.err()).contains("fleet: ");
    }
}
