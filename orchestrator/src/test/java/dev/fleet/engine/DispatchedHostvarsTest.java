package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.testing.FakeTransport;
import dev.fleet.transport.SshSettings;
import dev.fleet.vault.Vault;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hostvars} on a clustered run, without a cluster: the coordinator's engine dispatches to two
 * {@link RemoteTaskRunner}s ("workers") in this JVM, each running half the hosts against in-memory hosts, and a
 * worker's lookup of a host the other one runs goes to the coordinator's copy on the run's context, as the cluster's
 * event bus does. The answers must be the one-JVM run's.
 */
class DispatchedHostvarsTest {
    @TempDir
    Path dir;

    static final String INVENTORY = "h1\nh2\nh3\nh4\n";

    static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: who
                  command: who-am-i
                  register: who
                - name: fact
                  set_fact:
                    colour: "c-{{ inventory_hostname }}"
                    ansible_tint: "t-{{ inventory_hostname }}"
                - name: from file
                  include_vars: "vars/{{ inventory_hostname }}.yml"
                - name: delegated
                  set_fact:
                    told_by: "{{ inventory_hostname }}"
                  delegate_to: h1
                  delegate_facts: true
                  when: inventory_hostname == 'h4'
                - name: forget
                  meta: clear_facts
                  when: inventory_hostname == 'h2'
                - name: read all
                  set_fact:
                    seen: "{{ seen | default([]) + [item ~ '=' ~ hostvars[item].who.stdout ~ '/'
                      ~ hostvars[item].colour ~ '/' ~ hostvars[item].from_file ~ '/'
                      ~ (hostvars[item].ansible_tint | default('cleared')) ~ '/'
                      ~ (hostvars[item].told_by | default('-'))] }}"
                  loop: "{{ groups['all'] }}"
                - name: show
                  debug:
                    msg: "{{ seen | join(' ') }}"
            """;

    static final String EXPECTED = "h1=out-h1/c-h1/file-h1/t-h1/h4 h2=out-h2/c-h2/file-h2/cleared/- "
            + "h3=out-h3/c-h3/file-h3/t-h3/- h4=out-h4/c-h4/file-h4/t-h4/-";

    @Test
    void workersSeeOtherWorkersHostsAsOneJvmDoes() throws Exception {
        Path pb = write();
        EngineHarness harness = new EngineHarness(dir);
        script(harness.transport);
        List<TaskResult> oneJvm = harness.run(pb, INVENTORY, EngineHarness.options(Map.of())).results();

        FakeTransport transport = new FakeTransport();
        script(transport);
        Clustered run = runClustered(pb, transport);
        List<TaskResult> clustered = run.results();

        assertThat(run.outcome().exitCode()).as(statuses(clustered).toString()).isZero();
        assertThat(shown(clustered)).isEqualTo(shown(oneJvm))
                .isEqualTo(Map.of("h1", EXPECTED, "h2", EXPECTED, "h3", EXPECTED, "h4", EXPECTED));
        assertThat(statuses(clustered)).isEqualTo(statuses(oneJvm));
        // h1 and h3 ran on one worker, h2 and h4 on the other: each host asked once per task (not per loop item
        // or lookup) for each host of the other worker, only in the task that reads hostvars
        assertThat(run.cluster().asked).containsExactlyInAnyOrder("h2", "h4", "h2", "h4", "h1", "h3", "h1", "h3");
        assertThat(run.cluster().askedOn).containsOnly("virtual thread");
    }

    @Test
    void onlyTheHostsATemplateReadsAreAskedFor() throws Exception {
        Path pb = dir.resolve("lazy.yml");
        Files.writeString(pb, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - set_fact:
                        mine: "m-{{ inventory_hostname }}"
                    - debug:
                        msg: "{{ hostvars['h2'].mine }} {{ hostvars['h2'].mine }} {{ hostvars['h3'].mine }}"
                      when: inventory_hostname == 'h1'
                """);
        Clustered run = runClustered(pb, new FakeTransport());
        assertThat(shown(run.results())).containsEntry("h1", "m-h2 m-h2 m-h3");
        // h3 runs on h1's worker: read there; h2 asked for once in the task; h4, never read, not at all
        assertThat(run.cluster().asked).containsExactly("h2");
    }

    record Clustered(RunOutcome outcome, List<TaskResult> results, InJvmCluster cluster) {}

    /** Runs the playbook as a coordinator whose tasks go to two in-JVM workers. */
    private static Clustered runClustered(Path pb, FakeTransport transport) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(3));
        try {
            RunSetup setup = new RunSetup(ModuleRegistry.builtin(), ssh -> transport);
            Playbook playbook = setup.parse(pb);
            Inventory inventory = Inventory.parse(INVENTORY, "inventory.ini");
            RunOptions options = EngineHarness.options(Map.of());
            List<RemoteTaskRunner> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                workers.add(setup.taskRunner(vertx, vertx.getOrCreateContext(), SshSettings.defaults(), playbook,
                        inventory, options, Vault.NONE));
            }
            InJvmCluster cluster = new InJvmCluster(workers);
            List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
            RunSink sink = events::add;
            RunOutcome outcome = setup.startDispatched(vertx, playbook, inventory, options, List.of(sink), cluster)
                    .outcome().get(60, TimeUnit.SECONDS);
            List<TaskResult> results = events.stream().filter(e -> e instanceof RunEvent.HostTaskFinished)
                    .map(e -> ((RunEvent.HostTaskFinished) e).result()).toList();
            return new Clustered(outcome, results, cluster);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private Path write() throws Exception {
        Files.createDirectories(dir.resolve("vars"));
        for (int i = 1; i <= 4; i++) {
            Files.writeString(dir.resolve("vars/h" + i + ".yml"), "from_file: file-h" + i + "\n");
        }
        return Files.writeString(dir.resolve("hostvars.yml"), PLAYBOOK);
    }

    private static void script(FakeTransport transport) {
        for (int i = 1; i <= 4; i++) transport.host("h" + i).on("who-am-i", 0, "out-h" + i);
    }

    /** Per host, what its {@code show} task printed. */
    private static Map<String, String> shown(List<TaskResult> results) {
        Map<String, String> out = new LinkedHashMap<>();
        results.stream().filter(r -> r.module().equals("debug")).forEach(r -> out.put(r.host(), r.outcome().msg()));
        return out;
    }

    private static Map<String, String> statuses(List<TaskResult> results) {
        Map<String, String> out = new java.util.TreeMap<>();
        results.forEach(r -> out.merge(r.host(), r.task() + ":" + r.status(), (a, b) -> a + " " + b));
        return out;
    }

    /**
     * Two workers in this JVM: hosts alternate between them as they come; a worker's question goes to the
     * coordinator's copy on the run's context and blocks the asking task's thread until answered.
     */
    static final class InJvmCluster implements TaskDispatcher {
        final List<RemoteTaskRunner> workers;
        final Map<String, RemoteTaskRunner> owner = new LinkedHashMap<>();
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());
        final List<String> askedOn = Collections.synchronizedList(new ArrayList<>());
        volatile Context runContext;
        volatile Function<String, HostFacts> factsOf;

        InJvmCluster(List<RemoteTaskRunner> workers) {
            this.workers = workers;
        }

        @Override
        public void mirror(Function<String, HostFacts> facts) {
            runContext = Vertx.currentContext();
            factsOf = facts;
            workers.forEach(w -> w.lookUpOtherHostsWith(this::ask));
        }

        private Map<String, HostFacts> ask(List<String> hosts) {
            asked.addAll(hosts);
            askedOn.add(Context.isOnEventLoopThread() ? "event loop"
                    : Thread.currentThread().isVirtual() ? "virtual thread" : Thread.currentThread().getName());
            CompletableFuture<Map<String, HostFacts>> answer = new CompletableFuture<>();
            runContext.runOnContext(v -> {
                Map<String, HostFacts> out = new LinkedHashMap<>();
                hosts.forEach(h -> out.put(h, factsOf.apply(h)));
                answer.complete(out);
            });
            try {
                return answer.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
            RemoteTaskRunner w = owner.computeIfAbsent(task.host(), h -> workers.get(owner.size() % workers.size()));
            Context ctx = Vertx.currentContext();
            Promise<RemoteReply> reply = Promise.promise();
            w.run(scope, task).onComplete(ar -> ctx.runOnContext(v -> reply.handle(ar)));
            return reply.future();
        }

        @Override
        public void close() {
            workers.forEach(RemoteTaskRunner::close);
        }
    }
}
