package dev.fleet.history;

import dev.fleet.result.RunSink;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where runs are kept: every run (CLI, HTTP, schedule) with its per-host, per-task results, so nothing is lost
 * across restarts. Implementations: SQLite by default, PostgreSQL by JDBC URL. Thread-safe.
 */
public interface RunStore extends AutoCloseable {

    /** A sink that records one run as its events arrive; the row exists (status running) once this returns. */
    RunSink recorder(String runId, RunMeta meta);

    /** Most recent first. */
    List<RunSummary> recent(int limit, int offset);

    Optional<StoredRun> find(String runId);

    /**
     * The latest {@code limit} runs started by {@code trigger} (e.g. {@code schedule:nightly}), most recent first,
     * with each host's status in each. A fixed number of queries, however many runs.
     */
    TriggerOutcomes outcomes(String trigger, int limit);

    /** Deletes runs beyond the retention policy; returns how many were deleted. */
    int applyRetention(Retention retention);

    /** Appends one line to the audit trail; queued, never waits for the disk (a failed write is a warning). */
    void audit(AuditRecord record);

    /** The audit trail, newest first, at most {@code limit} lines. */
    List<AuditRecord> auditTrail(int limit);

    /** Marks runs still "running" (a previous process died mid-run) as interrupted; returns their ids. */
    List<String> markAbandoned();

    /** Why a run is not fully recorded (disk full, database locked or read-only), once its recorder closed. */
    default Optional<String> recordingFailure(String runId) {
        return Optional.empty();
    }

    /** Where the one warning per run about a failed write goes, as it happens (default: standard error). */
    default void onWarning(Consumer<String> sink) {}

    @Override
    void close();
}
