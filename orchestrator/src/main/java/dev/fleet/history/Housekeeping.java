package dev.fleet.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deletes runs beyond the {@link Retention} policy and marks runs left "running" by a dead process interrupted.
 * Each decides by a read and then writes through the {@link WriteQueue}, re-checking the status in the write so a
 * run that changed meanwhile is left alone.
 */
final class Housekeeping {
    private final Database db;
    private final WriteQueue writes;
    private final Set<String> active;

    /** @param active ids of the runs this store is recording now; never marked abandoned */
    Housekeeping(Database db, WriteQueue writes, Set<String> active) {
        this.db = db;
        this.writes = writes;
        this.active = active;
    }

    /** Deletes the runs beyond the policy, and the audit lines older than its {@code max_age}. */
    int applyRetention(Retention retention) {
        if (retention.maxRuns() == null && retention.maxAge() == null) return 0;
        if (retention.maxAge() != null) {
            long cutoff = System.currentTimeMillis() - retention.maxAge().toMillis();
            writes.write(c -> AuditTable.deleteBefore(c, cutoff));
        }
        List<String> doomed = db.read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery(
                         "SELECT id, start_ts, status FROM runs ORDER BY start_ts DESC, id DESC")) {
                long cutoff = retention.maxAge() == null ? Long.MIN_VALUE
                        : System.currentTimeMillis() - retention.maxAge().toMillis();
                int kept = 0;
                while (rs.next()) {
                    if ("running".equals(rs.getString(3))) continue; // never delete a run in progress
                    boolean tooMany = retention.maxRuns() != null && kept >= retention.maxRuns();
                    boolean tooOld = rs.getLong(2) < cutoff;
                    if (tooMany || tooOld) out.add(rs.getString(1));
                    else kept++;
                }
            }
            return out;
        });
        if (doomed.isEmpty()) return 0;
        return writes.write(c -> {
            int deleted = 0;
            try (PreparedStatement tasks = c.prepareStatement("DELETE FROM task_results WHERE run_id = ?");
                 PreparedStatement hosts = c.prepareStatement("DELETE FROM host_results WHERE run_id = ?");
                 PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE id = ? AND status <> 'running'")) {
                for (String id : doomed) {
                    runs.setString(1, id);
                    int n = runs.executeUpdate();
                    if (n == 0) continue;
                    deleted += n;
                    // ON DELETE CASCADE does this where foreign keys are enforced; explicit for any other setup
                    tasks.setString(1, id);
                    tasks.executeUpdate();
                    hosts.setString(1, id);
                    hosts.executeUpdate();
                }
            }
            return deleted;
        });
    }

    /** See {@link JdbcRunStore#markAbandoned()}. */
    List<String> markAbandoned() {
        Map<String, String> running = db.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, owner FROM runs WHERE status = 'running' ORDER BY id")) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
        List<String> abandoned = new ArrayList<>();
        running.forEach((id, who) -> {
            if (!active.contains(id) && RunOwner.isGone(who)) abandoned.add(id);
        });
        if (abandoned.isEmpty()) return List.of();
        return writes.write(c -> {
            List<String> marked = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'running'")) {
                for (String id : abandoned) {
                    ps.setString(1, id);
                    if (ps.executeUpdate() > 0) marked.add(id);
                }
            }
            return marked;
        });
    }
}
