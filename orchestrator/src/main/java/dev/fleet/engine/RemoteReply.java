package dev.fleet.engine;

import dev.fleet.result.TaskResult;
import java.util.Map;

/**
 * What a worker sends back for a {@link RemoteTask}: the result, and the variables the task set on the host (its
 * registered result and facts), which the coordinator shares when the task was {@code run_once}.
 */
public record RemoteReply(TaskResult result, Map<String, Object> set) {}
