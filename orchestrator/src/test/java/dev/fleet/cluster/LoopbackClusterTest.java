package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's side of include_tasks, include_role, include_vars, add_host and group_by, without a cluster or
 * hosts: the run is dispatched to two in-JVM task runners (as workers run them, each with its own copy of the
 * playbook's files in another directory), every message through its JSON wire form. Only tasks that run no
 * command are used, so no host is contacted. The JSON report must be the one-JVM run's.
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

    private Path files(String name) throws Exception {
        Path d = Files.createDirectories(dir.resolve(name));
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
        final List<RemoteTask> sent = new ArrayList<>();

        Loopback(List<RemoteTaskRunner> runners) {
            this.runners = runners;
        }

        @Override
        public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
            Context caller = Vertx.currentContext();
            int w = owner.computeIfAbsent(task.host(), h -> owner.size() % 2);
            RemoteTaskRunner runner = runners.get(w);
            List<InventoryChange> news = task.inventory().subList(inventorySent[w], task.inventory().size());
            inventorySent[w] = task.inventory().size();
            if (!news.isEmpty()) {
                runner.applyInventory(Wire.inventory(new JsonObject(Wire.inventory("r", news).encode())));
            }
            sent.add(task);
            Promise<RemoteReply> back = Promise.promise();
            runner.run(Wire.scope(new JsonObject(Wire.scope("r", scope).encode())),
                    Wire.task(new JsonObject(Wire.task("r", task).encode()))).onComplete(ar -> caller.runOnContext(
                            v -> back.handle(ar.map(r -> Wire.reply(new JsonObject(Wire.reply(r).encode()))))));
            return back.future();
        }

        @Override
        public void close() {
            runners.forEach(RemoteTaskRunner::close);
        }
    }

    @Test
    void controllerActionsOnTheCoordinatorReportWhatOneJvmReports() throws Exception {
        Path pb = files("coordinator");
        RunSetup setup = new RunSetup();
        Playbook playbook = setup.parse(pb);
        Inventory inventory = InventoryLoader.load(List.of("h1,h2,h3,h4,"), Vault.NONE);
        RunOptions options = RunOptions.defaults();

        Path local = dir.resolve("local.json");
        JsonReportSink localSink = new JsonReportSink(local);
        int localExit = setup.start(vertx, SshSettings.defaults(), playbook, inventory, options, List.of(localSink))
                .outcome().join().exitCode();
        localSink.close();

        List<RemoteTaskRunner> runners = new ArrayList<>();
        for (String w : List.of("worker-1", "worker-2")) {
            runners.add(setup.taskRunner(vertx, vertx.getOrCreateContext(), SshSettings.defaults(),
                    setup.parse(files(w)), inventory, options, Vault.NONE));
        }
        Loopback loopback = new Loopback(runners);
        Path clustered = dir.resolve("clustered.json");
        JsonReportSink clusteredSink = new JsonReportSink(clustered);
        int clusteredExit = setup.startDispatched(vertx, playbook, inventory, options, List.of(clusteredSink),
                loopback).outcome().join().exitCode();
        clusteredSink.close();

        JsonObject localReport = new JsonObject(Files.readString(local));
        JsonObject clusteredReport = new JsonObject(Files.readString(clustered));
        assertThat(localExit).isZero();
        assertThat(clusteredExit).isZero();
        assertThat(((JsonObject) ClusterRunTest.normalised(clusteredReport)).encodePrettily())
                .isEqualTo(((JsonObject) ClusterRunTest.normalised(localReport)).encodePrettily());

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
    }
}
