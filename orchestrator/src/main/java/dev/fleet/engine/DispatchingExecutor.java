package dev.fleet.engine;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.template.Templater;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Runs host-tasks on cluster workers through a {@link TaskDispatcher}: the run's strategy, blocks, handlers and
 * failure rules stay here, only the task itself travels. Keeps the coordinator's copy of each host's variables
 * in step with what the worker reports, and sends the worker what only the coordinator learnt ({@code run_once}
 * sharing, {@code ansible_failed_task}, what a controller action registered or loaded, inventory changes, play
 * hosts put out or let back in).
 * Controller actions ({@code include_tasks}, {@code include_role}, {@code include_vars}, {@code add_host},
 * {@code group_by}) run here.
 * Confined to the run's event-loop context.
 */
final class DispatchingExecutor implements HostExecutor {
    /**
     * Actions of the controller, which touch no host: run here, where the run's flow (included files) and inventory
     * live; what they change is passed on to the workers.
     */
    static final Set<String> CONTROLLER_ACTIONS = Set.of(PlaybookParser.INCLUDE, PlaybookParser.INCLUDE_ROLE,
            "add_host", "group_by", "include_vars");
    /** A host with no public role's variables, as a worker starts it. */
    private static final Map<String, Object> NO_PUBLIC_ROLES = Map.of("defaults", Map.of(), "vars", Map.of());

    private final TaskDispatcher dispatcher;
    private final TaskIndex index;
    private final IncludeRegistry includes;
    private final HostExecutor controller;
    private final RunInventory inventory;
    private final Templater templater;
    private final RunOptions options;
    private final Map<PlayScope, RemoteScope> scopes = new IdentityHashMap<>();
    private final Map<String, Map<String, Object>> unsent = new HashMap<>();
    private final Map<String, Map<String, Object>> unsentIncluded = new HashMap<>();
    private final Map<String, Long> sequence = new HashMap<>();
    /** What each host's worker last got of the public roles' variables ({@link HostState#publicRoles()}). */
    private final Map<String, Map<String, Object>> publicRolesSent = new HashMap<>();
    private final HostFactsMirror mirror;
    /** Play hosts the flow put out or let back in, which workers learn with their next task. */
    private final ActivityLog activity = new ActivityLog();

    /**
     * @param controller runs the controller's own actions ({@link #CONTROLLER_ACTIONS}) here, on this JVM's copy
     *                   of the hosts' variables and on {@code inventory}
     * @param hosts      the run's host states, kept as the coordinator's copy of what tasks set on each host, which
     *                   workers read through {@link TaskDispatcher#mirror}. Built on the run's event-loop context.
     */
    DispatchingExecutor(TaskDispatcher dispatcher, Playbook playbook, Templater templater, RunOptions options,
            HostExecutor controller, Map<String, HostState> hosts, RunInventory inventory) {
        this.dispatcher = dispatcher;
        this.index = new TaskIndex(playbook);
        this.includes = new IncludeRegistry(index);
        this.templater = templater;
        this.options = options;
        this.controller = controller;
        this.inventory = inventory;
        this.mirror = new HostFactsMirror(hosts, inventory,
                (host, vars) -> unsent.computeIfAbsent(host, h -> new LinkedHashMap<>()).putAll(vars));
        dispatcher.mirror(mirror::facts);
        // add_host may give a host variables the dispatcher places hosts by: it reads the run's inventory as it is now
        dispatcher.inventoryVars(name -> inventory.get().host(name).isPresent() ? inventory.get().varsFor(name)
                : Map.of());
    }

    @Override
    public Future<TaskResult> execute(HostState host, PlayScope scope, Task task) {
        Play play = scope.play();
        if (onController(task)) return onController(host, scope, task);
        Instant start = Instant.now();
        IncludeRegistry.Address at = includes.address(index.play(play), task);
        if (at == null) {
            // every task is in the playbook's files or in an include this JVM ran: this is a bug
            return Future.succeededFuture(HostTaskExecutor.result(templater, options, host.name, play, task,
                    TaskOutcome.failed("internal error: task at " + task.position() + " has no address a cluster "
                            + "worker can find it by"), start));
        }
        RemoteScope remoteScope = scopes.computeIfAbsent(scope, this::remoteScope);
        Map<String, Object> shared = unsent.remove(host.name);
        Map<String, Object> included = unsentIncluded.remove(host.name);
        // a host that starts on a worker (again, its first one lost) gets all the coordinator mirrors of it
        boolean fresh = !dispatcher.hasState(host.name);
        if (fresh) {
            shared = host.factsSnapshot();
            included = host.includedVarsSnapshot();
        }
        Map<String, Object> publicRoles = host.publicRoles();
        Map<String, Object> sentRoles = fresh ? NO_PUBLIC_ROLES : publicRolesSent.getOrDefault(host.name,
                NO_PUBLIC_ROLES);
        if (publicRoles.equals(sentRoles)) {
            publicRoles = null;
        } else {
            publicRolesSent.put(host.name, publicRoles);
        }
        long seq = sequence.merge(host.name, 1L, Long::sum);
        // the worker's watchdog allows for its own connect retries; this one only bounds a silent worker
        long watchdog = HostTaskExecutor.watchdog(task, options, options.connectTimeout().multipliedBy(3)).toMillis();
        RemoteTask remote = new RemoteTask(seq, host.name, remoteScope.play(), at.task(), remoteScope.id(),
                shared == null ? Map.of() : shared, included == null ? Map.of() : included, host.failedTask,
                host.failedResult, watchdog, includes.chain(at), inventory.changes(), publicRoles,
                activity.snapshot());
        return dispatcher.run(remoteScope, remote).map(reply -> {
            mirror.apply(host, reply);
            TaskResult r = reply.result();
            // the worker's copy of the playbook sits elsewhere: the report names the task as this JVM parsed it
            TaskResult named = HostTaskExecutor.result(templater, options, host.name, play, task, r.outcome(), start);
            return new TaskResult(named.host(), named.play(), named.task(), named.module(), named.source(),
                    r.outcome(), r.ignored(), r.start(), r.end());
        }).recover(lost -> Future.succeededFuture(HostTaskExecutor.result(templater, options, host.name, play, task,
                TaskOutcome.unreachable(lost.getMessage()), start)));
    }

    /**
     * A scope as workers get it, once. From then on its hosts' ins and outs are logged as the flow makes them (a
     * host already out, e.g. one that failed in an earlier batch, is logged now): each task carries the log, so a
     * worker's {@code ansible_play_hosts} drops the hosts the coordinator's does.
     */
    private RemoteScope remoteScope(PlayScope s) {
        for (HostState h : s.playHosts()) {
            h.watchActivity(activity::record);
            activity.record(h);
        }
        return new RemoteScope("s" + scopes.size(), index.play(s.play()), s.playHosts().stream().map(h -> h.name)
                .toList(), s.batch().stream().map(h -> h.name).toList());
    }

    /**
     * Whether a task runs here: the controller's actions, except an include_vars whose variables go to another host
     * ({@code delegate_facts}), which the worker of the task's host runs.
     */
    private static boolean onController(Task task) {
        return CONTROLLER_ACTIONS.contains(task.module()) && !(task.module().equals("include_vars")
                && task.keywords().delegateTo() != null && task.keywords().delegateFacts());
    }

    /**
     * A controller action, run here as Ansible runs it on the controller: an include gives what it included ids
     * workers can find its tasks by; what the task registered or loaded is passed on with the host's next task;
     * inventory changes reach the workers before their next task ({@link RemoteTask#inventory}).
     */
    private Future<TaskResult> onController(HostState host, PlayScope scope, Task task) {
        Map<String, Object> before = task.module().equals("include_vars") ? host.includedVarsSnapshot() : null;
        return controller.execute(host, scope, task).map(r -> {
            if (!host.lastSet.isEmpty()) unsent.computeIfAbsent(host.name, h -> new LinkedHashMap<>())
                    .putAll(host.lastSet);
            if (before != null) {
                host.includedVarsSnapshot().forEach((k, v) -> {
                    if (!before.containsKey(k) || !java.util.Objects.equals(before.get(k), v)) {
                        unsentIncluded.computeIfAbsent(host.name, h -> new LinkedHashMap<>()).put(k, v);
                    }
                });
            }
            boolean include = task.module().equals(PlaybookParser.INCLUDE)
                    || task.module().equals(PlaybookParser.INCLUDE_ROLE);
            if (include && !host.pendingIncludes.isEmpty()) {
                host.pendingIncludes = includes.adopt(index.play(scope.play()), task, host.pendingIncludes);
            }
            return r;
        });
    }

    @Override
    public void shared(HostState host, HostFacts vars) {
        host.hostFacts.putAll(vars.facts());
        host.includedVars.putAll(vars.included());
        if (!vars.facts().isEmpty()) {
            unsent.computeIfAbsent(host.name, h -> new LinkedHashMap<>()).putAll(vars.facts());
        }
        if (!vars.included().isEmpty()) {
            unsentIncluded.computeIfAbsent(host.name, h -> new LinkedHashMap<>()).putAll(vars.included());
        }
    }

    @Override
    public void closeDelegates() {
        dispatcher.close();
        controller.closeDelegates();
    }

    @Override
    public void interruptRunning(Duration limit) {
        // workers stop their tasks when the run is closed (closeDelegates, right after this)
        controller.interruptRunning(limit);
    }
}
