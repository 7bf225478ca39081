package dev.fleet.engine;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.HostSession;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One host during a run. Touched by the event loop and by the one virtual thread running this host's current
 * task, never by two at once: a host has at most one task in flight, and handing over through the executor and
 * {@code runOnContext} orders the accesses.
 */
final class HostState {
    final String name;
    /** Registered results; later: facts. Above play vars, below extra vars. */
    final Map<String, Object> hostFacts = new LinkedHashMap<>();
    volatile HostSession session;
    HostStats stats = HostStats.EMPTY;
    /** Set once the host failed or was unreachable: it runs no more tasks in this run. */
    TaskStatus out;

    HostState(String name) {
        this.name = name;
    }

    boolean active() {
        return out == null;
    }
}
