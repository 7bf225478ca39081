package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.WorkerCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered run as a user starts one: three {@code fleet worker} JVMs (separate processes, started like
 * {@code examples/cluster/start.sh} does) on 127.0.251.2-4 with certificates from {@code examples/cluster/certs.sh},
 * and {@code fleet run --cluster} in this JVM as the coordinator, against real sshd lab hosts. A fourth worker
 * whose certificate another CA signed joins the Hazelcast membership but must never get work.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ClusterRunTest {
    static final int HOSTS = 60;
    static final String CLUSTER = "127.0.251.";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(HOSTS);

    @TempDir
    static Path dir;

    static WorkerCluster cluster;

    @BeforeAll
    static void startWorkers() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, CLUSTER, "fleet-test", 5, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3, "worker-3", 4));
        Path rogueCerts = cluster.foreignCertificates("rogue", 5); // its own CA: not the cluster's
        for (int i = 1; i <= 3; i++) cluster.start("worker-" + i, "");
        cluster.start("rogue", cluster.clusterSection(5, rogueCerts, "rogue"), "");
        for (String id : List.of("worker-1", "worker-2", "worker-3", "rogue")) cluster.awaitReady(id);
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        if (cluster != null) cluster.close();
    }

    static final String PLAYBOOK = """
            - hosts: lab
              gather_facts: false
              tasks:
                - name: who
                  command: hostname
                  register: who
                - name: greet
                  set_fact:
                    greeting: "hi {{ inventory_hostname }} rc={{ who.rc }}"
                - name: show
                  debug:
                    msg: "{{ greeting }}"
                - name: once
                  debug:
                    msg: "once for all"
                  run_once: true
                  register: once
                - name: everyone saw once
                  debug:
                    msg: "{{ once.msg }}"
                - name: fail on two
                  command: "false"
                  when: inventory_hostname in ['host1', 'host2']
                  ignore_errors: true
                - name: change
                  command: "true"
                  notify: note
              handlers:
                - name: note
                  debug:
                    msg: handler ran
            - hosts: lab
              gather_facts: false
              serial: 25
              max_fail_percentage: 50
              tasks:
                - block:
                    - name: fail on host3
                      command: "false"
                      when: inventory_hostname == 'host3'
                  rescue:
                    - name: rescue
                      debug:
                        msg: "rescued {{ ansible_failed_task.name }}"
                - name: greeting kept from play 1
                  debug:
                    msg: "{{ greeting }}"
            """;

    @Test
    @Order(1)
    void clusteredRunReportsWhatOneJvmReports() throws IOException {
        Path playbook = dir.resolve("same.yml");
        Files.writeString(playbook, PLAYBOOK);
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        FleetCli.Run local = cli.runFile(playbook, "--no-history");
        FleetCli.Run clustered = cli.runFile(playbook, "--no-history", "--cluster",
                cluster.coordinatorConfig().toString());

        assertThat(local.exit()).as(local.err()).isEqualTo(0);
        assertThat(clustered.exit()).as(clustered.err() + clustered.out() + cluster.logs()).isEqualTo(0);
        assertThat(normalised(clustered.report())).isEqualTo(normalised(local.report()));
        assertThat(clustered.report().getJsonObject("hosts").size()).isEqualTo(HOSTS);
        // the console shows the same lines, timings aside
        assertThat(clustered.out().lines().filter(l -> l.startsWith("ok:") || l.startsWith("changed:")).count())
                .isEqualTo(local.out().lines().filter(l -> l.startsWith("ok:") || l.startsWith("changed:")).count());
        // the worker the cluster's CA did not sign never got a run
        assertThat(WorkerCluster.readLog(cluster.log("rogue"))).doesNotContain("opened");
        assertThat(clustered.err()).contains("left out of this run").contains("rogue");
        for (int i = 1; i <= 3; i++) {
            assertThat(WorkerCluster.readLog(cluster.log("worker-" + i))).contains("opened").contains("closed");
        }
        assertThat(local.report().getJsonObject("stats").getInteger("rescued")).isEqualTo(1);
    }

    static final String FATAL_CHECK_PLAYBOOK = """
            - hosts: lab
              gather_facts: false
              tasks:
                - name: would write
                  copy:
                    content: "{{ inventory_hostname }}\\n"
                    dest: "{{ out }}/{{ inventory_hostname }}.txt"
                - name: runs in check mode too
                  command: hostname
                  check_mode: false
                  changed_when: false
            - hosts: lab
              gather_facts: false
              any_errors_fatal: true
              tasks:
                - name: one host fails
                  fail:
                    msg: stop everyone
                  when: inventory_hostname == 'host4'
                - name: never reached
                  debug:
                    msg: unreachable line
            """;

    /**
     * --check, --limit and any_errors_fatal across workers: the same JSON report, JUnit XML and history entry as the
     * one-JVM run (timings aside), and check mode wrote nothing on any host.
     */
    @Test
    @Order(2)
    void checkLimitAndFatalFailuresAsInOneJvm() throws Exception {
        Path playbook = dir.resolve("fatal.yml");
        Files.writeString(playbook, FATAL_CHECK_PLAYBOOK);
        Path out = Files.createDirectories(dir.resolve("check-out"));
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        List<FleetCli.Run> runs = new ArrayList<>();
        for (String mode : List.of("local", "cluster")) {
            List<String> args = new ArrayList<>(List.of("--check", "--limit", "lab:!host7:!host8", "-e",
                    "out=" + out, "--junit", dir.resolve(mode + ".xml").toString(), "--html",
                    dir.resolve(mode + ".html").toString(), "--history-db", dir.resolve(mode + ".db").toString()));
            if (mode.equals("cluster")) args.addAll(List.of("--cluster", cluster.coordinatorConfig().toString()));
            runs.add(cli.runFile(playbook, args.toArray(String[]::new)));
        }
        FleetCli.Run local = runs.get(0);
        FleetCli.Run clustered = runs.get(1);
        assertThat(local.exit()).as(local.err()).isEqualTo(2);
        assertThat(clustered.exit()).as(clustered.err() + cluster.logs()).isEqualTo(2);
        assertThat(normalised(clustered.report())).isEqualTo(normalised(local.report()));
        assertThat(clustered.report().getJsonObject("hosts").size()).isEqualTo(HOSTS - 2);
        assertThat(clustered.out()).doesNotContain("unreachable line");
        try (var files = Files.list(out)) {
            assertThat(files.toList()).as("check mode changed nothing").isEmpty();
        }
        assertThat(junit(dir.resolve("cluster.xml"))).isEqualTo(junit(dir.resolve("local.xml")));
        assertThat(html(dir.resolve("cluster.html"))).isEqualTo(html(dir.resolve("local.html")));
        // one run in each database: any prefix of the id names it
        FleetCli.Run localHistory = FleetCli.fleet("history", "show", "--db", dir.resolve("local.db").toString(),
                "--json", "2");
        FleetCli.Run clusterHistory = FleetCli.fleet("history", "show", "--db", dir.resolve("cluster.db").toString(),
                "--json", "2");
        assertThat(clusterHistory.exit()).as(clusterHistory.err()).isEqualTo(0);
        assertThat(normalised(withoutIds(new JsonObject(clusterHistory.out()))))
                .isEqualTo(normalised(withoutIds(new JsonObject(localHistory.out()))));
    }

    /** JUnit XML without its timings. */
    private static String junit(Path file) throws IOException {
        return Files.readString(file).replaceAll(" (time|timestamp)=\"[^\"]*\"", "");
    }

    /** The HTML report without its timings: start, end and length of the run, each result's offset and length. */
    private static String html(Path file) throws IOException {
        return Files.readString(file).replaceAll("start [^&]* &middot; end [^&]* &middot; [0-9.]+s", "")
                .replaceAll("\\[(\\d+),\"(\\w+)\",\\d+,\\d+,", "[$1,\"$2\",")
                .replaceAll("\"runMs\":\\d+", "").replaceAll("scaled to the whole run \\([0-9.]+s\\)", "");
    }

    private static JsonObject withoutIds(JsonObject run) {
        JsonObject copy = run.copy();
        copy.remove("run_id");
        copy.remove("id");
        copy.remove("args");
        copy.remove("run_args");
        return copy;
    }

    @Test
    @Order(3)
    void badPlaybookIsExit4BeforeTheClusterIsJoined() throws IOException {
        FleetCli.Run run = new FleetCli(dir, lab.inventory(), lab.knownHosts()).run("- hosts: lab\n  tasks:\n"
                + "    - nosuchmodule: {}\n", "--no-history", "--cluster", cluster.coordinatorConfig().toString());
        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.took()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    @Order(4)
    void aWorkerKilledMidRunCostsOnlyItsHosts() throws Exception {
        Path playbook = dir.resolve("slow.yml");
        Files.writeString(playbook, """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: slow
                      command: sleep 6
                    - name: after
                      command: "true"
                """);
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        Path log = cluster.log("worker-3");
        long opensBefore = WorkerCluster.readLog(log).lines().filter(l -> l.contains("opened")).count();
        CompletableFuture<FleetCli.Run> running = CompletableFuture.supplyAsync(() -> {
            try {
                return cli.runFile(playbook, "--no-history", "--cluster", cluster.coordinatorConfig().toString());
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (WorkerCluster.readLog(log).lines().filter(l -> l.contains("opened")).count() == opensBefore) {
            assertThat(running).as("the run ended before worker-3 got it").isNotDone();
            assertThat(System.nanoTime()).as("worker-3 never got the run").isLessThan(deadline);
            Thread.sleep(100);
        }
        Thread.sleep(2500); // the slow task is running on worker-3's hosts now
        cluster.process("worker-3").destroyForcibly(); // kill -9
        long killed = System.nanoTime();
        FleetCli.Run run = running.get(90, TimeUnit.SECONDS);
        Duration afterKill = Duration.ofNanos(System.nanoTime() - killed);

        System.out.println("worker-3 killed: the run ended " + afterKill.toMillis() + " ms later");
        assertThat(run.exit()).as(run.err()).isEqualTo(3);
        JsonObject hosts = run.report().getJsonObject("hosts");
        assertThat(hosts.size()).isEqualTo(HOSTS);
        int lost = 0;
        for (String name : hosts.fieldNames()) {
            JsonArray tasks = hosts.getJsonObject(name).getJsonArray("tasks");
            assertThat(tasks).as(name + " has a result").isNotEmpty();
            JsonObject first = tasks.getJsonObject(0);
            if (first.getString("status").equals("unreachable")) {
                lost++;
                assertThat(first.getString("msg")).contains("worker-3");
                assertThat(tasks.size()).isEqualTo(1);
            } else {
                assertThat(tasks.stream().map(t -> ((JsonObject) t).getString("status")).toList())
                        .as(name).containsExactly("changed", "changed");
            }
        }
        assertThat(lost).isEqualTo(HOSTS / 3);
        // bound: cluster membership notices a killed JVM within its heartbeat limit (8 s) of Hazelcast
        assertThat(afterKill).isLessThan(Duration.ofSeconds(30));
    }

    // ---------------------------------------------------------------- helpers

    private static final Set<String> VARYING = Set.of("start", "end", "duration_ms", "delta", "playbook");

    /** The report without what differs between any two runs: times, durations, the command's own timings. */
    public static Object normalised(Object v) {
        if (v instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, Object> e : o) {
                if (!VARYING.contains(e.getKey())) out.put(e.getKey(), normalised(e.getValue()));
            }
            return out;
        }
        if (v instanceof JsonArray a) {
            JsonArray out = new JsonArray();
            for (Object x : a) out.add(normalised(x));
            return out;
        }
        return v;
    }
}
