package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.history.RunStore;
import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the history database fails mid-run, on a disk that fills up (a 1 MiB tmpfs, filled by the test),
 * locked by another connection (BEGIN EXCLUSIVE) or made read-only (chattr +i). The run goes on and ends
 * normally, one warning says what was not recorded (service log, the run's {@code history_error}, or the CLI's
 * console), and the service keeps working. Needs root for the tmpfs mount; skipped elsewhere.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ServeHistoryFailureTest {
    @TempDir
    Path dir;
    @RegisterExtension
    static final SshdLab lab = new SshdLab(3);
    Path state;
    Path gate;
    Path started;
    boolean mounted;
    io.vertx.core.Vertx vertx;
    RunStore store;
    FleetServer server;
    ServeClient api;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<Path> immutable = new ArrayList<>();

    @BeforeEach
    void mountTinyDisk() throws Exception {
        state = dir.resolve("state");
        Files.createDirectories(state);
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount a tmpfs");
        mounted = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", state.toString()) == 0;
        assumeTrue(mounted, "could not mount a tmpfs");
        gate = dir.resolve("gate");
        started = dir.resolve("started");
    }

    @AfterEach
    void unmount() throws Exception {
        if (gate != null) Files.writeString(gate, "open");
        if (server != null) server.close().get(90, TimeUnit.SECONDS);
        if (vertx != null) vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (store != null) store.close();
        if (mounted && run("umount", state.toString()) != 0) run("umount", "-l", state.toString());
        for (Path f : immutable) run("chattr", "-i", f.toString()); // before @TempDir's clean-up
    }

    static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    /** A playbook on the lab: a first task, a wait for the gate file, then three tasks with 60 kB of output. */
    String playbook() {
        StringBuilder b = new StringBuilder("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: before
                      command: touch %s
                    - name: wait for the gate
                      command: timeout 120 sh -c 'until [ -e %s ]; do sleep 0.05; done'
                """.formatted(started, gate));
        for (int i = 1; i <= 3; i++) {
            b.append("    - name: output ").append(i).append("\n      shell: head -c 60000 /dev/zero | tr '\\0' y\n");
        }
        return b.toString();
    }

    void startServer() throws Exception {
        startServer(state.resolve("history.db"));
    }

    void startServer(Path db) throws Exception {
        Path root = dir.resolve("srv");
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.copy(lab.inventory(), root.resolve("inventory/lab.ini"));
        Files.writeString(root.resolve("playbooks/gated.yml"), playbook());
        Files.writeString(root.resolve("playbooks/ok.yml"),
                "- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: echo fine\n");
        Files.writeString(root.resolve("fleet.yml"), """
                listen: {host: 127.0.0.1, port: 0}
                tokens: [%s]
                playbook_dirs: [playbooks]
                inventory_dirs: [inventory]
                history: {db: %s}
                ssh: {known_hosts: %s, connect_timeout: 5s}
                """.formatted(ServeHarness.TOKEN, db, lab.knownHosts()));
        ServeConfig cfg = ServeConfig.load(root.resolve("fleet.yml"), Map.<String, String>of()::get);
        store = RunStores.open(cfg.history().db());
        vertx = io.vertx.core.Vertx.vertx();
        server = new FleetServer(vertx, cfg, store, log::add);
        int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        api = new ServeClient(port);
    }

    /** Submits the gated run and waits until its first task finished on every host (and was committed). */
    String startGatedRun() throws Exception {
        String id = api.submit("gated.yml");
        api.poll(id, r -> r.getJsonObject("matrix") != null
                && r.getJsonObject("matrix").getJsonArray("tasks").size() >= 1
                && r.getJsonObject("recap").stream().allMatch(h -> ((JsonObject) h.getValue()).getInteger("changed",
                0) >= 1), Duration.ofSeconds(60));
        Thread.sleep(1000); // past the history's 200 ms commit interval
        return id;
    }

    List<String> warnings(String id) {
        return List.copyOf(log).stream().filter(l -> l.contains("WARNING") && l.contains(id)).toList();
    }

    @Test
    void aDiskThatFillsUpMidRunLosesTheRestOfTheRecordNotTheRun() throws Exception {
        startServer();
        String id = startGatedRun();
        fillDisk();
        Files.writeString(gate, "open");
        JsonObject run = api.poll(id, ServeHarness::done, Duration.ofSeconds(120));
        assertThat(run.getString("status")).as(run.encode()).isEqualTo("changed");
        assertThat(run.getJsonObject("recap").fieldNames()).containsExactlyInAnyOrder("host1", "host2", "host3");
        // how much is lost depends on what still fits (SQLite reuses room in its journal): at least the big outputs
        assertThat(run.getString("history_error")).as(run.encode()).contains("full")
                .containsPattern("\\d+ task result\\(s\\) not recorded");
        List<String> warned = warnings(id);
        assertThat(warned).as(String.join("\n", log)).hasSize(1);
        assertThat(warned.get(0)).contains("history: WARNING: run " + id + " is not recorded in")
                .contains("full").contains("the run goes on");
        // what was committed before the disk filled is there
        assertThat(store.find(id).orElseThrow().hosts().get("host1").tasks()).extracting(t -> t.task())
                .startsWith("before");

        // a run submitted while the disk is full still runs
        HttpResponse<String> more = api.post("/api/runs", "{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\"}");
        assertThat(more.statusCode()).as(more.body()).isEqualTo(202);
        String unrecorded = new JsonObject(more.body()).getString("id");
        assertThat(api.poll(unrecorded, ServeHarness::done, Duration.ofSeconds(60)).getString("status"))
                .isEqualTo("changed");
        assertThat(api.get("/healthz").statusCode()).isEqualTo(200);

        // room again: the next run is recorded whole
        Files.delete(state.resolve("filler"));
        String after = api.submit("ok.yml");
        JsonObject done = api.poll(after, ServeHarness::done, Duration.ofSeconds(60));
        assertThat(done.containsKey("history_error")).as(done.encode()).isFalse();
        assertThat(store.find(after).orElseThrow().summary().status()).isEqualTo("changed");
    }

    @Test
    void aDatabaseLockedByAnotherProcessMidRunDoesNotStopTheRun() throws Exception {
        startServer();
        String id = startGatedRun();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + state.resolve("history.db"));
             Statement st = other.createStatement()) {
            st.execute("BEGIN EXCLUSIVE");
            Files.writeString(gate, "open");
            CompletableFuture<Integer> health = CompletableFuture.supplyAsync(() -> {
                try {
                    return api.get("/api/runs/" + id).statusCode();
                } catch (Exception e) {
                    return -1;
                }
            });
            JsonObject run = api.poll(id, ServeHarness::done, Duration.ofSeconds(120));
            assertThat(health.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            assertThat(run.getString("status")).isEqualTo("changed");
            assertThat(run.getString("history_error")).as(run.encode()).contains("locked")
                    .contains("task result(s) not recorded");
            assertThat(warnings(id)).as(String.join("\n", log)).hasSize(1);
            st.execute("ROLLBACK");
        }
        String after = api.submit("ok.yml");
        assertThat(api.poll(after, ServeHarness::done, Duration.ofSeconds(60)).containsKey("history_error")).isFalse();
        assertThat(store.find(after).orElseThrow().summary().status()).isEqualTo("changed");
    }

    @Test
    void aDatabaseThatBecomesReadOnlyMidRunDoesNotStopTheRun() throws Exception {
        // chattr +i: even root cannot write, also through files already open (not on the tmpfs: no such flag there)
        Path ro = Files.createDirectories(dir.resolve("ro"));
        startServer(ro.resolve("history.db"));
        String id = startGatedRun();
        for (String f : List.of("history.db", "history.db-wal")) {
            Path p = ro.resolve(f);
            if (run("chattr", "+i", p.toString()) == 0) immutable.add(p);
        }
        assumeTrue(immutable.size() == 2, "chattr +i not supported here");
        Files.writeString(gate, "open");
        JsonObject run = api.poll(id, ServeHarness::done, Duration.ofSeconds(120));
        assertThat(run.getString("status")).isEqualTo("changed");
        assertThat(run.getString("history_error")).as(run.encode()).contains("task result(s) not recorded");
        assertThat(warnings(id)).as(String.join("\n", log)).hasSize(1);
        for (Path p : immutable) run("chattr", "-i", p.toString());
        immutable.clear();
        String after = api.submit("ok.yml");
        assertThat(api.poll(after, ServeHarness::done, Duration.ofSeconds(60)).containsKey("history_error")).isFalse();
        assertThat(store.find(after).orElseThrow().summary().status()).isEqualTo("changed");
    }

    @Test
    void theCliRunGoesOnAndWarnsOnceWhenItsHistoryDiskFillsUp() throws Exception {
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, playbook());
        CompletableFuture<FleetCli.Run> cli = CompletableFuture.supplyAsync(() -> {
            try {
                return new FleetCli(dir, lab.inventory(), lab.knownHosts()).runFile(pb, "--history-db",
                        state.resolve("history.db").toString(), "--html", state.resolve("report.html").toString());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(started) && System.nanoTime() < deadline) Thread.sleep(50);
        Thread.sleep(1000);
        fillDisk();
        Files.writeString(gate, "open");
        FleetCli.Run r = cli.get(150, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("PLAY RECAP");
        List<String> historyWarnings = r.err().lines().filter(l -> l.contains("history")).toList();
        assertThat(historyWarnings).as(r.err()).hasSize(1);
        assertThat(historyWarnings.get(0)).contains("was not fully recorded in the history (" + state)
                .contains("full").contains("task result(s) not recorded");
        // the HTML report could not be written either: no half-written file is left (the temporary one is removed)
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .allMatch(n -> n.matches("history\\.db(-wal|-shm)?|filler"));
        }
    }

    /** Writes a file until the tmpfs has no room left. */
    void fillDisk() throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(state.resolve("filler"))) {
            for (int i = 0; i < 1024; i++) out.write(chunk);
        } catch (IOException full) {
            return; // no space left on device: full
        }
        throw new AssertionError("the 1 MiB tmpfs did not fill up");
    }
}
