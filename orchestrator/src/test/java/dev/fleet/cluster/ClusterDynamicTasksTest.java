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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's own actions on a cluster: {@code include_tasks} (looped, nested, under the free strategy, with a
 * file name templated from what {@code include_vars} loaded on a worker), {@code include_role} (templated, looped,
 * public, with a handler),
 * {@code add_host} (a lab host under a new name, then a play on it) and {@code group_by} (then a play on the
 * group) run on the coordinator, and the included tasks and the added host run on two {@code fleet worker} JVMs
 * (started as {@link ClusterRunTest} starts them, on 127.0.247.2-3). The report must be the one-JVM run's. Hosts
 * {@code add_host} created with a {@code fleet_worker_group} go to a worker of that group (worker-2's).
 */
class ClusterDynamicTasksTest {
    static final int HOSTS = 6;
    static final String CLUSTER = "127.0.247.";
    /** worker-2's group; hosts that name no fleet_worker_group go to either worker. */
    static final String GROUP = "dyn2";

    @RegisterExtension
    static final SshdLab lab = new SshdLab(HOSTS);

    @TempDir
    static Path dir;

    static WorkerCluster cluster;

    @BeforeAll
    static void startWorkers() throws Exception {
        assumeTrue(WorkerCluster.opensslInstalled(), "openssl not installed");
        cluster = WorkerCluster.create(dir, CLUSTER, "fleet-dyn", 5, lab.knownHosts(),
                Map.of("worker-1", 2, "worker-2", 3));
        cluster.start("worker-1", "");
        cluster.start("worker-2", "  group: " + GROUP + "\n");
        cluster.awaitReady("worker-1");
        cluster.awaitReady("worker-2");
    }

    @AfterAll
    static void stopWorkers() throws Exception {
        if (cluster != null) cluster.close();
    }

    static final String PLAYBOOK = """
            - hosts: lab
              gather_facts: false
              tasks:
                - name: pick a part
                  set_fact:
                    part: "{{ 'even' if inventory_hostname in ['host2', 'host4', 'host6'] else 'odd' }}"
                - name: per letter
                  include_tasks: letter.yml
                  loop: [a, b]
                  loop_control:
                    loop_var: letter
                - name: the part's file name
                  include_vars:
                    file: "vars/{{ part }}.yml"
                - name: by part
                  include_tasks: "parts/{{ part_file }}"
                - name: role by part
                  include_role:
                    name: "role_{{ part }}"
                    public: true
                  loop: [one, two]
                - name: what the role shared
                  debug:
                    msg: "{{ role_says }}"
                - name: group by part
                  group_by:
                    key: "kind_{{ part }}"
                - name: add host6 again as extra1
                  add_host:
                    name: extra1
                    groups: added
                    ansible_host: "{{ hostvars['host6'].ansible_host }}"
                    ansible_port: "{{ hostvars['host6'].ansible_port }}"
                    ansible_user: "{{ hostvars['host6'].ansible_user }}"
                    ansible_ssh_private_key_file: "{{ hostvars['host6'].ansible_ssh_private_key_file }}"
                  register: added
                - name: what add_host registered
                  debug:
                    msg: "{{ added.add_host.host_name | default('skipped') }}"
            - hosts: kind_even
              gather_facts: false
              tasks:
                - name: on the even group
                  command: echo "{{ inventory_hostname }} {{ group_names | join(',') }} {{ part }}"
            - hosts: kind_odd
              gather_facts: false
              strategy: free
              tasks:
                - name: free include
                  include_tasks: nested.yml
                  vars:
                    depth: free
            - hosts: added
              gather_facts: false
              tasks:
                - name: on the added host
                  command: echo "{{ inventory_hostname }} {{ group_names | join(',') }}"
                - name: the groups it sees
                  debug:
                    msg: "{{ groups['kind_odd'] | join(',') }} / {{ groups['added'] | join(',') }}"
                - name: included on the added host
                  include_tasks: parts/even.yml
            """;

    static final String LETTER = """
            - name: "letter {{ letter }}"
              command: echo "{{ letter }} on {{ inventory_hostname }}"
              register: echoed
            - name: nested
              include_tasks: nested.yml
              vars:
                depth: "{{ letter }}-deep"
            """;

    static final String NESTED = """
            - name: nested task
              debug:
                msg: "{{ depth }} saw {{ echoed.stdout }}"
            """;

    static final String PART = """
            - name: %1$s command
              command: echo %1$s "{{ part_file | default('none') }}"
              register: said
            - block:
                - name: %1$s fails on host3
                  command: "false"
                  when: inventory_hostname == 'host3'
              rescue:
                - name: %1$s rescued
                  debug:
                    msg: "rescued after {{ said.stdout }}"
            """;

    @Test
    void includesAndInventoryChangesReportWhatOneJvmReports() throws IOException {
        Path playbook = dir.resolve("dyn.yml");
        Files.writeString(playbook, PLAYBOOK);
        Files.writeString(dir.resolve("letter.yml"), LETTER);
        Files.writeString(dir.resolve("nested.yml"), NESTED);
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/even.yml"), PART.formatted("even"));
        Files.writeString(dir.resolve("parts/odd.yml"), PART.formatted("odd"));
        Files.createDirectories(dir.resolve("vars"));
        Files.writeString(dir.resolve("vars/even.yml"), "part_file: even.yml\n");
        Files.writeString(dir.resolve("vars/odd.yml"), "part_file: odd.yml\n");
        for (String part : List.of("even", "odd")) {
            Path role = Files.createDirectories(dir.resolve("roles/role_" + part));
            Files.createDirectories(role.resolve("tasks"));
            Files.createDirectories(role.resolve("handlers"));
            Files.createDirectories(role.resolve("defaults"));
            Files.writeString(role.resolve("defaults/main.yml"), "role_says: " + part + " role\n");
            Files.writeString(role.resolve("tasks/main.yml"), """
                    - name: in role {{ item }}
                      command: echo "{{ role_name }} {{ item }} on {{ inventory_hostname }}"
                      notify: role handler
                    """);
            Files.writeString(role.resolve("handlers/main.yml"), """
                    - name: role handler
                      command: echo "handled by {{ role_name }}"
                    """);
        }
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        FleetCli.Run local = cli.runFile(playbook, "--no-history");
        FleetCli.Run clustered = cli.runFile(playbook, "--no-history", "--cluster",
                cluster.coordinatorConfig().toString());

        assertThat(local.exit()).as(local.err() + local.out()).isEqualTo(0);
        assertThat(clustered.exit()).as(clustered.err() + clustered.out() + logs()).isEqualTo(0);
        assertThat(normalisedText(clustered.report())).isEqualTo(normalisedText(local.report()));
        assertThat(ClusterRunTest.normalised(clustered.report())).isEqualTo(ClusterRunTest.normalised(local.report()));

        // what the comparison covers: the included, nested and added hosts' tasks did run
        JsonObject hosts = clustered.report().getJsonObject("hosts");
        assertThat(hosts.fieldNames()).as(local.out()).contains("extra1");
        assertThat(taskNames(hosts, "host1")).contains("letter a", "letter b", "nested task", "odd command",
                "role_odd : in role one", "role_odd : in role two", "what the role shared",
                "role_odd : role handler");
        assertThat(taskNames(hosts, "host2")).contains("role_even : in role two", "role_even : role handler");
        assertThat(taskNames(hosts, "host3")).contains("odd rescued", "free include");
        assertThat(taskNames(hosts, "host5")).endsWith("free include", "nested task");
        assertThat(taskNames(hosts, "host4")).contains("even command", "on the even group");
        // what include_vars loaded on the coordinator reached the worker that runs host4
        assertThat(hosts.getJsonObject("host4").getJsonArray("tasks").stream().map(t -> (JsonObject) t)
                .filter(t -> t.getString("task").equals("even command")).findFirst().orElseThrow()
                .getString("stdout")).isEqualTo("even even.yml");
        assertThat(taskNames(hosts, "extra1")).containsExactly("on the added host", "the groups it sees",
                "included on the added host", "even command", "even fails on host3");
        assertThat(hosts.getJsonObject("extra1").getJsonArray("tasks").getJsonObject(0).getString("stdout"))
                .isEqualTo("extra1 added");
        assertThat(hosts.getJsonObject("extra1").getJsonArray("tasks").getJsonObject(1).getString("msg"))
                .isEqualTo("host1,host3,host5 / extra1");
        // both workers had hosts of the run
        for (int i = 1; i <= 2; i++) {
            assertThat(WorkerCluster.readLog(cluster.log("worker-" + i))).contains("opened");
        }
    }

    static final String GROUPS = """
            - hosts: host1,host2
              gather_facts: false
              tasks:
                - name: one host on each worker
                  debug:
                    msg: placed
                - name: add lab hosts under new names, with a worker group
                  add_host:
                    name: "{{ item.name }}"
                    groups: grouped
                    fleet_worker_group: "{{ item.group }}"
                    ansible_host: "{{ hostvars[item.host].ansible_host }}"
                    ansible_port: "{{ hostvars[item.host].ansible_port }}"
                    ansible_user: "{{ hostvars[item.host].ansible_user }}"
                    ansible_ssh_private_key_file: "{{ hostvars[item.host].ansible_ssh_private_key_file }}"
                  loop:
                    - {name: pinned, host: host5, group: %s}
                    - {name: homeless, host: host6, group: nowhere}
            - hosts: grouped
              gather_facts: false
              tasks:
                - name: where it ran
                  command: echo "{{ playbook_dir }}"
            """;

    @Test
    void aHostAddHostCreatedGoesToAWorkerOfTheWorkerGroupItWasGiven() throws IOException {
        Path playbook = dir.resolve("groups.yml");
        Files.writeString(playbook, GROUPS.formatted(GROUP));
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        FleetCli.Run clustered = cli.runFile(playbook, "--no-history", "--cluster",
                cluster.coordinatorConfig().toString());

        JsonObject hosts = clustered.report().getJsonObject("hosts");
        // host1 and host2 loaded one host on each worker: by load alone, pinned would have gone to worker-1
        JsonObject pinned = hosts.getJsonObject("pinned").getJsonArray("tasks").getJsonObject(0);
        assertThat(pinned.getString("status")).as(clustered.out() + logs()).isEqualTo("changed");
        assertThat(pinned.getString("stdout")).contains("work-worker-2");
        JsonObject homeless = hosts.getJsonObject("homeless").getJsonArray("tasks").getJsonObject(0);
        assertThat(homeless.getString("status")).isEqualTo("unreachable");
        assertThat(homeless.getString("msg")).contains("no live fleet worker of group 'nowhere'");
    }

    private static List<String> taskNames(JsonObject hosts, String host) {
        JsonArray tasks = hosts.getJsonObject(host).getJsonArray("tasks");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) out.add(tasks.getJsonObject(i).getString("task"));
        return out;
    }

    /** A readable diff when the reports differ. */
    private static String normalisedText(JsonObject report) {
        return ((JsonObject) ClusterRunTest.normalised(report)).encodePrettily();
    }

    private static String logs() throws IOException {
        return cluster.logs();
    }
}
