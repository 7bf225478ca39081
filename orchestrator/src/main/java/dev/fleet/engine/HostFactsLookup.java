package dev.fleet.engine;

import java.util.List;
import java.util.Map;

/**
 * Where a cluster worker reads what tasks set on hosts it does not run (another worker runs them): the
 * coordinator's copy, for {@code hostvars}. Blocking; called from a task's thread, never from an event loop.
 */
@FunctionalInterface
public interface HostFactsLookup {

    /**
     * What tasks set on each of {@code hosts} so far (a host the answerer does not know is left out). Throws an
     * unchecked exception saying what went wrong when there is no answer within its bounded wait; the task that
     * asked then fails with that message.
     */
    Map<String, HostFacts> facts(List<String> hosts);
}
