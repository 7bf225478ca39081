package dev.fleet.serve;

import static dev.fleet.testing.WorkerCluster.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.cluster.ClusterRunTest;
import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.WorkerCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet serve} with a {@code cluster:} section: two {@code fleet worker} JVMs on 127.0.237.2-3 (started as
 * {@link ClusterRunTest} starts them), the service in this JVM as the coordinator on 127.0.237.1, real sshd lab
 * hosts. Runs posted to the API run on the workers and are recorded as any run; cancel and shutdown close them there.
 */
class ServeClusterTest {
    static final int HOSTS = 6;
    static final String CLUSTER = "127.0.237.";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(HOSTS);

    @TempDir
    static Path dir;
    static WorkerCluster cluster;

    @TempDir
    Path root;
    ServeHarness s;

    @BeforeAll
    static void startWorkers() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, CLUSTER, "fleet-test", 3, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3)).startAll();
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        if (cluster != null) cluster.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) s.close();
    }

    static Path log(int worker) {
        return cluster.log("worker-" + worker);
    }

    /** The service, coordinator of the cluster {@code clusterSection} joins (the workers' one, or one alone). */
    ServeHarness serve(String clusterSection) throws Exception {
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.copy(lab.inventory(), root.resolve("inventory/lab.ini"));
        Files.writeString(root.resolve("playbooks/names.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: name
                      command: echo {{ inventory_hostname }}
                      register: said
                    - name: show
                      debug:
                        msg: "said {{ said.stdout }}"
                """);
        Files.writeString(root.resolve("playbooks/sleep.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: long
                      command: sleep 30
                """);
        return new ServeHarness(root, new MemoryRunStore(), clusterSection);
    }

    @Test
    void aPostedRunRunsOnTheWorkersAndIsRecordedAsAnyRun() throws Exception {
        s = serve(cluster.coordinatorSection(1));
        assertThat(s.log).anyMatch(l -> l.contains("runs on the workers of cluster 'fleet-test' as 127.0.237.1"));
        String id = s.client.submit("names.yml");
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(90));
        assertThat(run.getString("status")).as(run.encodePrettily() + s.log + workerLogs()).isEqualTo("changed");
        assertThat(run.getInteger("exit_code")).isZero();
        assertThat(run.getJsonObject("recap").fieldNames()).hasSize(HOSTS);
        assertThat(s.store.find(id)).hasValueSatisfying(r -> {
            assertThat(r.hosts()).hasSize(HOSTS);
            r.hosts().forEach((host, h) -> {
                assertThat(h.tasks()).extracting(t -> t.status()).containsExactly("changed", "ok");
                assertThat(h.tasks().get(0).stdout()).isEqualTo(host);
            });
        });
        // both workers opened it (under the service's run id) and closed it when it ended
        for (int i = 1; i <= 2; i++) {
            assertThat(readLog(log(i))).contains("run " + id + ": opened names.yml").contains("run " + id + ": closed");
        }
    }

    @Test
    void deleteAndShutdownCloseTheRunOnTheWorkers() throws Exception {
        s = serve(cluster.coordinatorSection(1));
        String cancelled = s.client.submit("sleep.yml");
        awaitOpened(cancelled);
        assertThat(s.send("DELETE", "/api/runs/" + cancelled, null, ServeHarness.TOKEN).statusCode()).isEqualTo(202);
        JsonObject run = s.poll(cancelled, ServeHarness::done, Duration.ofSeconds(30));
        assertThat(run.getString("status")).isEqualTo("cancelled");
        assertThat(s.store.status(cancelled)).isEqualTo("interrupted");
        awaitClosed(cancelled);

        String interrupted = s.client.submit("sleep.yml");
        awaitOpened(interrupted);
        s.stopServer(); // shutdown_grace 0: running runs are interrupted, then the service leaves the cluster
        assertThat(s.store.status(interrupted)).isEqualTo("interrupted");
        awaitClosed(interrupted);
    }

    @Test
    void aRunTheClusterCannotTakeIsRecordedWithWhy() throws Exception {
        // a cluster of its own: no worker in it
        s = serve(WorkerCluster.create(dir.resolve("lonely"), "127.0.238.", "fleet-test", 1, lab.knownHosts(), Map.of())
                .coordinatorSection(1));
        String id = s.client.submit("names.yml");
        JsonObject run = s.poll(id, ServeHarness::done, Duration.ofSeconds(60));
        assertThat(run.getString("status")).as(run.encodePrettily()).isEqualTo("unreachable");
        assertThat(s.store.find(id)).hasValueSatisfying(r -> {
            assertThat(r.hosts()).hasSize(HOSTS);
            assertThat(r.hosts().get("host1").tasks().get(0).msg())
                    .startsWith("the cluster could not take this run: no live fleet worker in cluster 'fleet-test'");
        });
    }

    @Test
    void aServeThatCannotJoinTheClusterSaysWhyAndExits() throws Exception {
        Files.createDirectories(root.resolve("pb"));
        Files.createDirectories(root.resolve("inv"));
        Path cfg = root.resolve("fleet.yml");
        // worker-1's address: its Hazelcast port is taken
        Files.writeString(cfg, "tokens: [0123456789abcdef0123]\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n"
                + "history: {db: h.db}\n" + cluster.clusterSection(2, dir.resolve("certs"), "worker-1"));
        FleetCli.Run r = FleetCli.fleet("serve", "--config", cfg.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("fleet serve: ERROR: could not join cluster 'fleet-test' as 127.0.237.2:5701")
                .contains("(the cluster: section of " + cfg + ")").doesNotContain("listening on");
    }

    /** Both workers have opened the run, and its sleep has had time to start on the hosts. */
    private void awaitOpened(String id) throws Exception {
        awaitLog(id + ": opened");
        s.poll(id, r -> "running".equals(r.getString("status")), Duration.ofSeconds(20));
        Thread.sleep(1000);
    }

    private void awaitClosed(String id) throws Exception {
        awaitLog(id + ": closed");
    }

    private static void awaitLog(String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(readLog(log(1)).contains(line) && readLog(log(2)).contains(line))) {
            assertThat(System.nanoTime()).as("'" + line + "' in both workers' logs" + workerLogs())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String workerLogs() throws Exception {
        return "\n--- worker-1:\n" + readLog(log(1)) + "\n--- worker-2:\n" + readLog(log(2));
    }
}
