package dev.fleet.engine;

import dev.fleet.result.TaskResult;
import java.util.Map;

/**
 * What a worker sends back for a {@link RemoteTask}: the result, the variables the task set on the host (its
 * registered result and facts), which the coordinator shares when the task was {@code run_once}, and what else the
 * task set ({@code updates}, by host: its include_vars values, facts set on another host through
 * {@code delegate_facts}), which only the coordinator's copy of those hosts takes, so that workers asking for
 * {@code hostvars} of a host they do not run see what a one-JVM run would.
 */
public record RemoteReply(TaskResult result, Map<String, Object> set, Map<String, HostFacts> updates) {
    public RemoteReply {
        updates = updates == null ? Map.of() : Map.copyOf(updates);
    }

    /** A reply whose task set nothing beyond {@code set}. */
    public RemoteReply(TaskResult result, Map<String, Object> set) {
        this(result, set, Map.of());
    }
}
