package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, load: a burst of run requests beyond the queue limit is refused with 429 (nothing queued without end),
 * 200 event stream clients on one run each get the whole stream, and a client that stops reading is dropped
 * after {@code limits.sse_stall_timeout} while one that only paused gets everything. The runs wait on a gate file
 * (the lab hosts are processes on this machine), so every client is connected before the events flow.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ServeLoadTest {
    @TempDir
    Path dir;
    @RegisterExtension
    static final SshdLab lab = new SshdLab(3);
    ServeHarness s;
    Path gate;

    @AfterEach
    void stop() throws Exception {
        if (gate != null) Files.writeString(gate, "open"); // never leave a run waiting on the hosts
        if (s != null) s.close();
    }

    ServeHarness start(String extra) throws Exception {
        Path root = dir.resolve("srv");
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.copy(lab.inventory(), root.resolve("inventory/lab.ini"));
        gate = dir.resolve("gate");
        String waitForGate = "    - name: wait for the gate\n      command: timeout 120 sh -c 'until [ -e " + gate
                + " ]; do sleep 0.05; done'\n";
        Files.writeString(root.resolve("playbooks/gated.yml"), "- hosts: lab\n  gather_facts: false\n  tasks:\n"
                + waitForGate + "    - name: after\n      command: echo after\n");
        // about 9 MB of events: what a client that stops reading would otherwise pile up
        StringBuilder big = new StringBuilder("- hosts: host1\n  gather_facts: false\n  vars:\n    pad: \"")
                .append("x".repeat(30_000)).append("\"\n  tasks:\n").append(waitForGate);
        for (int i = 0; i < 300; i++) {
            big.append("    - name: chunk ").append(i).append("\n      debug: {msg: \"{{ pad }}\"}\n");
        }
        Files.writeString(root.resolve("playbooks/big.yml"), big.toString());
        return new ServeHarness(root, new MemoryRunStore(),
                "ssh: {known_hosts: " + lab.knownHosts() + ", connect_timeout: 5s}\n" + extra);
    }

    String submit(String playbook) throws Exception {
        return s.client.submit(playbook);
    }

    @Test
    void fiftyConcurrentRunRequestsBeyondTheQueueLimitAreRefusedWith429() throws Exception {
        s = start("limits: {max_concurrent_runs: 2, max_queued_runs: 10, max_body_bytes: 4096}\n");
        HttpRequest post = HttpRequest.newBuilder(s.uri("/api/runs")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ServeHarness.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"playbook\": \"gated.yml\", \"inventory\": \"lab.ini\", \"limit\": \"host1\"}")).build();
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        for (int i = 0; i < 50; i++) posts.add(s.http.sendAsync(post, HttpResponse.BodyHandlers.ofString()));
        HttpResponse<String> health = s.get("/healthz"); // answered while the burst is handled
        assertThat(health.statusCode()).isEqualTo(200);
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (var f : posts) answers.add(f.get(60, TimeUnit.SECONDS));
        Map<Integer, Long> byStatus = answers.stream().collect(Collectors.groupingBy(HttpResponse::statusCode,
                Collectors.counting()));
        // 2 running + 10 queued; the gate keeps the first two running, so nothing frees a place meanwhile
        assertThat(byStatus).as(byStatus.toString()).containsOnlyKeys(202, 429).containsEntry(202, 12L)
                .containsEntry(429, 38L);
        HttpResponse<String> refused = answers.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(s.json(refused).getString("error")).contains("too many runs").contains("limits.max_queued_runs 10");
        assertThat(s.get("/api/runs?limit=50").statusCode()).isEqualTo(200);

        Files.writeString(gate, "open");
        for (HttpResponse<String> r : answers) {
            if (r.statusCode() != 202) continue;
            JsonObject run = s.poll(s.json(r).getString("id"), ServeHarness::done, Duration.ofSeconds(120));
            assertThat(run.getString("status")).isEqualTo("changed");
        }
        // places are free again
        assertThat(s.post("/api/runs", "{\"playbook\": \"gated.yml\", \"inventory\": \"lab.ini\"}").statusCode())
                .isEqualTo(202);
    }

    @Test
    void twoHundredStreamClientsGetEverythingAndAClientThatStopsReadingIsDropped() throws Exception {
        s = start("limits: {sse_stall_timeout: 6s, max_body_bytes: 4096}\n");
        String small = submit("gated.yml");
        String big = submit("big.yml");
        ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<SseClient> fast = new ArrayList<>();
            for (int i = 0; i < 200; i++) fast.add(client(small, 64 * 1024));
            for (SseClient c : fast) assertThat(c.status()).isEqualTo(200);
            List<Future<List<SseClient.Event>>> fastEvents = new ArrayList<>();
            for (SseClient c : fast) fastEvents.add(readers.submit(() -> c.readAll(120_000)));
            SseClient bigReader = client(big, 64 * 1024);
            Future<List<SseClient.Event>> bigEvents = readers.submit(() -> bigReader.readAll(120_000));
            SseClient paused = client(big, 4096);
            Future<List<SseClient.Event>> pausedEvents = readers.submit(() -> {
                Thread.sleep(1500); // reads nothing for a while (well under the stall timeout), then everything
                return paused.readAll(120_000);
            });
            SseClient never = client(big, 4096);

            Files.writeString(gate, "open");
            // the server answers while it streams
            assertThat(s.get("/api/runs/" + small).statusCode()).isEqualTo(200);
            assertThat(s.get("/healthz").statusCode()).isEqualTo(200);

            s.poll(small, ServeHarness::done, Duration.ofSeconds(120));
            s.poll(big, ServeHarness::done, Duration.ofSeconds(120));
            List<SseClient.Event> smallAll = events(small);
            List<SseClient.Event> bigAll = events(big);
            assertThat(smallAll.get(smallAll.size() - 1).type()).isEqualTo("end");
            assertThat(bigAll).hasSizeGreaterThan(600);
            for (var f : fastEvents) assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(smallAll);
            assertThat(bigEvents.get(120, TimeUnit.SECONDS)).isEqualTo(bigAll);
            assertThat(pausedEvents.get(120, TimeUnit.SECONDS)).as("a client that paused").isEqualTo(bigAll);

            // the client that never read: dropped once its buffer stayed full for the stall timeout
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (List.copyOf(s.log).stream().noneMatch(l -> l.contains("events: dropped a client of run " + big))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(s.log).as("the drop is logged").anyMatch(l -> l.contains("events: dropped a client of run "
                    + big) && l.contains("limits.sse_stall_timeout"));
            assertThat(List.copyOf(s.log).stream().filter(l -> l.contains("events: dropped"))).hasSize(1);
            List<SseClient.Event> got = never.readAll(10_000); // ends (reset or EOF), not a timeout
            assertThat(got).hasSizeLessThan(bigAll.size());
            assertThat(got).noneMatch(e -> e.type().equals("end"));
        } finally {
            readers.shutdownNow();
        }
    }

    SseClient client(String run, int receiveBuffer) throws Exception {
        return new SseClient(s.port, "/api/runs/" + run + "/events", ServeHarness.TOKEN, receiveBuffer);
    }

    /** The whole stream of a finished run, read afresh. */
    List<SseClient.Event> events(String run) throws Exception {
        try (SseClient c = client(run, 64 * 1024)) {
            assertThat(c.status()).isEqualTo(200);
            return c.readAll(30_000);
        }
    }
}
