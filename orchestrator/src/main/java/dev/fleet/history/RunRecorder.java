package dev.fleet.history;

import static dev.fleet.history.SqlValues.clip;
import static dev.fleet.history.SqlValues.setInstant;
import static dev.fleet.history.SqlValues.setStats;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Records one run. {@link #accept} only queues work for the writer thread; {@link #close} waits until the
 * final write is committed. A write that fails is reported once (see {@link JdbcRunStore#onWarning}) and never
 * thrown into the run.
 */
public final class RunRecorder implements RunSink {
    private final WriteQueue writes;
    private final Set<String> active;
    private final String runId;
    private final Map<String, Integer> seqs = new HashMap<>();
    private CompletableFuture<?> finish;

    private RunRecorder(WriteQueue writes, Set<String> active, String runId) {
        this.writes = writes;
        this.active = active;
        this.runId = runId;
    }

    /**
     * Inserts the run's row (status running, owned by {@code owner}) and returns its recorder; {@code active}
     * holds the run's id until the recorder is closed, so it is never taken for abandoned meanwhile.
     */
    static RunRecorder start(WriteQueue writes, Set<String> active, String owner, String runId, RunMeta meta) {
        Instant now = Instant.now();
        writes.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, playbook, inventory, limit_pattern, "
                    + "\"trigger\", check_mode, status, owner, start_ts, run_args) "
                    + "VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?)")) {
                ps.setString(1, runId);
                ps.setString(2, clip(meta.playbook()));
                ps.setString(3, clip(meta.inventory()));
                ps.setString(4, clip(meta.limit()));
                ps.setString(5, clip(meta.trigger()));
                ps.setInt(6, meta.check() ? 1 : 0);
                ps.setString(7, owner);
                setInstant(ps, 8, now);
                ps.setString(9, meta.args() == null ? null : meta.args().toJson());
                ps.executeUpdate();
            }
            return null;
        });
        active.add(runId);
        return new RunRecorder(writes, active, runId);
    }

    public String runId() {
        return runId;
    }

    /** Why recording this run failed, if it did. */
    public Optional<String> failure() {
        return writes.failure(runId);
    }

    @Override
    public void accept(RunEvent event) {
        if (writes.closed()) return;
        switch (event) {
            case RunEvent.RunStarted e -> {
                int hosts = e.hosts().size();
                watch(false, writes.submit(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "UPDATE runs SET start_ts = ?, host_count = ? WHERE id = ?")) {
                        setInstant(ps, 1, e.at());
                        ps.setInt(2, hosts);
                        ps.setString(3, runId);
                        ps.executeUpdate();
                    }
                    return null;
                }));
            }
            case RunEvent.HostTaskFinished e -> {
                String host = e.result().host();
                int seq = seqs.merge(host, 1, Integer::sum);
                writes.addRow(runId, host, seq, e.result());
            }
            case RunEvent.RunFinished e -> finish = watch(true, writes.submit(c -> {
                finishRun(c, runId, e);
                return null;
            }));
            case RunEvent.PlayStarted e -> { }
            case RunEvent.TaskStarted e -> { }
            case RunEvent.PlayFinished e -> { }
        }
    }

    private CompletableFuture<?> watch(boolean end, CompletableFuture<?> f) {
        return f.whenComplete((v, ex) -> {
            if (ex == null) return;
            if (end) writes.endFailed(runId, "writing the run's end failed: " + ex.getMessage());
            else writes.failed(runId, "writing the run's start failed: " + ex.getMessage());
        });
    }

    /** Waits (up to a minute) for everything of this run to be committed. */
    @Override
    public void close() {
        try {
            if (finish != null) finish.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // already reported
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            writes.endFailed(runId, "timed out writing the run's end");
        } finally {
            active.remove(runId);
        }
    }

    private static void finishRun(Connection c, String runId, RunEvent.RunFinished e) throws SQLException {
        HostStats total = HostStats.EMPTY;
        int failedHosts = 0;
        int unreachableHosts = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_results (run_id, host, seq, status, ok, "
                + "changed, unreachable, failed, skipped, rescued, ignored) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (var entry : e.stats().entrySet()) {
                HostStats s = entry.getValue();
                total = total.plus(s);
                if (s.failed() > 0) failedHosts++;
                if (s.unreachable() > 0) unreachableHosts++;
                ps.setString(1, runId);
                ps.setString(2, entry.getKey());
                ps.setInt(3, ++seq);
                ps.setString(4, RunStatus.host(s));
                setStats(ps, 5, s);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, end_ts = ?, host_count = ?, "
                + "failed_hosts = ?, unreachable_hosts = ?, ok = ?, changed = ?, unreachable = ?, failed = ?, "
                + "skipped = ?, rescued = ?, ignored = ? WHERE id = ?")) {
            ps.setString(1, RunStatus.run(e.stats(), e.interrupted()));
            setInstant(ps, 2, e.at());
            ps.setInt(3, e.stats().size());
            ps.setInt(4, failedHosts);
            ps.setInt(5, unreachableHosts);
            setStats(ps, 6, total);
            ps.setString(13, runId);
            ps.executeUpdate();
        }
    }
}
