package dev.fleet.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Brings a database's schema up to a list of {@link Migration}s and tells which versions are applied. */
final class Migrations {
    /** The PostgreSQL advisory lock key held while migrating (any fixed number; "fleet" in ASCII). */
    private static final long MIGRATION_LOCK = 0x666c656574L;

    private Migrations() {}

    /** Applies every pending migration in one transaction; refuses a database newer than the given list. */
    static void apply(Database db, List<Migration> migrations) throws SQLException {
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
                throw new IllegalArgumentException("migrations must be in increasing version order");
            }
        }
        try (Connection c = db.connectForMigration()) {
            migrate(c, migrations, db.sqlite());
        }
    }

    private static void migrate(Connection c, List<Migration> migrations, boolean sqlite) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // PostgreSQL: two sessions running CREATE TABLE IF NOT EXISTS at once both try to create it (the
            // loser fails on pg_type's unique index), so a transaction-scoped advisory lock serialises the
            // whole migration first; the LOCK TABLE keeps out anything that does not take the advisory lock.
            if (!sqlite) s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "description TEXT NOT NULL, applied_ts BIGINT NOT NULL)");
            if (!sqlite) s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
            int current;
            try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                current = rs.next() ? rs.getInt(1) : 0;
            }
            int latest = migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
            if (current > latest) {
                throw new SQLException("the database has schema version " + current + ", newer than this fleet "
                        + "knows (" + latest + "); use a newer fleet");
            }
            try (PreparedStatement mark = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_ts) VALUES (?, ?, ?)")) {
                for (Migration m : migrations) {
                    if (m.version() <= current) continue;
                    for (String sql : m.statements()) s.execute(sql);
                    mark.setInt(1, m.version());
                    mark.setString(2, m.description());
                    mark.setLong(3, System.currentTimeMillis());
                    mark.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The applied schema versions, oldest first. */
    static List<Integer> versions(Connection c) throws SQLException {
        List<Integer> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }
}
