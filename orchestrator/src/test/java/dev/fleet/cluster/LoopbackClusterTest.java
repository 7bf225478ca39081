package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.ActivityChange;
import dev.fleet.engine.InventoryChange;
import dev.fleet.engine.RemoteReply;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.engine.RemoteTaskRunner;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.engine.TaskDispatcher;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryLoader;
import dev.fleet.playbook.Playbook;
import dev.fleet.report.JsonReportSink;
import dev.fleet.transport.SshSettings;
import dev.fleet.vault.Vault;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered run's semantics without a cluster or hosts: the coordinator's side of include_tasks, include_role,
 * include_vars, add_host and group_by, play host lists after failures, the free and host_pinned strategies. The
 * run is dispatched to two in-JVM task runners (as workers run them, each with its own copy of the playbook's
 * files in another directory), every message through its JSON wire form. Only tasks that run no command are used,
 * so no host is contacted. The JSON report must be the one-JVM run's.
 */
class LoopbackClusterTest {
    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - set_fact:
                    part: "{{ 'even' if inventory_hostname in ['h2', 'h4'] else 'odd' }}"
                - name: load
                  include_vars:
                    file: "vars/{{ part }}.yml"
                - name: looped
                  include_tasks: "{{ part_file }}"
                  loop: [1, 2]
                - name: a role per part
                  include_role:
                    name: "r_{{ part }}"
                    public: true
                  loop: [x, y]
                - name: what the public role shared
                  debug:
                    msg: "{{ r_shared }}"
                - group_by:
                    key: "kind_{{ part }}"
                - add_host:
                    name: extra
                    groups: [added, kind_even]
                    colour: blue
                    fleet_worker_group: blue-workers
                  register: added
            - hosts: kind_even
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
                - debug:
                    msg: "{{ colour }} {{ group_names | join(',') }} {{ groups['kind_odd'] | join(',') }}"
                - include_tasks: nested.yml
                  vars:
                    depth: added
            """;

    private Path files(Path d) throws Exception {
        Files.writeString(d.resolve("pb.yml"), PLAYBOOK);
        Files.createDirectories(d.resolve("vars"));
        Files.writeString(d.resolve("vars/even.yml"), "part_file: even.yml\n");
        Files.writeString(d.resolve("vars/odd.yml"), "part_file: odd.yml\n");
        for (String part : List.of("even", "odd")) {
            Files.writeString(d.resolve(part + ".yml"), """
                    - name: %1$s {{ item }}
                      debug:
                        msg: "%1$s {{ item }} {{ part_file }}"
                      register: said
                    - name: deeper
                      include_tasks: nested.yml
                      vars:
                        depth: "{{ item }}"
                    """.formatted(part));
        }
        Files.writeString(d.resolve("nested.yml"), """
                - name: nested {{ depth }}
                  debug:
                    msg: "{{ depth }} {{ said.msg | default('-') }}"
                """);
        for (String part : List.of("even", "odd")) {
            Path role = d.resolve("roles/r_" + part);
            Files.createDirectories(role.resolve("tasks"));
            Files.createDirectories(role.resolve("handlers"));
            Files.createDirectories(role.resolve("vars"));
            Files.writeString(role.resolve("vars/main.yml"), "r_shared: " + part + "-shared\n");
            Files.writeString(role.resolve("tasks/main.yml"), """
                    - name: in role {{ item }}
                      debug:
                        msg: "{{ role_name }} {{ item }} {{ r_shared }}"
                      changed_when: true
                      notify: role handler
                    - name: role sub
                      include_tasks: sub.yml
                    """);
            Files.writeString(role.resolve("tasks/sub.yml"), """
                    - name: sub {{ item }}
                      debug:
                        msg: "sub {{ item }} of {{ role_name }}"
                    """);
            Files.writeString(role.resolve("handlers/main.yml"), """
                    - name: role handler
                      debug:
                        msg: "handled in {{ role_name }}"
                    """);
        }
        return d.resolve("pb.yml");
    }

    /** Two workers in this JVM: hosts alternate between them, every message crosses as JSON text. */
    private static final class Loopback implements TaskDispatcher {
        final List<RemoteTaskRunner> runners;
        final Map<String, Integer> owner = new HashMap<>();
        final int[] inventorySent = new int[2];
        final int[] activitySent = new int[2];
        final List<RemoteTask> sent = new ArrayList<>();
        /** Each host's fleet_worker_group when its first task came, as the engine's lookup gave it. */
        final Map<String, String> groupAtFirstTask = new HashMap<>();
        Function<String, Map<String, Object>> inventoryVars;

        Loopback(List<RemoteTaskRunner> runners) {
            this.runners = runners;
        }

        @Override
        public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
            Context caller = Vertx.currentContext();
            if (!owner.containsKey(task.host())) {
                groupAtFirstTask.put(task.host(), ClusterDispatcher.workerGroup(inventoryVars.apply(task.host())));
            }
            int w = owner.computeIfAbsent(task.host(), h -> owner.size() % 2);
            RemoteTaskRunner runner = runners.get(w);
            List<InventoryChange> news = task.inventory().subList(inventorySent[w], task.inventory().size());
            inventorySent[w] = task.inventory().size();
            if (!news.isEmpty()) {
                runner.applyInventory(Wire.inventory(new JsonObject(Wire.inventory("r", news).encode())));
            }
            sent.add(task);
            // as ClusterDispatcher: a worker gets only the activity changes it has not had
            List<ActivityChange> activity = task.activity().subList(activitySent[w], task.activity().size());
            activitySent[w] = task.activity().size();
            RemoteTask narrowed = task.withActivity(List.copyOf(activity));
            Promise<RemoteReply> back = Promise.promise();
            runner.run(Wire.scope(new JsonObject(Wire.scope("r", scope).encode())),
                    Wire.task(new JsonObject(Wire.task("r", narrowed).encode()))).onComplete(ar -> caller.runOnContext(
                            v -> back.handle(ar.map(r -> Wire.reply(new JsonObject(Wire.reply(r).encode()))))));
            return back.future();
        }

        @Override
        public void inventoryVars(Function<String, Map<String, Object>> varsOf) {
            inventoryVars = varsOf;
        }

        @Override
        public void close() {
            runners.forEach(RemoteTaskRunner::close);
        }
    }

    /** A run in one JVM and the same run dispatched to two loopback workers: exit codes and JSON reports. */
    private record Compared(int localExit, int clusteredExit, JsonObject localReport, JsonObject clusteredReport,
            Loopback loopback) {
        /** The reports, times and other varying fields left out, as text for a readable diff. */
        String local() {
            return ((JsonObject) ClusterRunTest.normalised(localReport)).encodePrettily();
        }

        String clustered() {
            return ((JsonObject) ClusterRunTest.normalised(clusteredReport)).encodePrettily();
        }

        List<String> messages(String host, String task) {
            return clusteredReport.getJsonObject("hosts").getJsonObject(host).getJsonArray("tasks").stream()
                    .map(t -> (JsonObject) t).filter(t -> t.getString("task").equals(task))
                    .map(t -> t.getString("msg")).toList();
        }
    }

    /** {@code write} lays out the playbook's directory (its {@code pb.yml}), for the coordinator and per worker. */
    private Compared compare(String inventoryText, FilesWriter write) throws Exception {
        RunSetup setup = new RunSetup();
        Playbook playbook = setup.parse(write.to(Files.createDirectories(dir.resolve("coordinator"))));
        Inventory inventory = InventoryLoader.load(List.of(inventoryText), Vault.NONE);
        RunOptions options = RunOptions.defaults();

        Path local = dir.resolve("local.json");
        JsonReportSink localSink = new JsonReportSink(local);
        int localExit = setup.start(vertx, SshSettings.defaults(), playbook, inventory, options, List.of(localSink))
                .outcome().join().exitCode();
        localSink.close();

        List<RemoteTaskRunner> runners = new ArrayList<>();
        for (String w : List.of("worker-1", "worker-2")) {
            runners.add(setup.taskRunner(vertx, vertx.getOrCreateContext(), SshSettings.defaults(),
                    setup.parse(write.to(Files.createDirectories(dir.resolve(w)))), inventory, options, Vault.NONE));
        }
        Loopback loopback = new Loopback(runners);
        Path clustered = dir.resolve("clustered.json");
        JsonReportSink clusteredSink = new JsonReportSink(clustered);
        int clusteredExit = setup.startDispatched(vertx, playbook, inventory, options, List.of(clusteredSink),
                loopback).outcome().join().exitCode();
        clusteredSink.close();
        return new Compared(localExit, clusteredExit, new JsonObject(Files.readString(local)),
                new JsonObject(Files.readString(clustered)), loopback);
    }

    /** Writes a playbook's files into a directory and returns its playbook. */
    private interface FilesWriter {
        Path to(Path dir) throws Exception;
    }

    @Test
    void controllerActionsOnTheCoordinatorReportWhatOneJvmReports() throws Exception {
        Compared run = compare("h1,h2,h3,h4,", this::files);
        Loopback loopback = run.loopback();
        JsonObject clusteredReport = run.clusteredReport();
        assertThat(run.localExit()).isZero();
        assertThat(run.clusteredExit()).isZero();
        assertThat(run.clustered()).isEqualTo(run.local());

        // what the comparison covers
        JsonObject hosts = clusteredReport.getJsonObject("hosts");
        assertThat(hosts.fieldNames()).containsExactlyInAnyOrder("h1", "h2", "h3", "h4", "extra");
        assertThat(hosts.getJsonObject("extra").getJsonArray("tasks").stream().map(t -> ((JsonObject) t)
                .getString("msg"))).contains("blue added,kind_even h1,h3", "added -");
        assertThat(hosts.getJsonObject("h2").getJsonArray("tasks").stream().map(t -> ((JsonObject) t)
                .getString("task"))).contains("even 1", "nested 2", "nested free", "r_even : in role x",
                        "r_even : sub y", "r_even : role handler");
        assertThat(hosts.getJsonObject("h3").getJsonArray("tasks").stream().map(t -> ((JsonObject) t)
                .getString("msg"))).contains("r_odd y odd-shared", "sub x of r_odd", "odd-shared",
                        "handled in r_odd");
        // the included role's tasks, its handler and a file it includes went to the workers, named by their include
        assertThat(loopback.sent.stream().filter(t -> !t.includes().isEmpty() && t.includes().get(0).role() != null))
                .extracting(t -> t.includes().size()).contains(1, 2);
        // controller actions never went to a worker; included tasks did, named by their include
        assertThat(loopback.sent).isNotEmpty().allSatisfy(t -> assertThat(t.seq()).isPositive());
        assertThat(loopback.sent.stream().filter(t -> t.includes().size() == 2)).isNotEmpty(); // nested
        assertThat(loopback.sent.stream().map(RemoteTask::host)).contains("extra");
        // every worker got every change: 4 group_by and 1 add_host (which runs once, as in Ansible)
        assertThat(loopback.inventorySent).containsExactly(5, 5);
        // the host add_host created is placed by the fleet_worker_group it gave it, not by the starting inventory's
        assertThat(loopback.groupAtFirstTask).containsEntry("extra", "blue-workers").containsEntry("h1", null);
    }

    static final String FAILING = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: h2 fails
                  fail:
                    msg: boom
                  when: inventory_hostname == 'h2'
                - name: after a failure
                  vars:
                    all: "{{ ansible_play_hosts_all | join(',') }}"
                  debug:
                    msg: "{{ ansible_play_hosts | join(',') }} / {{ ansible_play_batch | join(',') }} / {{ all }}"
                - meta: clear_host_errors
                - name: after clear_host_errors
                  debug:
                    msg: "{{ ansible_play_hosts | join(',') }}"
            - hosts: all
              gather_facts: false
              serial: 2
              tasks:
                - name: h1 fails in the first batch
                  fail:
                    msg: boom
                  when: inventory_hostname == 'h1'
                - name: in a batch
                  debug:
                    msg: "{{ ansible_play_hosts | join(',') }} / {{ play_hosts | join(',') }}"
            - hosts: all
              gather_facts: false
              tasks:
                - name: next play
                  debug:
                    msg: "{{ ansible_play_hosts | join(',') }}"
            """;

    @Test
    void playHostsOnAWorkerDropTheHostsTheCoordinatorPutOut() throws Exception {
        Compared run = compare("h1,h2,h3,h4,", d -> Files.writeString(d.resolve("pb.yml"), FAILING));
        assertThat(run.localExit()).isEqualTo(2);
        assertThat(run.clusteredExit()).isEqualTo(2);
        assertThat(run.clustered()).isEqualTo(run.local());
        // what the comparison covers: h2 failed on one worker, and the other worker's hosts no longer list it
        assertThat(run.loopback().owner.get("h1")).isNotEqualTo(run.loopback().owner.get("h2"));
        assertThat(run.messages("h1", "after a failure")).containsExactly("h1,h3,h4 / h1,h3,h4 / h1,h2,h3,h4");
        assertThat(run.messages("h4", "after a failure")).containsExactly("h1,h3,h4 / h1,h3,h4 / h1,h2,h3,h4");
        assertThat(run.messages("h1", "after clear_host_errors")).containsExactly("h1,h2,h3,h4");
        // a host out since an earlier batch (h1) is out for the later one too
        assertThat(run.messages("h4", "in a batch")).containsExactly("h2,h3,h4 / h3,h4");
        assertThat(run.messages("h3", "next play")).containsExactly("h2,h3,h4");
        // each worker was told each change once, not with every task
        int changes = run.loopback().sent.getLast().activity().size();
        assertThat(changes).isEqualTo(3); // h2 out, h2 back, h1 out
        assertThat(run.loopback().activitySent).containsExactly(changes, changes);
    }

    static final String STRATEGIES = """
            - hosts: all
              gather_facts: false
              strategy: %s
              tasks:
                - name: once
                  set_fact:
                    picked: "{{ inventory_hostname }}"
                  run_once: true
                - name: load once
                  include_vars: once.yml
                  run_once: true
                - name: part
                  set_fact:
                    part: "{{ 'even' if inventory_hostname in ['h2', 'h4'] else 'odd' }}"
                  register: parted
                - block:
                    - name: odd fails
                      fail:
                        msg: "odd {{ picked }}"
                      when: part == 'odd'
                  rescue:
                    - name: rescued
                      debug:
                        msg: "rescued {{ ansible_failed_task.name }} after {{ parted.ansible_facts.part }}"
                - name: per part
                  include_tasks: "{{ part }}.yml"
                  loop: [1, 2]
                - name: shared
                  debug:
                    msg: "{{ picked }} {{ loaded_once }} {{ said.msg }}"
            """;

    @Test
    void freeAndHostPinnedReportWhatOneJvmReports() throws Exception {
        Compared run = compare("h1,h2,h3,h4,", d -> {
            Files.writeString(d.resolve("pb.yml"), STRATEGIES.formatted("free") + STRATEGIES.formatted("host_pinned"));
            Files.createDirectories(d.resolve("vars"));
            Files.writeString(d.resolve("vars/once.yml"), "loaded_once: from the file\n");
            for (String part : List.of("even", "odd")) {
                Files.writeString(d.resolve(part + ".yml"), """
                        - name: %1$s {{ item }}
                          debug:
                            msg: "%1$s {{ item }} {{ picked }}"
                          register: said
                        """.formatted(part));
            }
            return d.resolve("pb.yml");
        });
        assertThat(run.localExit()).isZero();
        assertThat(run.clusteredExit()).isZero();
        assertThat(run.clustered()).isEqualTo(run.local());
        // what the comparison covers, in both plays: run_once's set_fact and include_vars reached every host, the
        // rescue and the looped include ran
        assertThat(run.messages("h4", "shared")).containsExactly("h1 from the file even 2 h1",
                "h1 from the file even 2 h1");
        assertThat(run.messages("h3", "rescued")).containsExactly("rescued odd fails after odd",
                "rescued odd fails after odd");
        assertThat(run.messages("h1", "odd 2")).hasSize(2);
    }
}
