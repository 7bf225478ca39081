package dev.fleet.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link RunStore} over plain JDBC. The SQL is kept to what SQLite and PostgreSQL both accept; SQLite (see
 * {@link SqliteRunStore}) is the default, a {@code jdbc:postgresql:} URL names a shared PostgreSQL database
 * (both tested: JdbcRunStoreTest, PostgresRunStoreTest against a server of its own).
 *
 * <p>This class only wires the parts: {@link Migrations} bring the schema up to date on open, all writes go
 * through the {@link WriteQueue}'s single writer thread (a run never waits for the disk), {@link RunRecorder}
 * turns a run's events into rows, {@link RunQueries} reads on short-lived connections of their own (SQLite in WAL
 * mode lets them run beside the writer), {@link Housekeeping} applies retention and marks abandoned runs.
 */
public class JdbcRunStore implements RunStore {
    private final Database db;
    private final String owner;
    private final WriteQueue writes;
    private final RunQueries queries;
    private final Housekeeping housekeeping;
    /** Runs this store is recording now: never marked abandoned, whatever their owner looks like. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();

    /** Opens the store a user named: a {@code jdbc:} URL (PostgreSQL), or else a SQLite file path. */
    public static JdbcRunStore open(String db) {
        return db.startsWith("jdbc:") ? new JdbcRunStore(db) : new SqliteRunStore(Path.of(db));
    }

    /** Opens (creating and migrating as needed) the database at a JDBC URL. */
    public JdbcRunStore(String jdbcUrl) {
        this(jdbcUrl, Migration.ALL, RunOwner.current());
    }

    /**
     * @param migrations the schema steps to bring the database to (tests pass their own lists)
     * @param owner      who records runs from this store, {@code host:pid}; {@link #markAbandoned()} only marks
     *                   runs of processes on this host that no longer exist
     */
    public JdbcRunStore(String jdbcUrl, List<Migration> migrations, String owner) {
        this.db = new Database(jdbcUrl);
        this.owner = owner;
        Connection writer;
        try {
            Migrations.apply(db, migrations);
            writer = db.connect();
            writer.setAutoCommit(false);
        } catch (SQLException e) {
            throw new RunStoreException("cannot open " + describe() + ": " + e.getMessage(), e);
        }
        this.writes = new WriteQueue(writer, () -> {
            Connection c = db.connect();
            c.setAutoCommit(false);
            return c;
        }, describe());
        this.queries = new RunQueries(db);
        this.housekeeping = new Housekeeping(db, writes, active);
    }

    /** Where warnings about failed writes go (default: standard error). */
    @Override
    public void onWarning(Consumer<String> sink) {
        writes.onWarning(sink);
    }

    @Override
    public Optional<String> recordingFailure(String runId) {
        return writes.failure(runId);
    }

    public String describe() {
        return db.describe();
    }

    /** The applied schema versions, oldest first. */
    public List<Integer> schemaVersions() {
        return queries.schemaVersions();
    }

    @Override
    public RunRecorder recorder(String runId, RunMeta meta) {
        return RunRecorder.start(writes, active, owner, runId, meta);
    }

    @Override
    public List<RunSummary> recent(int limit, int offset) {
        return queries.recent(limit, offset);
    }

    @Override
    public void audit(AuditRecord record) {
        writes.submit(c -> {
            AuditTable.insert(c, record);
            return null;
        }).exceptionally(e -> {
            writes.warn("audit record lost (" + record.action() + " by " + record.token() + "): " + e.getMessage());
            return null;
        });
    }

    @Override
    public List<AuditRecord> auditTrail(int limit) {
        return queries.auditTrail(limit);
    }

    /** Ids starting with {@code prefix}, at most {@code max} of them, in id order. */
    public List<String> idsStartingWith(String prefix, int max) {
        return queries.idsStartingWith(prefix, max);
    }

    @Override
    public Optional<StoredRun> find(String runId) {
        return queries.find(runId);
    }

    @Override
    public TriggerOutcomes outcomes(String trigger, int limit) {
        return queries.outcomes(trigger, limit);
    }

    /** Which runs go is decided by a read; the delete then re-checks that none is running. */
    @Override
    public int applyRetention(Retention retention) {
        return housekeeping.applyRetention(retention);
    }

    /**
     * Marks as interrupted the runs still "running" whose recording process is gone: runs recorded on this host
     * by a process that no longer exists, and runs without an owner. Runs of live processes, and of processes on
     * other hosts (a shared PostgreSQL database), are left alone.
     */
    @Override
    public List<String> markAbandoned() {
        return housekeeping.markAbandoned();
    }

    /** Waits for queued writes to be committed, then closes the database. */
    @Override
    public void close() {
        writes.close();
    }
}
