package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.history.RunMeta;
import dev.fleet.testing.SshdFixture;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleet serve end to end against real sshd processes on loopback: runs, SSE, cancel, schedules, restarts. */
class ServeRunTest {
    @TempDir
    static Path labDir;
    @TempDir
    Path dir;
    static SshdFixture lab;
    ServeHarness s;

    @BeforeAll
    static void startLab() throws Exception {
        assumeTrue(SshdFixture.sshdAvailable(), "sshd not installed");
        lab = SshdFixture.start(labDir, 3);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) s.close();
    }

    Path root() throws Exception {
        Path root = dir.resolve("srv");
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.copy(lab.inventory(), root.resolve("inventory/lab.ini"));
        Files.writeString(root.resolve("playbooks/ok.yml"), """
                - name: health
                  hosts: lab
                  gather_facts: false
                  tasks:
                    - name: ping
                      ping:
                    - name: uptime
                      command: echo up {{ who | default('nobody') }}
                      changed_when: false
                """);
        Files.writeString(root.resolve("playbooks/fail.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: disk check
                      shell: echo "disk full on /var" >&2; test {{ inventory_hostname }} = host1
                """);
        Files.writeString(root.resolve("playbooks/slow.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: first
                      command: echo one
                    - name: wait a bit
                      command: sleep {{ secs | default(1) }}
                    - name: last
                      command: echo two
                """);
        Files.writeString(root.resolve("playbooks/sleep.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: long
                      command: sleep 30
                """);
        return root;
    }

    String sshYaml() {
        return "ssh: {known_hosts: " + lab.knownHosts() + ", connect_timeout: 5s}\n";
    }

    ServeHarness start(MemoryRunStore store, String extra) throws Exception {
        return new ServeHarness(root(), store, sshYaml() + extra);
    }

    String submit(String playbook, String more) throws Exception {
        HttpResponse<String> r = s.post("/api/runs", "{\"playbook\": \"" + playbook + "\", \"inventory\": \"lab.ini\""
                + more + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonObject j = s.json(r);
        assertThat(j.getString("url")).isEqualTo("/api/runs/" + j.getString("id"));
        assertThat(r.headers().firstValue("Location")).hasValue(j.getString("url"));
        return j.getString("id");
    }

    @Test
    void aRunGoesFromAcceptedToOkAndIsRecorded() throws Exception {
        s = start(new MemoryRunStore(), "");
        String id = submit("ok.yml", ", \"extra_vars\": {\"who\": \"api\"}, \"limit\": \"host1:host2\"");
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(60));
        assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("ok");
        assertThat(run.getInteger("exit_code")).isZero();
        assertThat(run.getString("trigger")).isEqualTo("api");
        assertThat(run.getJsonObject("recap").fieldNames()).containsExactly("host1", "host2");
        assertThat(run.getJsonObject("recap").getJsonObject("host1").getInteger("ok")).isEqualTo(2);
        JsonArray tasks = run.getJsonObject("matrix").getJsonArray("tasks");
        assertThat(tasks).hasSize(2);
        assertThat(tasks.getJsonObject(1).getJsonObject("cells").getString("host2")).isEqualTo("ok");
        assertThat(run.getJsonArray("failed_hosts")).isEmpty();
        // in the history, with the trigger; and listed
        assertThat(s.store.find(id)).hasValueSatisfying(r -> {
            assertThat(r.summary().status()).isEqualTo("ok");
            assertThat(r.summary().meta().trigger()).isEqualTo("api");
            assertThat(r.hosts().get("host1").tasks().get(1).stdout()).isEqualTo("up api");
        });
        JsonArray list = s.json(s.get("/api/runs?limit=5")).getJsonArray("runs");
        assertThat(list.getJsonObject(0).getString("id")).isEqualTo(id);
        assertThat(list.getJsonObject(0).getString("status")).isEqualTo("ok");
    }

    @Test
    void failedHostsComeWithTheirMessagesAndSymptomGroups() throws Exception {
        s = start(new MemoryRunStore(), "");
        String id = submit("fail.yml", "");
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(60));
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getInteger("exit_code")).isEqualTo(2);
        JsonArray failed = run.getJsonArray("failed_hosts");
        assertThat(failed).hasSize(2);
        assertThat(failed.getJsonObject(0).getString("task")).isEqualTo("disk check");
        assertThat(failed.getJsonObject(0).getString("stderr")).contains("disk full on /var");
        JsonArray groups = run.getJsonArray("symptom_groups");
        assertThat(groups).hasSize(1);
        assertThat(groups.getJsonObject(0).getInteger("count")).isEqualTo(2);
        assertThat(groups.getJsonObject(0).getJsonArray("hosts").getList()).containsExactly("host2", "host3");
    }

    /** Reads an SSE stream to its end: (event, data) pairs. */
    List<String[]> readEvents(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri(path)).timeout(Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        HttpResponse<java.io.InputStream> r = s.http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        List<String[]> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) {
                    events.add(new String[] {event, line.substring(6)});
                    if ("end".equals(event)) break;
                }
            }
        }
        return events;
    }

    @Test
    void theEventStreamReplaysThenFollowsLiveAndEnds() throws Exception {
        s = start(new MemoryRunStore(), "");
        String id = submit("slow.yml", ", \"extra_vars\": {\"secs\": 2}");
        List<String[]> events = readEvents("/api/runs/" + id + "/events", ServeHarness.TOKEN);
        List<String> types = events.stream().map(e -> e[0]).toList();
        assertThat(types).startsWith("run_started", "play_started", "task_started");
        assertThat(types).contains("host_task_finished", "play_finished", "run_finished");
        assertThat(types.get(types.size() - 1)).isEqualTo("end");
        assertThat(types.stream().filter("host_task_finished"::equals).count()).isEqualTo(9);
        JsonObject hostTask = new JsonObject(events.stream().filter(e -> e[0].equals("host_task_finished"))
                .findFirst().orElseThrow()[1]);
        assertThat(hostTask.getString("task")).isEqualTo("first");
        assertThat(hostTask.getString("stdout")).isEqualTo("one");
        JsonObject end = new JsonObject(events.get(events.size() - 1)[1]);
        assertThat(end.getString("status")).isEqualTo("changed");
        assertThat(end.getInteger("exit_code")).isZero();

        // after the end: a full replay, with the token as a query parameter (what EventSource uses)
        List<String[]> again = readEvents("/api/runs/" + id + "/events?access_token=" + ServeHarness.TOKEN, null);
        assertThat(again.stream().map(e -> e[0]).toList()).isEqualTo(types);
    }

    @Test
    void deleteCancelsARunningRunQuickly() throws Exception {
        s = start(new MemoryRunStore(), "");
        String id = submit("sleep.yml", "");
        s.poll(id, r -> "running".equals(r.getString("status")),
                Duration.ofSeconds(20));
        Thread.sleep(500); // the sleep is running on the hosts now
        long t0 = System.nanoTime();
        HttpResponse<String> del = s.send("DELETE", "/api/runs/" + id, null, ServeHarness.TOKEN);
        assertThat(del.statusCode()).isEqualTo(202);
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(15));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        assertThat(run.getString("status")).isEqualTo("cancelled");
        assertThat(run.getInteger("exit_code")).isEqualTo(99);
        assertThat(s.store.status(id)).isEqualTo("interrupted");
        // a second DELETE: already over
        assertThat(s.send("DELETE", "/api/runs/" + id, null, ServeHarness.TOKEN).statusCode()).isEqualTo(409);
    }

    @Test
    void aDeleteRightAfterThePostStillCancels() throws Exception {
        s = start(new MemoryRunStore(), "");
        String id = submit("sleep.yml", "");
        assertThat(s.send("DELETE", "/api/runs/" + id, null, ServeHarness.TOKEN).statusCode()).isEqualTo(202);
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(15));
        assertThat(run.getString("status")).isEqualTo("cancelled");
    }

    @Test
    void runsBeyondTheConcurrencyLimitQueue() throws Exception {
        s = start(new MemoryRunStore(), "limits: {max_concurrent_runs: 1}\n");
        String first = submit("sleep.yml", "");
        String second = submit("ok.yml", "");
        assertThat(s.json(s.get("/api/runs/" + second)).getString("status")).isEqualTo("queued");
        s.send("DELETE", "/api/runs/" + first, null, ServeHarness.TOKEN);
        assertThat(s.poll(second, ServeHarness::done, Duration.ofSeconds(30)).getString("status")).isEqualTo("ok");
    }

    @Test
    void aScheduleFiresOnItsCronAndNeverOverlapsItself() throws Exception {
        // 6 fields: a leading seconds field; every 2 seconds, and each run takes about 5
        s = start(new MemoryRunStore(), """
                schedules:
                  - name: sweep
                    cron: "*/2 * * * * *"
                    time_zone: Europe/Berlin
                    playbook: slow.yml
                    inventory: lab.ini
                    limit: host1
                    extra_vars: {secs: 5}
                """);
        Thread.sleep(9000);
        s.stopServer();
        var runs = s.store.recent(50, 0).stream().filter(r -> r.meta().trigger().equals("schedule:sweep")).toList();
        assertThat(runs).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        for (int i = 0; i + 1 < runs.size(); i++) { // newest first: each started after the previous one ended
            assertThat(runs.get(i).start()).isAfterOrEqualTo(runs.get(i + 1).end());
        }
        assertThat(s.log).anyMatch(l -> l.contains("schedule sweep: skipped") && l.contains("still running"));
        assertThat(runs.get(0).meta().limit()).isEqualTo("host1");
    }

    @Test
    void theFireNowHookAndTheSchedulesListing() throws Exception {
        MemoryRunStore store = new MemoryRunStore();
        Instant threeDaysAgo = Instant.now().minus(Duration.ofDays(3));
        store.add("20000101T000000Z-00000001", new RunMeta("ok.yml", "lab.ini", null, "schedule:nightly", false),
                "failed", threeDaysAgo, 2);
        store.add("20000101T000000Z-00000002", new RunMeta("ok.yml", "lab.ini", null, "schedule:nightly", false),
                "ok", threeDaysAgo.plusSeconds(60), 0);
        s = start(store, """
                schedules:
                  - name: nightly
                    cron: "0 2 * * *"
                    time_zone: Europe/Berlin
                    playbook: slow.yml
                    inventory: lab.ini
                    extra_vars: {secs: 3}
                """);
        JsonObject sched = s.json(s.get("/api/schedules")).getJsonArray("schedules").getJsonObject(0);
        assertThat(sched.getString("name")).isEqualTo("nightly");
        assertThat(sched.getInteger("missed_runs")).isBetween(2, 3);
        assertThat(sched.getJsonObject("last_run").getString("id")).isEqualTo("20000101T000000Z-00000002");
        assertThat(sched.getString("next_run")).contains("T02:00+");
        assertThat(sched.getJsonArray("trend")).hasSize(2);
        assertThat(sched.getJsonArray("trend").getJsonObject(0).getInteger("failed_hosts")).isEqualTo(2);
        assertThat(s.log).anyMatch(l -> l.contains("schedule nightly:") && l.contains("missed")
                && l.contains("not run now"));
        // missed runs are reported, not caught up
        Thread.sleep(300);
        assertThat(s.store.recent(10, 0)).hasSize(2);

        HttpResponse<String> fire = s.post("/api/schedules/nightly/run", null);
        assertThat(fire.statusCode()).as(fire.body()).isEqualTo(202);
        String id = s.json(fire).getString("id");
        HttpResponse<String> again = s.post("/api/schedules/nightly/run", null);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(s.json(again).getString("error")).contains("skipped: previous run still running");
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(30));
        assertThat(run.getString("trigger")).isEqualTo("schedule:nightly");
        sched = s.json(s.get("/api/schedules")).getJsonArray("schedules").getJsonObject(0);
        assertThat(sched.getInteger("skipped_runs")).isEqualTo(1);
        assertThat(sched.getJsonObject("last_run").getString("id")).isEqualTo(id);
        assertThat(sched.getJsonArray("trend")).hasSize(3);
        assertThat(s.post("/api/schedules/nightly/run", null).statusCode()).isEqualTo(202); // free again
    }

    @Test
    void shutdownInterruptsRunningRunsAndHistorySurvivesARestart() throws Exception {
        MemoryRunStore store = new MemoryRunStore();
        s = start(store, "");
        String done = submit("ok.yml", "");
        s.poll(done, ServeHarness::done, Duration.ofSeconds(30));
        String running = submit("sleep.yml", "");
        s.poll(running, r -> "running".equals(r.getString("status")), Duration.ofSeconds(20));
        long t0 = System.nanoTime();
        s.stopServer();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        assertThat(store.status(running)).isEqualTo("interrupted");
        assertThat(s.log).anyMatch(l -> l.contains("interrupting 1 running run"));
        s.vertx.close();

        // the same store behind a new server (with the in-memory test store "restart" means a new server, same
        // store object; the SQLite store makes it a new process)
        s = new ServeHarness(dir.resolve("srv"), store, sshYaml());
        JsonObject old = s.json(s.get("/api/runs/" + done));
        assertThat(old.getString("status")).isEqualTo("ok");
        assertThat(old.getJsonObject("recap").fieldNames()).containsExactly("host1", "host2", "host3");
        assertThat(old.getJsonObject("matrix").getJsonArray("tasks")).hasSize(2);
        assertThat(s.json(s.get("/api/runs/" + running)).getString("status")).isEqualTo("interrupted");
        JsonArray list = s.json(s.get("/api/runs")).getJsonArray("runs");
        assertThat(list.stream().map(o -> ((JsonObject) o).getString("id")).toList()).containsExactly(running, done);
        // SSE on a run that only the history knows: its summary, then end
        List<String[]> events = readEvents("/api/runs/" + done + "/events", ServeHarness.TOKEN);
        assertThat(events.stream().map(e -> e[0]).toList()).containsExactly("summary", "end");
    }

    record Script(int exit, String out, String err) {}

    Script trigger(String... args) throws Exception {
        Path script = Path.of("..", "examples", "ci", "trigger.sh").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(script), "examples/ci/trigger.sh not found");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("FLEET_URL", "http://127.0.0.1:" + s.port);
        pb.environment().put("FLEET_TOKEN", ServeHarness.TOKEN);
        pb.environment().put("FLEET_POLL", "0.3");
        pb.environment().put("FLEET_EXTRA_VARS", "{\"who\": \"ci\"}");
        Path out = dir.resolve("trigger-" + System.nanoTime() + ".out");
        Path err = dir.resolve("trigger-" + System.nanoTime() + ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new Script(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theCiTriggerScriptStartsPollsAndFailsTheJobOnFailedHosts() throws Exception {
        s = start(new MemoryRunStore(), "");
        Script ok = trigger("ok.yml", "lab.ini", "host1");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("finished: ok (exit code 0)").contains("host1: ok");
        String id = s.json(s.get("/api/runs?limit=1")).getJsonArray("runs").getJsonObject(0).getString("id");
        assertThat(s.store.find(id).orElseThrow().hosts().get("host1").tasks().get(1).stdout()).isEqualTo("up ci");

        Script failed = trigger("fail.yml", "lab.ini");
        assertThat(failed.exit()).as(failed.out() + failed.err()).isEqualTo(2);
        assertThat(failed.out()).contains("finished: failed (exit code 2)");
        assertThat(failed.err()).contains("2 host(s) failed at disk check");

        Script refused = trigger("../etc/passwd", "lab.ini");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("run refused (HTTP 403)").contains("'..' is not allowed");
    }
}
