package dev.fleet.history;

import dev.fleet.result.HostStats;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** How values map to columns: texts clipped, instants as epoch milliseconds, stats as seven integer columns. */
final class SqlValues {
    /** stdout, stderr and msg are each stored truncated to this many UTF-8 bytes. */
    static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private SqlValues() {}

    /** At most {@link #MAX_OUTPUT_BYTES} UTF-8 bytes, cut on a character boundary; NULs dropped (PostgreSQL). */
    static String clip(String s) {
        if (s == null) return null;
        if (s.indexOf('\0') >= 0) s = s.replace("\0", "");
        if (s.length() <= MAX_OUTPUT_BYTES / 3) return s;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_OUTPUT_BYTES) return s;
        String marker = "\n[fleet: truncated, " + b.length + " bytes in all]";
        int cut = MAX_OUTPUT_BYTES - marker.length();
        while (cut > 0 && (b[cut] & 0xC0) == 0x80) cut--;
        return new String(b, 0, cut, StandardCharsets.UTF_8) + marker;
    }

    static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    /** ok, changed, unreachable, failed, skipped, rescued, ignored: the column order of runs and host_results. */
    static void setStats(PreparedStatement ps, int from, HostStats s) throws SQLException {
        ps.setInt(from, s.ok());
        ps.setInt(from + 1, s.changed());
        ps.setInt(from + 2, s.unreachable());
        ps.setInt(from + 3, s.failed());
        ps.setInt(from + 4, s.skipped());
        ps.setInt(from + 5, s.rescued());
        ps.setInt(from + 6, s.ignored());
    }

    static HostStats stats(ResultSet rs, int from) throws SQLException {
        return new HostStats(rs.getInt(from), rs.getInt(from + 1), rs.getInt(from + 2), rs.getInt(from + 3),
                rs.getInt(from + 4), rs.getInt(from + 5), rs.getInt(from + 6));
    }
}
