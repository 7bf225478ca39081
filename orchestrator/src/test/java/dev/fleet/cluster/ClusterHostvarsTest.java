package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.SshdLab;
import dev.fleet.testing.WorkerCluster;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostvars} on a clustered run: two {@code fleet worker} JVMs share four real sshd lab hosts, each host
 * registers a result, sets a fact and includes a vars file, one sets a fact on a host of the other worker
 * ({@code delegate_facts}), and then every host reads every host's through {@code hostvars}. The clustered report
 * must be the one-JVM report. Its own cluster on 127.0.252.x, so it may run beside {@link ClusterRunTest}.
 */
class ClusterHostvarsTest {
    static final String PREFIX = "127.0.252.";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(4);

    @TempDir
    static Path dir;

    static WorkerCluster cluster;

    @BeforeAll
    static void startWorkers() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, PREFIX, "fleet-hostvars", 3, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3)).startAll();
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
                  command: echo "out-{{ inventory_hostname }}"
                  register: who
                - name: fact
                  set_fact:
                    colour: "c-{{ inventory_hostname }}"
                - name: from file
                  include_vars: "vars/{{ inventory_hostname }}.yml"
                - name: delegated
                  set_fact:
                    told_by: "{{ inventory_hostname }}"
                  delegate_to: "{{ groups['lab'][0] }}"
                  delegate_facts: true
                  when: inventory_hostname == groups['lab'][-1]
                - name: read all
                  set_fact:
                    seen: "{{ seen | default([]) + [item ~ '=' ~ hostvars[item].who.stdout ~ '/'
                      ~ hostvars[item].colour ~ '/' ~ hostvars[item].from_file ~ '/'
                      ~ (hostvars[item].told_by | default('-'))] }}"
                  loop: "{{ groups['lab'] }}"
                - name: check
                  assert:
                    that:
                      - seen | length == 4
                      - hostvars[groups['lab'][0]].told_by == groups['lab'][-1]
                - name: show
                  debug:
                    msg: "{{ seen | join(' ') }}"
            """;

    @Test
    void everyWorkerSeesEveryHostsVariablesAsOneJvmDoes() throws Exception {
        Path playbook = dir.resolve("hostvars.yml");
        Files.writeString(playbook, PLAYBOOK);
        Files.createDirectories(dir.resolve("vars"));
        List<String> names = lab.hosts().stream().map(h -> h.name()).toList();
        StringBuilder expected = new StringBuilder();
        for (String h : names) {
            Files.writeString(dir.resolve("vars/" + h + ".yml"), "from_file: file-" + h + "\n");
            expected.append(expected.isEmpty() ? "" : " ").append(h).append("=out-").append(h).append("/c-")
                    .append(h).append("/file-").append(h).append('/')
                    .append(h.equals(names.get(0)) ? names.get(names.size() - 1) : "-");
        }
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        FleetCli.Run local = cli.runFile(playbook, "--no-history");
        FleetCli.Run clustered = cli.runFile(playbook, "--no-history", "--cluster",
                cluster.coordinatorConfig().toString());

        assertThat(local.exit()).as(local.err() + local.out()).isEqualTo(0);
        assertThat(clustered.exit()).as(clustered.err() + clustered.out() + logs()).isEqualTo(0);
        for (String h : names) {
            JsonArray tasks = local.tasks(h);
            assertThat(tasks.getJsonObject(tasks.size() - 1).getString("msg")).isEqualTo(expected.toString());
        }
        assertThat(normalised(clustered.report())).isEqualTo(normalised(local.report()));
        System.out.println("'read all' (4 items, every host's hostvars) per host, ms: one JVM " + took(local, names)
                + ", clustered " + took(clustered, names));
        // both workers ran hosts: the hosts each looked up were partly the other worker's
        for (int i = 1; i <= 2; i++) {
            assertThat(WorkerCluster.readLog(cluster.log("worker-" + i))).contains("opened")
                    .contains("closed");
        }
    }

    /**
     * The report without what differs between any two runs ({@link ClusterRunTest#normalised}), and without
     * include_vars' file paths: a worker reads the file from its copy of the playbook's directory.
     */
    private static Object normalised(JsonObject report) {
        JsonObject copy = report.copy();
        for (String h : copy.getJsonObject("hosts").fieldNames()) {
            for (Object t : copy.getJsonObject("hosts").getJsonObject(h).getJsonArray("tasks")) {
                JsonObject data = ((JsonObject) t).getJsonObject("data");
                if (data != null) data.remove("ansible_included_var_files");
            }
        }
        return ClusterRunTest.normalised(copy);
    }

    /** How long each host's 'read all' task took. */
    private static List<Long> took(FleetCli.Run run, List<String> hosts) {
        List<Long> out = new ArrayList<>();
        for (String h : hosts) {
            for (Object t : run.tasks(h)) {
                JsonObject task = (JsonObject) t;
                if (task.getString("task", "").equals("read all")) out.add(task.getLong("duration_ms"));
            }
        }
        return out;
    }

    private static String logs() throws java.io.IOException {
        return cluster.logs();
    }
}
