package dev.fleet.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Where the run store's connections come from: one JDBC URL, SQLite ({@code jdbc:sqlite:}) or PostgreSQL, and the
 * per-connection settings SQLite needs. Reads run here on a short-lived connection of their own; writes go through
 * {@link WriteQueue}.
 */
final class Database {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final String url;
    private final boolean sqlite;

    Database(String url) {
        this.url = url;
        this.sqlite = url.startsWith("jdbc:sqlite:");
    }

    boolean sqlite() {
        return sqlite;
    }

    /** The database for messages: a SQLite file path, or the URL with any password masked. */
    String describe() {
        return sqlite ? url.substring("jdbc:sqlite:".length()) : url.replaceAll("password=[^&]*", "password=***");
    }

    /** A connection for reads and for the writer thread. */
    Connection connect() throws SQLException {
        return sqlite ? DriverManager.getConnection(url, sqliteProperties(false)) : DriverManager.getConnection(url);
    }

    /** A connection for the schema migration; for SQLite it also switches the file to WAL journalling. */
    Connection connectForMigration() throws SQLException {
        if (!sqlite) return DriverManager.getConnection(url);
        SqliteNativeLibrary.useCachedCopy();
        Connection c = DriverManager.getConnection(url, sqliteProperties(true));
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static Properties sqliteProperties(boolean immediate) {
        Properties p = new Properties();
        p.setProperty("foreign_keys", "true");
        p.setProperty("busy_timeout", String.valueOf(BUSY_TIMEOUT_MS));
        p.setProperty("synchronous", "NORMAL");
        // BEGIN IMMEDIATE: a migration takes the write lock before it reads the schema version, so two
        // processes opening a fresh database at once do not both migrate it. Only for short-lived connections.
        if (immediate) p.setProperty("transaction_mode", "IMMEDIATE");
        return p;
    }

    /** Runs {@code work} in one read-only transaction, so its statements see one consistent snapshot. */
    <T> T read(SqlWork<T> work) {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            try {
                return work.run(c);
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new RunStoreException(describe() + ": " + e.getMessage(), e);
        }
    }
}
