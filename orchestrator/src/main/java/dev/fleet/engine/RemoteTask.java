package dev.fleet.engine;

import java.util.List;
import java.util.Map;

/**
 * One task for one host, as a clustered run ships it to the worker that runs the host. The task is named by its
 * place in the playbook both sides parsed from the same files, or in a file an {@code include_tasks} brought in;
 * the variables the coordinator learnt for the host since the last task travel with it.
 *
 * @param seq          the coordinator's count of tasks sent for this host: with the run id and host, what a worker
 *                     de-duplicates by
 * @param play         index of the play in the playbook
 * @param task         index of the task in {@link TaskIndex}'s order for that play, or {@link TaskIndex#GATHER_FACTS};
 *                     for an included task, its index in the last of {@code includes}
 * @param scope        the {@link RemoteScope} the task runs in
 * @param shared       variables {@code run_once} shared with this host since its last task, and what a task the
 *                     coordinator ran for it registered
 * @param included     variables {@code include_vars} (run on the coordinator) loaded for this host since its last
 *                     task: they keep their own precedence, below {@code set_fact}
 * @param failedTask   {@code ansible_failed_task}, or null
 * @param failedResult {@code ansible_failed_result}, or null
 * @param watchdogMs   how long the task may take on the host, connect and retries included
 * @param includes     for a task an include brought in: that include's definition after its parents', outermost
 *                     first (a worker parses the ones it has not seen); empty for a task of the playbook's files
 * @param inventory    every {@code add_host}/{@code group_by} change of the run so far, which the worker must have
 *                     applied before it runs the task; the dispatcher sends a worker the ones it has not had (they
 *                     do not travel with the task)
 * @param publicRoles  the defaults and vars roles included with {@code public: true} share with the host's later
 *                     tasks of the play ({@code defaults}, {@code vars}), when they changed since the host's last
 *                     task (they replace what the worker had); null when unchanged
 * @param activity     play hosts the coordinator's flow put out or let back in: from the coordinator's engine, every
 *                     such change of the run so far, which the dispatcher narrows to the ones the worker has not had
 *                     ({@link #withActivity}); they travel with the task
 */
public record RemoteTask(long seq, String host, int play, int task, String scope, Map<String, Object> shared,
        Map<String, Object> included, Map<String, Object> failedTask, Map<String, Object> failedResult,
        long watchdogMs, List<RemoteInclude> includes, List<InventoryChange> inventory,
        Map<String, Object> publicRoles, List<ActivityChange> activity) {

    public RemoteTask {
        includes = List.copyOf(includes);
    }

    /** A task that changes nothing of the public roles' variables and has no activity change to pass on. */
    public RemoteTask(long seq, String host, int play, int task, String scope, Map<String, Object> shared,
            Map<String, Object> included, Map<String, Object> failedTask, Map<String, Object> failedResult,
            long watchdogMs, List<RemoteInclude> includes, List<InventoryChange> inventory) {
        this(seq, host, play, task, scope, shared, included, failedTask, failedResult, watchdogMs, includes,
                inventory, null, List.of());
    }

    /** The same task carrying {@code changes} (those its worker has not had) instead of its {@link #activity}. */
    public RemoteTask withActivity(List<ActivityChange> changes) {
        return new RemoteTask(seq, host, play, task, scope, shared, included, failedTask, failedResult, watchdogMs,
                includes, inventory, publicRoles, changes);
    }

    /** A task of the playbook's files, with no inventory change to pass on (as a worker receives one). */
    public RemoteTask(long seq, String host, int play, int task, String scope, Map<String, Object> shared,
            Map<String, Object> failedTask, Map<String, Object> failedResult, long watchdogMs) {
        this(seq, host, play, task, scope, shared, Map.of(), failedTask, failedResult, watchdogMs, List.of(),
                List.of());
    }
}
