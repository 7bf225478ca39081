package dev.fleet.cluster;

import static dev.fleet.cluster.ClusterRunTest.normalised;
import static dev.fleet.testing.WorkerCluster.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.engine.RunOptions;
import dev.fleet.inventory.InventoryLoader;
import dev.fleet.inventory.InventoryViews;
import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.WorkerCluster;
import dev.fleet.vault.Vault;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered run when workers fail or join: worker JVMs as separate processes on 127.0.250.2-3 (a late one on
 * .5), the coordinator in this JVM, real sshd lab hosts. The playbooks hold the run at a chosen point by waiting
 * for a file (the lab hosts share this machine's file system), so faults happen where each test wants them.
 * The tests build on each other's workers: worker-3 joins in the first run, is killed in the second, and one of
 * the two left is frozen in the third.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultTest {
    static final int HOSTS = 6;
    /** Not ClusterRunTest's addresses: the two classes may run at once (on a shared build machine). */
    static final String CLUSTER = "127.0.250.";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(HOSTS);

    @TempDir
    static Path dir;

    static WorkerCluster cluster;

    @BeforeAll
    static void startWorkers() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, CLUSTER, "fleet-test", 5, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3, "worker-3", 5));
        cluster.start("worker-1", "");
        cluster.start("worker-2", "");
        cluster.awaitReady("worker-1");
        cluster.awaitReady("worker-2");
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        if (cluster != null) cluster.close();
    }

    private static Path log(String id) {
        return cluster.log(id);
    }

    /** A shell command for a task that waits (at most 60 s) until {@code go} exists, after touching {@code held}. */
    private static String holdUntil(Path held, Path go) {
        return "touch " + held + "; i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done";
    }

    private CompletableFuture<FleetCli.Run> runInBackground(Path playbook) {
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        return CompletableFuture.supplyAsync(() -> {
            try {
                return cli.runFile(playbook, "--no-history", "--cluster", cluster.coordinatorConfig().toString());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
    }

    private static void await(String what, CompletableFuture<?> run, BooleanSupplier done) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            assertThat(run).as("the run ended before " + what).isNotDone();
            assertThat(System.nanoTime()).as("waited too long for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Hosts a worker's latest closed run gave it (its log's last "closed" line). */
    private static int hostsRan(String id) throws IOException {
        Matcher m = Pattern.compile("closed \\(ran tasks for (\\d+) hosts\\)").matcher(readLog(log(id)));
        int last = -1;
        while (m.find()) last = Integer.parseInt(m.group(1));
        return last;
    }

    /** The coordinator's Hazelcast members now (the run's node lives in this JVM). */
    private static List<Member> coordinatorsMembers() {
        List<Member> out = new ArrayList<>();
        for (HazelcastInstance hz : Hazelcast.getAllHazelcastInstances()) {
            if (hz.getLifecycleService().isRunning()) out.addAll(hz.getCluster().getMembers());
        }
        return out;
    }

    private static boolean isMember(int node) {
        return coordinatorsMembers().stream().anyMatch(m -> m.getAddress().getHost().equals(CLUSTER + node));
    }

    @Test
    @Order(1)
    void aTaskSentTwiceRunsOnce() throws Exception {
        Path count = dir.resolve("count.txt");
        Path pbDir = Files.createDirectories(dir.resolve("dedup"));
        Files.writeString(pbDir.resolve("pb.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: count
                      shell: "sleep 1; echo ran >> %s"
                """.formatted(count));
        String inventory = new JsonObject(InventoryViews.list(InventoryLoader.load(
                List.of(lab.inventory().toString()), Vault.NONE))).encode();
        String run = "dedup-" + System.nanoTime();
        JsonObject open = new JsonObject().put("op", "open").put("run", run)
                .put("archive", PlaybookArchive.pack(pbDir)).put("coordinator", "none").put("playbook", "pb.yml")
                .put("inventory", inventory).put("options", RunOptionsWire.toJson(RunOptions.defaults()));
        try (ClusterNode node = ClusterNode.start(ClusterConfig.load(cluster.coordinatorConfig()))) {
            String to = Wire.address("worker-1");
            ask(node, to, new JsonObject().put("op", "ping"), 6);
            ask(node, to, open, 1);
            ask(node, to, Wire.scope(run, new RemoteScope("s0", 0, List.of("host1"), List.of("host1"))), 1);
            JsonObject task = Wire.task(run, new RemoteTask(1, "host1", 0, 0, "s0", Map.of(), null, null, 60_000));
            // the same message twice while it runs (a resend after a lost reply), then once more after it ran
            Future<JsonObject> first = request(node, to, task);
            Future<JsonObject> second = request(node, to, task);
            JsonObject a = first.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            JsonObject b = second.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            JsonObject c = ask(node, to, task, 1);
            assertThat(a.getJsonObject("outcome").getString("status")).isEqualTo("CHANGED");
            assertThat(b).isEqualTo(a);
            assertThat(c).isEqualTo(a);
            assertThat(Files.readAllLines(count)).containsExactly("ran");
            // an older sequence number than one already run is refused, not run
            JsonObject older = Wire.task(run, new RemoteTask(0, "host1", 0, 0, "s0", Map.of(), null, null, 60_000));
            assertThat(request(node, to, older).toCompletionStage().toCompletableFuture())
                    .failsWithin(30, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(ReplyException.class).withMessageContaining("older");
            ask(node, to, new JsonObject().put("op", "close").put("run", run), 1);
            assertThat(Files.readAllLines(count)).containsExactly("ran");
        }
    }

    private static Future<JsonObject> request(ClusterNode node, String to, JsonObject body) {
        return node.vertx.eventBus().<JsonObject>request(to, body, new DeliveryOptions().setSendTimeout(30_000))
                .map(m -> m.body());
    }

    /** A request's answer; asked up to {@code attempts} times (the first TLS handshake with a fresh JVM is slow). */
    private static JsonObject ask(ClusterNode node, String to, JsonObject body, int attempts) throws Exception {
        for (int i = 1; ; i++) {
            try {
                return request(node, to, body).toCompletionStage().toCompletableFuture().get(40, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (i >= attempts) throw e;
            }
        }
    }

    @Test
    @Order(2)
    void aWorkerStartedMidRunGetsHostsOfALaterBatch() throws Exception {
        Path held = dir.resolve("join-held");
        Path go = dir.resolve("join-go");
        Path playbook = dir.resolve("join.yml");
        Files.writeString(playbook, """
                - hosts: lab
                  gather_facts: false
                  serial: 2
                  tasks:
                    - name: hold the first batch
                      shell: "%s"
                      when: inventory_hostname == 'host1'
                    - name: work
                      command: "true"
                """.formatted(holdUntil(held, go)));
        CompletableFuture<FleetCli.Run> running = runInBackground(playbook);
        await("the first batch to be held", running, () -> Files.exists(held));
        cluster.start("worker-3", "");
        cluster.awaitReady("worker-3");
        await("the run to be opened on worker-3", running, () -> {
            try {
                return readLog(log("worker-3")).contains("opened");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Files.writeString(go, "");
        FleetCli.Run run = running.get(90, TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.err() + run.out()).isEqualTo(0);
        assertThat(run.report().getJsonObject("hosts").size()).isEqualTo(HOSTS);
        for (int i = 1; i <= HOSTS; i++) assertThat(run.statuses("host" + i)).as("host" + i).endsWith("changed");
        int late = hostsRan("worker-3");
        System.out.println("hosts per worker: worker-1 " + hostsRan("worker-1") + ", worker-2 "
                + hostsRan("worker-2") + ", worker-3 (joined mid-run) " + late);
        assertThat(late).as("hosts of later batches went to the worker that joined").isPositive();
        assertThat(hostsRan("worker-1") + hostsRan("worker-2") + late).isEqualTo(HOSTS);
    }

    static final String BETWEEN_TASKS = """
            - hosts: lab
              gather_facts: false
              tasks:
                - name: first
                  command: "echo {{ inventory_hostname }}"
                  register: first
                - name: remember
                  set_fact:
                    mark: "m-{{ inventory_hostname }}"
                - name: hold while no other task runs
                  shell: "%s"
                  run_once: true
                - name: state travelled
                  debug:
                    msg: "{{ mark }} {{ first.stdout }}"
                - name: last
                  command: "echo {{ mark }}"
            """;

    @Test
    @Order(3)
    void aWorkerKilledBetweenTasksHasItsHostsRerunElsewhere() throws Exception {
        assumeTrue(cluster.process("worker-3") != null, "worker-3 joined in the previous test");
        Path go = dir.resolve("kill-go");
        Path held = dir.resolve("kill-held");
        Path playbook = dir.resolve("kill.yml");
        Files.writeString(playbook, BETWEEN_TASKS.formatted(holdUntil(held, go)));
        // the same run without a fault, for the report to compare with
        Files.writeString(go, "");
        FleetCli.Run baseline = runInBackground(playbook).get(90, TimeUnit.SECONDS);
        assertThat(baseline.exit()).as(baseline.err()).isEqualTo(0);
        assertThat(hostsRan("worker-3")).as("worker-3 had hosts in the run without a fault").isPositive();
        Files.delete(go);
        Files.delete(held);

        CompletableFuture<FleetCli.Run> running = runInBackground(playbook);
        // host1 (worker-1's: the first host goes to the first worker) holds the run; nothing runs on worker-3
        await("the run to be held", running, () -> Files.exists(held));
        cluster.process("worker-3").destroyForcibly().waitFor(10, TimeUnit.SECONDS); // kill -9
        await("the coordinator to see worker-3 leave", running, () -> !isMember(5));
        Files.writeString(go, "");
        FleetCli.Run run = running.get(90, TimeUnit.SECONDS);

        assertThat(run.exit()).as(run.err() + run.out()).isEqualTo(0);
        assertThat(normalised(run.report())).isEqualTo(normalised(baseline.report()));
        assertThat(hostsRan("worker-1") + hostsRan("worker-2")).as("every host ran on the two left")
                .isEqualTo(HOSTS);
    }

    @Test
    @Order(4)
    void aFrozenWorkerCostsOnlyItsInFlightTasksWithinTheMembershipBound() throws Exception {
        Path playbook = dir.resolve("freeze.yml");
        Path started = dir.resolve("freeze-started");
        Files.writeString(playbook, """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: first
                      command: "true"
                    - name: slow
                      shell: "touch %s-{{ inventory_hostname }}; sleep 5"
                    - name: after
                      command: "true"
                """.formatted(started));
        CompletableFuture<FleetCli.Run> running = runInBackground(playbook);
        await("every host's slow task to start", running, () -> {
            for (int i = 1; i <= HOSTS; i++) {
                if (!Files.exists(Path.of(started + "-host" + i))) return false;
            }
            return true;
        });
        // freeze a worker that is not Hazelcast's oldest member (the master's loss takes an election on top)
        List<Member> members = coordinatorsMembers();
        String master = members.get(0).getAddress().getHost();
        String victim = master.equals(CLUSTER + 2) ? "worker-2" : "worker-1";
        WorkerCluster.signal(cluster.process(victim), "STOP");
        long frozen = System.nanoTime();
        FleetCli.Run run = running.get(90, TimeUnit.SECONDS);
        Duration afterFreeze = Duration.ofNanos(System.nanoTime() - frozen);

        System.out.println(victim + " frozen (SIGSTOP): the run ended " + afterFreeze.toMillis() + " ms later");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        JsonObject hosts = run.report().getJsonObject("hosts");
        assertThat(hosts.size()).isEqualTo(HOSTS);
        int lost = 0;
        for (String name : hosts.fieldNames()) {
            JsonArray tasks = hosts.getJsonObject(name).getJsonArray("tasks");
            List<String> statuses = tasks.stream().map(t -> ((JsonObject) t).getString("status")).toList();
            if (statuses.contains("unreachable")) {
                lost++;
                assertThat(statuses).as(name).containsExactly("changed", "unreachable");
                assertThat(tasks.getJsonObject(1).getString("msg")).contains(victim);
            } else {
                assertThat(statuses).as(name).containsExactly("changed", "changed", "changed");
            }
        }
        assertThat(lost).isEqualTo(HOSTS / 2);
        // the documented bound: membership drops a silent member after MEMBER_TIMEOUT, plus a few seconds
        assertThat(afterFreeze).isLessThan(ClusterNode.MEMBER_TIMEOUT.plusSeconds(12));
    }
}
