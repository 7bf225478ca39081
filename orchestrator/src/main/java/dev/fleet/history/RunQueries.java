package dev.fleet.history;

import static dev.fleet.history.SqlValues.instant;
import static dev.fleet.history.SqlValues.stats;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run store's reads: run lists, id lookups, one run in full. Each runs in a read transaction of its own. */
final class RunQueries {
    private static final String SUMMARY_COLUMNS = "id, playbook, inventory, limit_pattern, \"trigger\", check_mode, "
            + "status, start_ts, end_ts, host_count, failed_hosts, unreachable_hosts, ok, changed, unreachable, "
            + "failed, skipped, rescued, ignored, run_args";
    /** A host's one word from its task rows, for runs without host rows yet (as {@link RunStatus#host}). */
    private static final String STATUS_FROM_TASKS = "CASE "
            + "WHEN SUM(CASE WHEN status = 'unreachable' THEN 1 ELSE 0 END) > 0 THEN 'unreachable' "
            + "WHEN SUM(CASE WHEN status = 'failed' AND ignored = 0 THEN 1 ELSE 0 END) > 0 THEN 'failed' "
            + "WHEN SUM(CASE WHEN status = 'changed' THEN 1 ELSE 0 END) > 0 THEN 'changed' ELSE 'ok' END";
    private static final String LATEST_OF_TRIGGER =
            "SELECT id FROM runs WHERE \"trigger\" = ? ORDER BY start_ts DESC, id DESC LIMIT ?";

    private final Database db;

    RunQueries(Database db) {
        this.db = db;
    }

    List<RunSummary> recent(int limit, int offset) {
        return db.read(c -> {
            List<RunSummary> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS
                    + " FROM runs ORDER BY start_ts DESC, id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, Math.max(0, limit));
                ps.setInt(2, Math.max(0, offset));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(summary(rs));
                }
            }
            return out;
        });
    }

    /**
     * Two queries, however many runs: the trigger's latest runs, then every host's status in all of them at once:
     * a finished run's host rows, else (a run still going, or abandoned) what its task rows add up to, as
     * {@link #find} derives it. Both read one snapshot, so they agree on which runs are the latest.
     */
    TriggerOutcomes outcomes(String trigger, int limit) {
        int n = Math.max(0, limit);
        return db.read(c -> {
            List<RunSummary> runs = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM runs WHERE id IN ("
                    + LATEST_OF_TRIGGER + ") ORDER BY start_ts DESC, id DESC")) {
                ps.setString(1, trigger);
                ps.setInt(2, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) runs.add(summary(rs));
                }
            }
            Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
            for (RunSummary r : runs) hosts.put(r.id(), new LinkedHashMap<>());
            if (runs.isEmpty()) return new TriggerOutcomes(runs, hosts);
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, host, status FROM host_results "
                    + "WHERE run_id IN (" + LATEST_OF_TRIGGER + ") UNION ALL "
                    + "SELECT run_id, host, " + STATUS_FROM_TASKS + " FROM task_results t "
                    + "WHERE run_id IN (" + LATEST_OF_TRIGGER + ") "
                    + "AND NOT EXISTS (SELECT 1 FROM host_results h WHERE h.run_id = t.run_id) "
                    + "GROUP BY run_id, host")) {
                ps.setString(1, trigger);
                ps.setInt(2, n);
                ps.setString(3, trigger);
                ps.setInt(4, n);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, String> run = hosts.get(rs.getString(1));
                        if (run != null) run.put(rs.getString(2), rs.getString(3));
                    }
                }
            }
            return new TriggerOutcomes(runs, hosts);
        });
    }

    List<String> idsStartingWith(String prefix, int max) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?")) {
                ps.setString(1, pattern);
                ps.setInt(2, max);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1).startsWith(prefix)) out.add(rs.getString(1)); // LIKE ignores case
                    }
                }
            }
            return out;
        });
    }

    Optional<StoredRun> find(String runId) {
        return db.read(c -> {
            RunSummary summary;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + SUMMARY_COLUMNS + " FROM runs WHERE id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    summary = summary(rs);
                }
            }
            Map<String, List<StoredRun.TaskRecord>> tasks = new LinkedHashMap<>();
            Map<String, HostStats> derived = new LinkedHashMap<>();
            readTasks(c, runId, tasks, derived);
            Map<String, StoredRun.HostRecord> hosts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host, status, ok, changed, unreachable, failed, "
                    + "skipped, rescued, ignored FROM host_results WHERE run_id = ? ORDER BY seq")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        hosts.put(rs.getString(1), new StoredRun.HostRecord(rs.getString(2), stats(rs, 3),
                                List.copyOf(tasks.getOrDefault(rs.getString(1), List.of()))));
                    }
                }
            }
            // A run still going (or abandoned) has no host rows yet: its hosts as far as its task rows tell.
            for (var e : derived.entrySet()) {
                hosts.computeIfAbsent(e.getKey(), h -> new StoredRun.HostRecord(RunStatus.host(e.getValue()),
                        e.getValue(), List.copyOf(tasks.get(h))));
            }
            return Optional.of(new StoredRun(summary, hosts));
        });
    }

    /** Fills {@code tasks} with the run's task rows per host, and {@code derived} with the stats they add up to. */
    private static void readTasks(Connection c, String runId, Map<String, List<StoredRun.TaskRecord>> tasks,
                                  Map<String, HostStats> derived) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT host, play, task, module, source, status, "
                + "ignored, rc, msg, stdout, stderr, start_ts, end_ts FROM task_results WHERE run_id = ? "
                + "ORDER BY host, seq")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String host = rs.getString(1);
                    String status = rs.getString(6);
                    boolean ignored = rs.getInt(7) != 0;
                    Integer rc = rs.getObject(8) == null ? null : rs.getInt(8);
                    tasks.computeIfAbsent(host, h -> new ArrayList<>()).add(new StoredRun.TaskRecord(
                            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            ignored ? "ignored" : status, rc, rs.getString(9), rs.getString(10),
                            rs.getString(11), instant(rs, 12), instant(rs, 13)));
                    derived.merge(host, HostStats.EMPTY.plus(TaskStatus.valueOf(status.toUpperCase()), ignored),
                            HostStats::plus);
                }
            }
        }
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        RunMeta meta = new RunMeta(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6) != 0, RunArgs.fromJson(rs.getString(20)));
        return new RunSummary(rs.getString(1), meta, rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getInt(10),
                rs.getInt(11), rs.getInt(12), stats(rs, 13));
    }

    List<Integer> schemaVersions() {
        return db.read(Migrations::versions);
    }

    List<AuditRecord> auditTrail(int limit) {
        return db.read(c -> AuditTable.recent(c, limit));
    }
}
