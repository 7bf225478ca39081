package dev.fleet.history;

import java.util.List;
import java.util.Map;

/**
 * The latest runs of one trigger (a schedule's, say) and how each host ended in each: what a fleet-health view
 * draws.
 *
 * @param runs  most recent first
 * @param hosts run id to host to the host's one-word status in that run (ok, changed, failed, unreachable; as
 *              {@link RunStatus#host}); a host missing from a run's map was not in that run
 */
public record TriggerOutcomes(List<RunSummary> runs, Map<String, Map<String, String>> hosts) {
    public TriggerOutcomes {
        runs = List.copyOf(runs);
        hosts = Map.copyOf(hosts);
    }
}
