package dev.fleet.engine;

import java.util.Map;

/**
 * One task for one host, as a clustered run ships it to the worker that runs the host. The task is named by its
 * place in the playbook both sides parsed from the same files; the variables the coordinator learnt for the host
 * since the last task travel with it.
 *
 * @param seq          the coordinator's count of tasks sent for this host: with the run id and host, what a worker
 *                     de-duplicates by
 * @param play         index of the play in the playbook
 * @param task         index of the task in {@link TaskIndex}'s order for that play, or {@link TaskIndex#GATHER_FACTS}
 * @param scope        the {@link RemoteScope} the task runs in
 * @param shared       variables {@code run_once} shared with this host since its last task
 * @param failedTask   {@code ansible_failed_task}, or null
 * @param failedResult {@code ansible_failed_result}, or null
 * @param watchdogMs   how long the task may take on the host, connect and retries included
 */
public record RemoteTask(long seq, String host, int play, int task, String scope, Map<String, Object> shared,
        Map<String, Object> failedTask, Map<String, Object> failedResult, long watchdogMs) {}
