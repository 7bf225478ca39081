package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.template.Templater;
import dev.fleet.transport.Transport;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A cluster worker's side of one clustered run: runs the {@link RemoteTask}s a coordinator sends for the hosts
 * it gave this worker, with this machine's transport (its own keys and known_hosts), and keeps those hosts' state
 * (connections, facts, registered results) between tasks. The run's flow is the coordinator's; this only runs
 * tasks, parsing the files and loading the roles the coordinator's includes brought in ({@link RemoteInclude}) from
 * this worker's copy of the playbook's directory and roles, and replaying its
 * inventory changes ({@link #applyInventory}). Built by {@link RunSetup#taskRunner}.
 */
public final class RemoteTaskRunner {
    private final Context context;
    private final Transport transport;
    private final TaskIndex index;
    private final IncludeRegistry includes;
    private final TaskIncludes taskIncludes;
    private final RoleIncludes roleIncludes;
    private final RunInventory inventory;
    private final Map<String, HostState> hosts = new ConcurrentHashMap<>();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final HostTaskExecutor executor;
    /** The hosts the coordinator gave this worker (it sent a task for them): their state is kept here. */
    private final java.util.Set<String> own = ConcurrentHashMap.newKeySet();
    private volatile HostFactsLookup otherHosts;
    /** The scopes tasks ran in, by {@link RemoteScope#id}: a host's state is kept for the run. On {@link #context}. */
    private final Map<String, PlayScope> playScopes = new java.util.HashMap<>();
    /** Per host, the version of the last {@link ActivityChange} applied to it. On {@link #context}. */
    private final Map<String, Integer> activityApplied = new java.util.HashMap<>();

    RemoteTaskRunner(Vertx vertx, Context context, Transport transport, ModuleRegistry modules,
            PlaybookParser parser, Templater templater, RunOptions options, Playbook playbook, Inventory inventory) {
        this.context = context;
        this.transport = transport;
        this.index = new TaskIndex(playbook);
        this.includes = new IncludeRegistry(index);
        this.taskIncludes = new TaskIncludes(templater, parser);
        this.roleIncludes = new RoleIncludes(templater, parser);
        this.inventory = new RunInventory(inventory);
        Path dir = Path.of(playbook.file()).toAbsolutePath().getParent();
        this.executor = new HostTaskExecutor(vertx, context, blocking, transport, modules, templater, options,
                this.inventory, dir, hosts, parser, new HostVars.Elsewhere(
                        h -> otherHosts != null && !own.contains(h), this::otherHostsFacts));
    }

    /**
     * Where {@code hostvars} reads what tasks set on hosts this worker does not run (the coordinator's copy); until
     * set, it shows only their inventory variables. Set before the first task.
     */
    public void lookUpOtherHostsWith(HostFactsLookup lookup) {
        this.otherHosts = lookup;
    }

    private Map<String, HostFacts> otherHostsFacts(List<String> names) {
        HostFactsLookup lookup = otherHosts;
        return lookup == null ? Map.of() : lookup.facts(names);
    }

    /** Runs one task; callable from any thread, the future completes on this runner's context. */
    public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
        Promise<RemoteReply> promise = Promise.promise();
        defineIncludes(task.includes()).onComplete(defined -> context.runOnContext(v -> {
            applyActivity(task.activity()); // whatever becomes of the task: later ones do not carry these again
            if (defined.failed()) {
                promise.fail("cannot parse what an include_tasks or include_role brought in: "
                        + defined.cause().getMessage());
                return;
            }
            own.add(task.host());
            HostState host = state(task.host());
            host.hostFacts.putAll(task.shared());
            host.includedVars.putAll(task.included());
            if (task.publicRoles() != null) host.replacePublicRoles(task.publicRoles());
            host.failedTask = task.failedTask();
            host.failedResult = task.failedResult();
            int include = task.includes().isEmpty() ? RemoteInclude.STATIC : task.includes().getLast().id();
            Task t = includes.task(task.play(), new IncludeRegistry.Address(include, task.task()));
            // once per scope, not per task: 5000 play hosts would otherwise be 5000 look-ups and a list per task
            PlayScope playScope = playScopes.computeIfAbsent(scope.id(), id -> new PlayScope(index.play(scope.play()),
                    states(scope.playHosts()), states(scope.batch())));
            executor.execute(host, playScope, t)
                    .map(r -> new RemoteReply(r, Map.copyOf(nullFree(host.lastSet)), host.lastUpdates))
                    .onComplete(promise);
        }));
        return promise.future();
    }

    /** Parses, off the event loop, the includes this runner has not seen yet (outermost first). */
    private Future<Void> defineIncludes(List<RemoteInclude> chain) {
        if (chain.stream().allMatch(d -> includes.defined(d.id()))) return Future.succeededFuture();
        Promise<Void> done = Promise.promise();
        blocking.execute(() -> {
            try {
                for (RemoteInclude d : chain) includes.define(d, taskIncludes, roleIncludes);
                done.complete();
            } catch (ParseException | RuntimeException e) {
                done.fail(e);
            }
        });
        return done.future();
    }

    /**
     * Applies the coordinator's {@code add_host}/{@code group_by} changes this worker has not applied yet, before
     * the tasks that follow them; callable from any thread.
     */
    public void applyInventory(List<InventoryChange> changes) {
        inventory.replay(changes);
    }

    /**
     * The coordinator put these play hosts out or let them back in: this worker's copy of them follows, so that
     * {@code ansible_play_hosts}/{@code ansible_play_batch} drop the same hosts. A change older than the last one
     * applied to its host is stale (messages may overtake each other) and ignored.
     */
    private void applyActivity(List<ActivityChange> changes) {
        for (ActivityChange c : changes) {
            if (activityApplied.getOrDefault(c.host(), 0) >= c.version()) continue;
            activityApplied.put(c.host(), c.version());
            state(c.host()).out = c.out();
        }
    }

    private HostState state(String name) {
        return hosts.computeIfAbsent(name, HostState::new);
    }

    private List<HostState> states(List<String> names) {
        return names.stream().map(this::state).toList();
    }

    /** Map.copyOf refuses null values; a registered value may be null, which travels as JSON null anyway. */
    private static Map<String, Object> nullFree(Map<String, Object> m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "" : v));
        return out;
    }

    /** The run has ended: stops what still runs, closes every connection and the transport. Blocking. */
    public void close() {
        executor.interruptRunning(java.time.Duration.ofSeconds(5));
        PlaybookRunner.closeAll(hosts.values());
        executor.closeDelegates();
        transport.close();
        blocking.shutdownNow();
    }
}
