package dev.fleet.engine;

import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
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

/**
 * Runs host-tasks on cluster workers through a {@link TaskDispatcher}: the run's strategy, blocks, handlers and
 * failure rules stay here, only the task itself travels. Keeps the coordinator's copy of each host's variables
 * in step with what the worker reports, and sends the worker what only the coordinator learnt ({@code run_once}
 * sharing, {@code ansible_failed_task}). Confined to the run's event-loop context.
 */
final class DispatchingExecutor implements HostExecutor {
    private final TaskDispatcher dispatcher;
    private final TaskIndex index;
    private final Templater templater;
    private final RunOptions options;
    private final Map<PlayScope, RemoteScope> scopes = new IdentityHashMap<>();
    private final Map<String, Map<String, Object>> unsent = new HashMap<>();
    private final Map<String, Long> sequence = new HashMap<>();

    DispatchingExecutor(TaskDispatcher dispatcher, Playbook playbook, Templater templater, RunOptions options) {
        this.dispatcher = dispatcher;
        this.index = new TaskIndex(playbook);
        this.templater = templater;
        this.options = options;
    }

    @Override
    public Future<TaskResult> execute(HostState host, PlayScope scope, Task task) {
        Play play = scope.play();
        Instant start = Instant.now();
        int taskIndex = index.task(task);
        if (taskIndex == -2) {
            // the cluster command refuses playbooks with dynamic includes before the run starts
            return Future.succeededFuture(HostTaskExecutor.result(templater, options, host.name, play, task,
                    TaskOutcome.failed("a task that is not in the playbook's files cannot run on a cluster worker"),
                    start));
        }
        RemoteScope remoteScope = scopes.computeIfAbsent(scope, s -> new RemoteScope("s" + scopes.size(),
                index.play(play), s.playHosts().stream().map(h -> h.name).toList(),
                s.batch().stream().map(h -> h.name).toList()));
        Map<String, Object> shared = unsent.remove(host.name);
        // a host that starts on a worker (again, its first one lost) gets all the coordinator mirrors of it
        if (!dispatcher.hasState(host.name)) shared = host.factsSnapshot();
        long seq = sequence.merge(host.name, 1L, Long::sum);
        // the worker's watchdog allows for its own connect retries; this one only bounds a silent worker
        long watchdog = HostTaskExecutor.watchdog(task, options, options.connectTimeout().multipliedBy(3)).toMillis();
        RemoteTask remote = new RemoteTask(seq, host.name, remoteScope.play(), taskIndex, remoteScope.id(),
                shared == null ? Map.of() : shared, host.failedTask, host.failedResult, watchdog);
        return dispatcher.run(remoteScope, remote).map(reply -> {
            host.hostFacts.putAll(reply.set());
            host.lastSet = reply.set();
            // the worker's copy of the playbook sits elsewhere: the report names the task as this JVM parsed it
            TaskResult r = reply.result();
            TaskResult named = HostTaskExecutor.result(templater, options, host.name, play, task, r.outcome(), start);
            return new TaskResult(named.host(), named.play(), named.task(), named.module(), named.source(),
                    r.outcome(), r.ignored(), r.start(), r.end());
        }).recover(lost -> Future.succeededFuture(HostTaskExecutor.result(templater, options, host.name, play, task,
                TaskOutcome.unreachable(lost.getMessage()), start)));
    }

    @Override
    public void shared(HostState host, Map<String, Object> vars) {
        host.hostFacts.putAll(vars);
        unsent.computeIfAbsent(host.name, h -> new LinkedHashMap<>()).putAll(vars);
    }

    @Override
    public void closeDelegates() {
        dispatcher.close();
    }

    @Override
    public void interruptRunning(Duration limit) {
        // workers stop their tasks when the run is closed (closeDelegates, right after this)
    }
}
