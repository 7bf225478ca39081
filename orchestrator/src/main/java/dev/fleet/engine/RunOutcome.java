package dev.fleet.engine;

import dev.fleet.result.HostStats;
import java.util.Map;

/** The end state of a run, and the process exit code it maps to (Ansible's codes). */
public record RunOutcome(Map<String, HostStats> stats, boolean interrupted) {
    public int exitCode() {
        if (interrupted) return ExitCodes.INTERRUPTED;
        if (stats.values().stream().anyMatch(s -> s.failed() > 0)) return ExitCodes.HOSTS_FAILED;
        if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) return ExitCodes.HOSTS_UNREACHABLE;
        return ExitCodes.OK;
    }
}
