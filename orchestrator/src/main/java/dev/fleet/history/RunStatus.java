package dev.fleet.history;

import dev.fleet.result.HostStats;
import java.util.Map;

/** The one-word statuses stored for hosts and runs. */
public final class RunStatus {
    private RunStatus() {}

    /** One word per host, as in the JSON report: unreachable beats failed beats changed beats ok. */
    public static String host(HostStats s) {
        if (s.unreachable() > 0) return "unreachable";
        if (s.failed() > 0) return "failed";
        if (s.changed() > 0) return "changed";
        return "ok";
    }

    /**
     * One word per run: interrupted, else failed (any host with a failed task), else unreachable, else changed,
     * else ok. Failed beats unreachable at run level, as in the exit code (2 before 3).
     */
    public static String run(Map<String, HostStats> stats, boolean interrupted) {
        if (interrupted) return "interrupted";
        if (stats.values().stream().anyMatch(s -> s.failed() > 0)) return "failed";
        if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) return "unreachable";
        if (stats.values().stream().anyMatch(s -> s.changed() > 0)) return "changed";
        return "ok";
    }
}
