package dev.fleet.result;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine tells the world while a run goes on. Sinks consume these; they never call back into the
 * engine. The set is closed so every sink handles every case.
 */
public sealed interface RunEvent {
    Instant at();

    record RunStarted(String playbook, List<String> hosts, Instant at) implements RunEvent {}

    record PlayStarted(String play, List<String> hosts, Instant at) implements RunEvent {}

    record TaskStarted(String play, String task, String source, int hostCount, Instant at) implements RunEvent {}

    record HostTaskFinished(TaskResult result, Instant at) implements RunEvent {}

    /** The end of a play; {@code abortReason} says why it stopped early (any_errors_fatal, ...), or is null. */
    record PlayFinished(String play, String abortReason, Instant at) implements RunEvent {}

    /**
     * The end of the run; {@code interrupted} when it was stopped before it finished; {@code custom}: what
     * {@code set_stats} tasks gathered (Ansible's custom stats).
     */
    record RunFinished(Map<String, HostStats> stats, CustomStats custom, boolean interrupted, Instant at)
            implements RunEvent {
        public RunFinished {
            custom = custom == null ? CustomStats.EMPTY : custom;
        }

        /** A run without custom stats. */
        public RunFinished(Map<String, HostStats> stats, boolean interrupted, Instant at) {
            this(stats, CustomStats.EMPTY, interrupted, at);
        }
    }
}
