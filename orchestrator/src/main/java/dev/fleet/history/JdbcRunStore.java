package dev.fleet.history;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A {@link RunStore} over plain JDBC. The SQL is kept to what SQLite and PostgreSQL both accept; SQLite (see
 * {@link SqliteRunStore}) is the default, a {@code jdbc:postgresql:} URL names a shared PostgreSQL database
 * (both tested: JdbcRunStoreTest, PostgresRunStoreTest against a server of its own).
 *
 * <p>All writes go through one writer thread with its own connection: recorders only queue rows, so a run never
 * waits for the disk. Task rows are committed in batches, at most every {@value #COMMIT_INTERVAL_MS} ms or
 * every {@value #BATCH_ROWS} rows, so a 1000-host run costs a few dozen commits, not ten thousand. Reads open a
 * short-lived connection of their own (SQLite in WAL mode lets them run beside the writer).
 */
public class JdbcRunStore implements RunStore {
    /** stdout, stderr and msg are each stored truncated to this many UTF-8 bytes. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;
    static final int BATCH_ROWS = 500;
    static final long COMMIT_INTERVAL_MS = 200;
    private static final int BUSY_TIMEOUT_MS = 10_000;
    /** The PostgreSQL advisory lock key held while migrating (any fixed number; "fleet" in ASCII). */
    private static final long MIGRATION_LOCK = 0x666c656574L;

    private final String url;
    private final boolean sqlite;
    private final String owner;
    private final Connection writer;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Thread writerThread;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> warnings = w -> System.err.println("fleet: WARNING: run history: " + w);
    private volatile boolean closed;

    /** Opens (creating and migrating as needed) the database at a JDBC URL. */
    /** Opens the store a user named: a {@code jdbc:} URL (PostgreSQL), or else a SQLite file path. */
    public static JdbcRunStore open(String db) {
        return db.startsWith("jdbc:") ? new JdbcRunStore(db) : new SqliteRunStore(java.nio.file.Path.of(db));
    }

    public JdbcRunStore(String jdbcUrl) {
        this(jdbcUrl, Migration.ALL, defaultOwner());
    }

    /**
     * @param migrations the schema steps to bring the database to (tests pass their own lists)
     * @param owner      who records runs from this store, {@code host:pid}; {@link #markAbandoned()} only marks
     *                   runs of processes on this host that no longer exist
     */
    public JdbcRunStore(String jdbcUrl, List<Migration> migrations, String owner) {
        this.url = jdbcUrl;
        this.sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
        this.owner = owner;
        try {
            if (sqlite) {
                SqliteNativeLibrary.useCachedCopy();
                try (Connection c = DriverManager.getConnection(url, sqliteProperties(true))) {
                    try (Statement s = c.createStatement()) {
                        s.execute("PRAGMA journal_mode=WAL");
                    }
                    migrate(c, migrations);
                }
            } else {
                try (Connection c = DriverManager.getConnection(url)) {
                    migrate(c, migrations);
                }
            }
            writer = connect();
            writer.setAutoCommit(false);
        } catch (SQLException e) {
            throw new RunStoreException("cannot open " + describe() + ": " + e.getMessage(), e);
        }
        writerThread = Thread.ofPlatform().daemon().name("fleet-history-writer").start(this::writeLoop);
    }

    /** Where warnings about failed writes go (default: standard error). */
    public void onWarning(Consumer<String> sink) {
        this.warnings = sink;
    }

    public String describe() {
        return sqlite ? url.substring("jdbc:sqlite:".length()) : url.replaceAll("password=[^&]*", "password=***");
    }

    // ---------------------------------------------------------------------------------------------- connections

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

    private Connection connect() throws SQLException {
        return sqlite ? DriverManager.getConnection(url, sqliteProperties(false)) : DriverManager.getConnection(url);
    }

    // ----------------------------------------------------------------------------------------------- migrations

    /** Applies every pending migration in one transaction; refuses a database newer than the given list. */
    private void migrate(Connection c, List<Migration> migrations) throws SQLException {
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
                throw new IllegalArgumentException("migrations must be in increasing version order");
            }
        }
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
    public List<Integer> schemaVersions() {
        return read(c -> {
            List<Integer> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
                while (rs.next()) out.add(rs.getInt(1));
            }
            return out;
        });
    }

    // --------------------------------------------------------------------------------------------- writer thread

    private sealed interface Op {}

    private record Row(String runId, String host, int seq, TaskResult result) implements Op {}

    private record Job(SqlWork<Object> work, CompletableFuture<Object> done) implements Op {}

    private record Stop() implements Op {}

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private void writeLoop() {
        List<Row> batch = new ArrayList<>();
        long lastCommit = 0;
        while (true) {
            Op op;
            try {
                if (batch.isEmpty()) {
                    op = queue.take();
                } else {
                    long wait = lastCommit + COMMIT_INTERVAL_MS - System.currentTimeMillis();
                    op = queue.poll(Math.max(0, wait), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                op = new Stop();
            }
            if (op == null) {
                flush(batch);
                lastCommit = System.currentTimeMillis();
                continue;
            }
            switch (op) {
                case Row r -> {
                    batch.add(r);
                    if (batch.size() >= BATCH_ROWS || System.currentTimeMillis() - lastCommit >= COMMIT_INTERVAL_MS) {
                        flush(batch);
                        lastCommit = System.currentTimeMillis();
                    }
                }
                case Job j -> {
                    // Rows queued before the job are committed first: a run's final write follows its tasks.
                    flush(batch);
                    try {
                        Object v = j.work().run(writer);
                        writer.commit();
                        j.done().complete(v);
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly();
                        j.done().completeExceptionally(e);
                    }
                }
                case Stop s -> {
                    flush(batch);
                    for (Op late; (late = queue.poll()) != null; ) {
                        if (late instanceof Job j) j.done().completeExceptionally(new RunStoreException("the run store is closed"));
                    }
                    return;
                }
            }
        }
    }

    private void flush(List<Row> batch) {
        if (batch.isEmpty()) return;
        try (PreparedStatement ps = writer.prepareStatement("INSERT INTO task_results (run_id, host, seq, play, "
                + "task, module, source, status, ignored, rc, msg, stdout, stderr, start_ts, end_ts) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Row row : batch) {
                TaskResult r = row.result();
                ps.setString(1, row.runId());
                ps.setString(2, row.host());
                ps.setInt(3, row.seq());
                ps.setString(4, clip(r.play()));
                ps.setString(5, clip(r.task()));
                ps.setString(6, clip(r.module()));
                ps.setString(7, clip(r.source()));
                ps.setString(8, r.status().label());
                ps.setInt(9, r.ignored() ? 1 : 0);
                if (r.outcome().rc() == null) ps.setNull(10, Types.INTEGER);
                else ps.setInt(10, r.outcome().rc());
                ps.setString(11, clip(r.outcome().msg()));
                ps.setString(12, clip(r.outcome().stdout()));
                ps.setString(13, clip(r.outcome().stderr()));
                setInstant(ps, 14, r.start());
                setInstant(ps, 15, r.end());
                ps.addBatch();
            }
            ps.executeBatch();
            writer.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            batch.stream().map(Row::runId).distinct().forEach(id -> failed(id, "task results lost: " + e.getMessage()));
        }
        batch.clear();
    }

    private final Map<String, String> failures = new ConcurrentHashMap<>();

    private void failed(String runId, String why) {
        if (failures.putIfAbsent(runId, why) == null) warnings.accept("run " + runId + ": " + why);
    }

    private void rollbackQuietly() {
        try {
            writer.rollback();
        } catch (SQLException ignored) {
            // the connection is unusable; the next write reports it
        }
    }

    /** Runs {@code work} on the writer thread in a transaction of its own; completes once committed. */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (closed) done.completeExceptionally(new RunStoreException("the run store is closed"));
        else queue.add(new Job(work::run, done));
        return (CompletableFuture<T>) (CompletableFuture<?>) done;
    }

    private <T> T write(SqlWork<T> work) {
        try {
            return submit(work).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RunStoreException rse) throw rse;
            throw new RunStoreException(describe() + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoreException("interrupted", e);
        } catch (TimeoutException e) {
            throw new RunStoreException(describe() + ": timed out waiting for the database", e);
        }
    }

    private <T> T read(SqlWork<T> work) {
        try (Connection c = connect()) {
            // one transaction: a consistent snapshot across the statements of one read
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

    // ------------------------------------------------------------------------------------------------ recording

    @Override
    public Recorder recorder(String runId, RunMeta meta) {
        Instant now = Instant.now();
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (id, playbook, inventory, limit_pattern, "
                    + "\"trigger\", check_mode, status, owner, start_ts) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?)")) {
                ps.setString(1, runId);
                ps.setString(2, clip(meta.playbook()));
                ps.setString(3, clip(meta.inventory()));
                ps.setString(4, clip(meta.limit()));
                ps.setString(5, clip(meta.trigger()));
                ps.setInt(6, meta.check() ? 1 : 0);
                ps.setString(7, owner);
                setInstant(ps, 8, now);
                ps.executeUpdate();
            }
            return null;
        });
        active.add(runId);
        return new Recorder(runId);
    }

    /**
     * Records one run. {@link #accept} only queues work for the writer thread; {@link #close} waits until the
     * final write is committed. A write that fails is reported once (see {@link #onWarning}) and never thrown
     * into the run.
     */
    public final class Recorder implements RunSink {
        private final String runId;
        private final Map<String, Integer> seqs = new HashMap<>();
        private CompletableFuture<?> finish;

        private Recorder(String runId) {
            this.runId = runId;
        }

        public String runId() {
            return runId;
        }

        /** Why recording this run failed, if it did. */
        public Optional<String> failure() {
            return Optional.ofNullable(failures.get(runId));
        }

        @Override
        public void accept(RunEvent event) {
            if (closed) return;
            switch (event) {
                case RunEvent.RunStarted e -> {
                    int hosts = e.hosts().size();
                    watch(submit(c -> {
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
                    queue.add(new Row(runId, host, seq, e.result()));
                }
                case RunEvent.RunFinished e -> finish = watch(submit(c -> {
                    finishRun(c, runId, e);
                    return null;
                }));
                case RunEvent.PlayStarted e -> { }
                case RunEvent.TaskStarted e -> { }
                case RunEvent.PlayFinished e -> { }
            }
        }

        private CompletableFuture<?> watch(CompletableFuture<?> f) {
            return f.whenComplete((v, ex) -> {
                if (ex != null) failed(runId, ex.getMessage());
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
                failed(runId, "timed out writing the end of the run");
            } finally {
                active.remove(runId);
            }
        }
    }

    private static void finishRun(Connection c, String runId, RunEvent.RunFinished e) throws SQLException {
        HostStats total = HostStats.EMPTY;
        int failedHosts = 0;
        int unreachableHosts = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO host_results (run_id, host, seq, status, ok, "
                + "changed, unreachable, failed, skipped, rescued, ignored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int seq = 0;
            for (var entry : e.stats().entrySet()) {
                HostStats s = entry.getValue();
                total = total.plus(s);
                if (s.failed() > 0) failedHosts++;
                if (s.unreachable() > 0) unreachableHosts++;
                ps.setString(1, runId);
                ps.setString(2, entry.getKey());
                ps.setInt(3, ++seq);
                ps.setString(4, hostStatus(s));
                setStats(ps, 5, s);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, end_ts = ?, host_count = ?, "
                + "failed_hosts = ?, unreachable_hosts = ?, ok = ?, changed = ?, unreachable = ?, failed = ?, "
                + "skipped = ?, rescued = ?, ignored = ? WHERE id = ?")) {
            ps.setString(1, runStatus(e.stats(), e.interrupted()));
            setInstant(ps, 2, e.at());
            ps.setInt(3, e.stats().size());
            ps.setInt(4, failedHosts);
            ps.setInt(5, unreachableHosts);
            setStats(ps, 6, total);
            ps.setString(13, runId);
            ps.executeUpdate();
        }
    }

    /** One word per host, as in the JSON report: unreachable beats failed beats changed beats ok. */
    public static String hostStatus(HostStats s) {
        if (s.unreachable() > 0) return "unreachable";
        if (s.failed() > 0) return "failed";
        if (s.changed() > 0) return "changed";
        return "ok";
    }

    /**
     * One word per run: interrupted, else failed (any host with a failed task), else unreachable, else changed,
     * else ok. Failed beats unreachable at run level, as in the exit code (2 before 3).
     */
    public static String runStatus(Map<String, HostStats> stats, boolean interrupted) {
        if (interrupted) return "interrupted";
        if (stats.values().stream().anyMatch(s -> s.failed() > 0)) return "failed";
        if (stats.values().stream().anyMatch(s -> s.unreachable() > 0)) return "unreachable";
        if (stats.values().stream().anyMatch(s -> s.changed() > 0)) return "changed";
        return "ok";
    }

    // --------------------------------------------------------------------------------------------------- reading

    private static final String SUMMARY_COLUMNS = "id, playbook, inventory, limit_pattern, \"trigger\", check_mode, "
            + "status, start_ts, end_ts, host_count, failed_hosts, unreachable_hosts, ok, changed, unreachable, "
            + "failed, skipped, rescued, ignored";

    @Override
    public List<RunSummary> recent(int limit, int offset) {
        return read(c -> {
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

    /** Ids starting with {@code prefix}, at most {@code max} of them, in id order. */
    public List<String> idsStartingWith(String prefix, int max) {
        String pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return read(c -> {
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

    @Override
    public Optional<StoredRun> find(String runId) {
        return read(c -> {
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
            Map<String, StoredRun.HostRecord> hosts = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host, status, ok, changed, unreachable, failed, "
                    + "skipped, rescued, ignored FROM host_results WHERE run_id = ? ORDER BY seq")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        HostStats s = new HostStats(rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6),
                                rs.getInt(7), rs.getInt(8), rs.getInt(9));
                        hosts.put(rs.getString(1), new StoredRun.HostRecord(rs.getString(2), s,
                                List.copyOf(tasks.getOrDefault(rs.getString(1), List.of()))));
                    }
                }
            }
            // A run still going (or abandoned) has no host rows yet: its hosts as far as its task rows tell.
            for (var e : derived.entrySet()) {
                hosts.computeIfAbsent(e.getKey(), h -> new StoredRun.HostRecord(hostStatus(e.getValue()),
                        e.getValue(), List.copyOf(tasks.get(h))));
            }
            return Optional.of(new StoredRun(summary, hosts));
        });
    }

    private static RunSummary summary(ResultSet rs) throws SQLException {
        RunMeta meta = new RunMeta(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getInt(6) != 0);
        HostStats totals = new HostStats(rs.getInt(13), rs.getInt(14), rs.getInt(15), rs.getInt(16), rs.getInt(17),
                rs.getInt(18), rs.getInt(19));
        return new RunSummary(rs.getString(1), meta, rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getInt(10),
                rs.getInt(11), rs.getInt(12), totals);
    }

    // ----------------------------------------------------------------------------------------------- maintenance

    @Override
    public int applyRetention(Retention retention) {
        if (retention.maxRuns() == null && retention.maxAge() == null) return 0;
        // Which runs go is decided by a read; the delete then re-checks that none is running.
        List<String> doomed = read(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, start_ts, status FROM runs ORDER BY start_ts DESC, id DESC")) {
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
        return write(c -> {
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

    /**
     * Marks as interrupted the runs still "running" whose recording process is gone: runs recorded on this host
     * by a process that no longer exists, and runs without an owner. Runs of live processes, and of processes on
     * other hosts (a shared PostgreSQL database), are left alone.
     */
    @Override
    public List<String> markAbandoned() {
        Map<String, String> running = read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, owner FROM runs WHERE status = 'running' ORDER BY id")) {
                while (rs.next()) out.put(rs.getString(1), rs.getString(2));
            }
            return out;
        });
        List<String> abandoned = new ArrayList<>();
        running.forEach((id, who) -> {
            if (!active.contains(id) && ownerGone(who)) abandoned.add(id);
        });
        if (abandoned.isEmpty()) return List.of();
        return write(c -> {
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

    private static boolean ownerGone(String who) {
        if (who == null) return true;
        int colon = who.lastIndexOf(':');
        if (colon < 0) return true;
        if (!who.substring(0, colon).equals(hostName())) return false;
        try {
            return ProcessHandle.of(Long.parseLong(who.substring(colon + 1))).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /** {@code host:pid} of this process. */
    public static String defaultOwner() {
        return hostName() + ":" + ProcessHandle.current().pid();
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (Exception e) {
            return "localhost";
        }
    }

    /** Waits for queued writes to be committed, then closes the database. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        queue.add(new Stop());
        try {
            writerThread.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            writer.close();
        } catch (SQLException ignored) {
            // nothing left to save
        }
    }

    // ---------------------------------------------------------------------------------------------------- values

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

    private static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) ps.setNull(i, Types.BIGINT);
        else ps.setLong(i, t.toEpochMilli());
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setStats(PreparedStatement ps, int from, HostStats s) throws SQLException {
        ps.setInt(from, s.ok());
        ps.setInt(from + 1, s.changed());
        ps.setInt(from + 2, s.unreachable());
        ps.setInt(from + 3, s.failed());
        ps.setInt(from + 4, s.skipped());
        ps.setInt(from + 5, s.rescued());
        ps.setInt(from + 6, s.ignored());
    }
}
