package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code kill -9} of a real {@code fleet serve} process (a JVM of its own) while runs execute against
 * lab hosts. After a restart the history database is intact, the runs that were going are {@code interrupted} with
 * every task result finished before the kill, the schedule fires again, and no temporary file is left behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeCrashRecoveryTest {
    @TempDir
    Path dir;
    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);
    final List<ServeProcess> servers = new ArrayList<>();

    @BeforeAll
    static void needsJava() {
        assumeTrue(ProcessHandle.current().info().command().isPresent(), "no java binary path");
    }

    @AfterEach
    void stopServers() throws Exception {
        for (ServeProcess s : servers) s.close();
    }

    @Test
    void killDashNineMidRunLeavesAnIntactHistoryAndTheServiceResumes() throws Exception {
        Path root = dir.resolve("srv");
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.createDirectories(root.resolve("state"));
        Files.copy(lab.inventory(), root.resolve("inventory/lab.ini"));
        Files.writeString(root.resolve("playbooks/long.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: first
                      command: echo first-done
                    - name: second
                      command: echo second-done
                    - name: long
                      command: sleep 47
                """);
        Files.writeString(root.resolve("playbooks/tick.yml"), """
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - name: tick
                      command: echo tick
                """);
        Path config = root.resolve("fleet.yml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                tokens: [%s]
                playbook_dirs: [playbooks]
                inventory_dirs: [inventory]
                history: {db: state/history.db}
                limits: {max_concurrent_runs: 2}
                ssh: {known_hosts: %s, connect_timeout: 5s}
                schedules:
                  - name: tick
                    cron: "*/2 * * * * *"
                    playbook: tick.yml
                    inventory: lab.ini
                """.formatted(ServeHarness.TOKEN, lab.knownHosts()));
        Path log = dir.resolve("serve.log");
        ServeProcess first = start(config, log);

        // two runs reach their long task on both hosts; a third waits in the queue behind them
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = first.send("POST", "/api/runs",
                    "{\"playbook\": \"long.yml\", \"inventory\": \"lab.ini\"}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(new JsonObject(r.body()).getString("id"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sleeps().size() < 4 && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sleeps()).as("the long task runs on both hosts in two runs\n" + first.logText()).hasSize(4);
        List<String> running = new ArrayList<>();
        for (String id : ids) {
            JsonObject run = new JsonObject(first.send("GET", "/api/runs/" + id, null).body());
            if ("running".equals(run.getString("status"))) running.add(id);
            else assertThat(run.getString("status")).isEqualTo("queued");
        }
        assertThat(running).hasSize(2);
        // task rows are committed in batches at most 200 ms apart: wait well past one batch
        Thread.sleep(1500);
        first.kill9();
        assertThat(first.process.exitValue()).isEqualTo(137);
        for (String id : running) {
            assertThat(statusInDb(root, id)).as("before the restart").isEqualTo("running");
        }

        Instant restarted = Instant.now();
        ServeProcess second = start(config, log);
        assertThat(integrityCheck(root)).isEqualTo("ok");
        for (String id : ids) {
            JsonObject run = new JsonObject(second.send("GET", "/api/runs/" + id, null).body());
            assertThat(run.getString("status")).as(id + " " + run.encode()).isEqualTo("interrupted");
            assertThat(run.getInteger("exit_code")).isEqualTo(99);
        }
        for (String id : running) {
            // the finished tasks of both hosts are there, with their output; the long one never finished
            assertThat(taskRows(root, id)).containsExactlyInAnyOrder(
                    "host1 first first-done", "host1 second second-done",
                    "host2 first first-done", "host2 second second-done");
        }
        assertThat(second.logText()).contains("marked interrupted");

        // the schedule fires again after the restart
        String tick = null;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (tick == null && System.nanoTime() < deadline) {
            JsonArray list = new JsonObject(second.send("GET", "/api/runs?trigger=schedule:tick&limit=1", null)
                    .body()).getJsonArray("runs");
            if (!list.isEmpty() && Instant.parse(list.getJsonObject(0).getString("start")).isAfter(restarted)
                    && list.getJsonObject(0).getInteger("exit_code") != null) {
                tick = list.getJsonObject(0).getString("id");
            }
            if (tick == null) Thread.sleep(200);
        }
        assertThat(tick).as("a schedule run after the restart\n" + second.logText()).isNotNull();
        assertThat(statusInDb(root, tick)).isEqualTo("changed");

        // nothing half-written is left: the state directory holds the database and SQLite's own files only
        second.close();
        assertThat(second.process.exitValue()).as("SIGTERM: a clean stop").isEqualTo(143);
        assertThat(second.logText()).contains("stopped");
        try (Stream<Path> files = Files.list(root.resolve("state"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.matches("history\\.db(-wal|-shm)?"));
        }
        try (Stream<Path> files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".fleet-"));
        }
        assertThat(integrityCheck(root)).isEqualTo("ok");
    }

    ServeProcess start(Path config, Path log) throws Exception {
        ServeProcess s = ServeProcess.start(config, log);
        servers.add(s);
        return s;
    }

    static List<ProcessHandle> sleeps() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(h -> h.info().commandLine().map(c -> c.matches("(\\S*/)?sleep 47")).orElse(false))
                    .toList();
        }
    }

    static Connection db(Path root) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + root.resolve("state/history.db"));
    }

    static String integrityCheck(Path root) throws Exception {
        try (Connection c = db(root); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String statusInDb(Path root, String id) throws Exception {
        try (Connection c = db(root);
             PreparedStatement ps = c.prepareStatement("SELECT status FROM runs WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static List<String> taskRows(Path root, String id) throws Exception {
        try (Connection c = db(root); PreparedStatement ps = c.prepareStatement(
                "SELECT host, task, stdout FROM task_results WHERE run_id = ? ORDER BY host, seq")) {
            ps.setString(1, id);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3));
            }
            return out;
        }
    }
}
