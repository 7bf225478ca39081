package dev.fleet.history;

import static dev.fleet.history.SqlValues.clip;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code audit} table (migration 2): appended to, read newest first, thinned by the retention's max_age. */
final class AuditTable {
    private AuditTable() {}

    static void insert(Connection c, AuditRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit (ts, token, action, run_id, schedule, "
                + "client, status, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, r.at().toEpochMilli());
            ps.setString(2, r.token());
            ps.setString(3, clip(r.action()));
            ps.setString(4, r.runId());
            ps.setString(5, r.schedule());
            ps.setString(6, r.client());
            ps.setInt(7, r.status());
            ps.setString(8, clip(r.outcome()));
            ps.executeUpdate();
        }
    }

    static List<AuditRecord> recent(Connection c, int limit) throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ts, token, action, run_id, schedule, client, status, "
                + "outcome FROM audit ORDER BY ts DESC LIMIT ?")) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditRecord(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8)));
                }
            }
        }
        return out;
    }

    static int deleteBefore(Connection c, long cutoffMillis) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit WHERE ts < ?")) {
            ps.setLong(1, cutoffMillis);
            return ps.executeUpdate();
        }
    }
}
