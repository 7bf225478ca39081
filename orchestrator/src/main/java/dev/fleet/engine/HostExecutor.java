package dev.fleet.engine;

import dev.fleet.playbook.Task;
import dev.fleet.result.TaskResult;
import io.vertx.core.Future;
import java.time.Duration;

/**
 * Where a strategy's host-tasks run: in this JVM ({@link HostTaskExecutor}) or on the cluster worker that owns
 * the host ({@link DispatchingExecutor}). Everything else of a run (strategies, blocks, handlers, failure rules,
 * events) stays in the one JVM that drives it, whichever executor it has.
 */
interface HostExecutor {

    /** Runs {@code task} on {@code host}; called on the run's event-loop context, the future completes there. */
    Future<TaskResult> execute(HostState host, PlayScope scope, Task task);

    /**
     * {@code run_once}: another host's task set {@code vars} for {@code host} too (its facts and registered result,
     * and what include_vars loaded, at include_vars' level). Event-loop context.
     */
    void shared(HostState host, HostFacts vars);

    /** At the end of the run: closes what the executor opened beside the hosts' own sessions. Blocking. */
    void closeDelegates();

    /** For a cancelled run: stops running tasks, waiting up to {@code limit}. Blocking. */
    void interruptRunning(Duration limit);
}
