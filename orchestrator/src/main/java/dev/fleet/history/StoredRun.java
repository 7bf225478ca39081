package dev.fleet.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run with every host's task results, as stored. */
public record StoredRun(RunSummary summary, Map<String, HostRecord> hosts) {

    /** @param status ok, changed, failed or unreachable (as in the JSON report) */
    public record HostRecord(String status, dev.fleet.result.HostStats stats, List<TaskRecord> tasks) {}

    public record TaskRecord(String play, String task, String module, String source, String status, Integer rc,
            String msg, String stdout, String stderr, Instant start, Instant end) {}
}
