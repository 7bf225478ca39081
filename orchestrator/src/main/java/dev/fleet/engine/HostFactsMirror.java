package dev.fleet.engine;

import dev.fleet.result.TaskStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A clustered run's coordinator's copy of what tasks set on every host, kept from the workers' replies: the
 * registered results and facts of {@link RemoteReply#set}, the include_vars values and delegated facts of
 * {@link RemoteReply#updates}, {@code meta: clear_facts}, and what {@code run_once} shared. Workers read it for
 * {@code hostvars} of hosts they do not run, so it must hold whatever the worker that runs the host holds.
 * Confined to the run's event-loop context.
 */
final class HostFactsMirror {
    private final Map<String, HostState> hosts;
    private final RunInventory inventory;
    /** Inventory hosts outside the run that got facts through {@code delegate_facts}. */
    private final Map<String, HostState> outsideRun = new HashMap<>();
    private final BiConsumer<String, Map<String, Object>> forward;

    /**
     * {@code hosts}: the run's host states, which this keeps up to date. {@code forward}: hands facts another host's
     * task set on a host to that host's own worker, with its next task.
     */
    HostFactsMirror(Map<String, HostState> hosts, RunInventory inventory,
            BiConsumer<String, Map<String, Object>> forward) {
        this.hosts = hosts;
        this.inventory = inventory;
        this.forward = forward;
    }

    /** {@code host}'s task ended with {@code reply}: what it set goes into the copy. */
    void apply(HostState host, RemoteReply reply) {
        if ("clear_facts".equals(reply.result().outcome().data().get("meta"))
                && reply.result().status() != TaskStatus.FAILED) {
            host.clearFacts();
        }
        host.hostFacts.putAll(reply.set());
        host.lastSet = reply.set();
        host.lastUpdates = reply.updates(); // as after a task run here: run_once shares what it holds of this host
        reply.updates().forEach((name, set) -> {
            HostState target = state(name);
            if (target == null) return;
            target.includedVars.putAll(set.included());
            target.hostFacts.putAll(set.facts());
            if (target != host) {
                // the worker that runs the other host learns them as it learns run_once's: with its next task.
                // include_vars values travel with them, at the facts' level (only delegate_facts can put them there)
                Map<String, Object> both = new LinkedHashMap<>(set.included());
                both.putAll(set.facts());
                forward.accept(name, both);
            }
        });
    }

    /** What tasks set on {@code name} so far, or null for a name that is no inventory host. */
    HostFacts facts(String name) {
        HostState st = hosts.get(name);
        if (st == null) st = outsideRun.get(name);
        if (st != null) return HostFacts.of(st);
        return inventory.get().host(name).isPresent() ? HostFacts.EMPTY : null;
    }

    private HostState state(String name) {
        HostState st = hosts.get(name);
        if (st != null) return st;
        return inventory.get().host(name).isPresent() ? outsideRun.computeIfAbsent(name, HostState::new) : null;
    }
}
