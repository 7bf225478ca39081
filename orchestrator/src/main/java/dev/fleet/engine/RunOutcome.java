package dev.fleet.engine;

import dev.fleet.result.HostStats;
import java.util.Map;

/** The end state of a run, and the process exit code it maps to (Ansible's codes). */
public record RunOutcome(Map<String, HostStats> stats, boolean interrupted) {
    public static final int OK = 0;
    public static final int HOSTS_FAILED = 2;
    public static final int HOSTS_UNREACHABLE = 3;
    public static final int INTERRUPTED = 99;

    public int exitCode() {
        if (interrupted) return INTERRUPTED;
        if (stats.values().stream().anyMatch(s -> s.failed() > 0)) return HOSTS_FAILED;
        if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) return HOSTS_UNREACHABLE;
        return OK;
    }
}
