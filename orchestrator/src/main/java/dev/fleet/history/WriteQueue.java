package dev.fleet.history;

import static dev.fleet.history.SqlValues.clip;
import static dev.fleet.history.SqlValues.setInstant;

import dev.fleet.result.TaskResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Every write of the run store, on one writer thread with its own connection: recorders only queue work, so a run
 * never waits for the disk. Task rows are committed in batches, at most every {@value #COMMIT_INTERVAL_MS} ms or
 * every {@value #BATCH_ROWS} rows, so a 1000-host run costs a few dozen commits, not ten thousand.
 *
 * <p>A write that fails (disk full, database locked or read-only) is reported once per run (to {@link #onWarning})
 * and remembered ({@link #failure}); task rows are never thrown back into the run that produced them. Once a run's
 * write failed, its further task rows are counted and dropped instead of queued: each would wait out the busy
 * timeout again, and a run with thousands of them would pile up in memory. The run's final write is still tried.
 */
final class WriteQueue {
    static final int BATCH_ROWS = 500;
    static final long COMMIT_INTERVAL_MS = 200;

    private sealed interface Op {}

    private record Row(String runId, String host, int seq, TaskResult result) implements Op {}

    private record Job(SqlWork<Object> work, CompletableFuture<Object> done) implements Op {}

    private record Stop() implements Op {}

    /** Why recording a run failed, and how many of its task rows were lost since. */
    private record Failure(String why, AtomicInteger lostRows, AtomicBoolean endLost) {}

    /** How the writer thread gets a connection in manual-commit mode; again after a failed write. */
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    /** Only the writer thread touches it (and {@link #close} once that thread ended); null after a failure. */
    private Connection writer;
    private final String description;
    private final BlockingQueue<Op> queue = new LinkedBlockingQueue<>();
    private final Map<String, Failure> failures = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile Consumer<String> warnings = w -> System.err.println("fleet: WARNING: run history: " + w);
    private volatile boolean closed;

    /**
     * @param writer      a connection of its own, in manual-commit mode; closed by {@link #close}
     * @param connector   opens a new one after a failed write (see {@link #discardWriter})
     * @param description the database, for messages
     */
    WriteQueue(Connection writer, Connector connector, String description) {
        this.writer = writer;
        this.connector = connector;
        this.description = description;
        this.thread = Thread.ofPlatform().daemon().name("fleet-history-writer").start(this::loop);
    }

    void onWarning(Consumer<String> sink) {
        this.warnings = sink;
    }

    boolean closed() {
        return closed;
    }

    /** Queues one task result row; it is committed with the next batch. */
    void addRow(String runId, String host, int seq, TaskResult result) {
        Failure f = failures.get(runId);
        if (f != null) f.lostRows().incrementAndGet();
        else queue.add(new Row(runId, host, seq, result));
    }

    /** Runs {@code work} on the writer thread in a transaction of its own; completes once committed. */
    @SuppressWarnings("unchecked")
    <T> CompletableFuture<T> submit(SqlWork<T> work) {
        CompletableFuture<Object> done = new CompletableFuture<>();
        if (closed) done.completeExceptionally(new RunStoreException("the run store is closed"));
        else queue.add(new Job(work::run, done));
        return (CompletableFuture<T>) (CompletableFuture<?>) done;
    }

    /** {@link #submit}, waiting (up to a minute) for the commit. */
    <T> T write(SqlWork<T> work) {
        try {
            return submit(work).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RunStoreException rse) throw rse;
            throw new RunStoreException(description + ": " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoreException("interrupted", e);
        } catch (TimeoutException e) {
            throw new RunStoreException(description + ": timed out waiting for the database", e);
        }
    }

    /** Records that writing a run failed; only the first failure of a run is reported. */
    void failed(String runId, String why) {
        failed(runId, why, 0);
    }

    /** Reports a failed write that belongs to no run. */
    void warn(String why) {
        warnings.accept(why);
    }

    /** Records that the run's final write failed: the run stays "running" until a restart marks it interrupted. */
    void endFailed(String runId, String why) {
        failed(runId, why, 0);
        failures.get(runId).endLost().set(true);
    }

    private void failed(String runId, String why, int lostRows) {
        Failure f = new Failure(why, new AtomicInteger(lostRows), new AtomicBoolean());
        Failure first = failures.putIfAbsent(runId, f);
        if (first != null) {
            first.lostRows().addAndGet(lostRows);
        } else {
            warnings.accept("run " + runId + " is not recorded in " + description + " from here on: " + why
                    + "; the run goes on");
        }
    }

    /** Why this run is not fully recorded, with the number of task results lost; empty when it all was. */
    Optional<String> failure(String runId) {
        Failure f = failures.get(runId);
        if (f == null) return Optional.empty();
        int lost = f.lostRows().get();
        return Optional.of(f.why() + (lost > 0 ? "; " + lost + " task result(s) not recorded" : "")
                + (f.endLost().get() ? "; the run's end not recorded (it shows as interrupted after a restart)" : ""));
    }

    /** Commits what is queued, stops the writer thread and closes its connection; later work fails. */
    void close() {
        if (closed) return;
        closed = true;
        queue.add(new Stop());
        try {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (writer != null) writer.close();
        } catch (SQLException ignored) {
            // nothing left to save
        }
    }

    private void loop() {
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
                        Object v = j.work().run(writer());
                        writer.commit();
                        j.done().complete(v);
                    } catch (SQLException | RuntimeException e) {
                        discardWriter();
                        j.done().completeExceptionally(e);
                    }
                }
                case Stop s -> {
                    flush(batch);
                    for (Op late; (late = queue.poll()) != null; ) {
                        if (late instanceof Job j) {
                            j.done().completeExceptionally(new RunStoreException("the run store is closed"));
                        }
                    }
                    return;
                }
            }
        }
    }

    private void flush(List<Row> batch) {
        if (batch.isEmpty()) return;
        try (PreparedStatement ps = writer().prepareStatement("INSERT INTO task_results (run_id, host, seq, play, "
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
            discardWriter();
            Map<String, Integer> lost = new java.util.LinkedHashMap<>();
            for (Row row : batch) lost.merge(row.runId(), 1, Integer::sum);
            lost.forEach((id, n) -> failed(id, "writing task results failed: " + e.getMessage(), n));
        }
        batch.clear();
    }

    private Connection writer() throws SQLException {
        if (writer == null) writer = connector.open();
        return writer;
    }

    /**
     * After a failed write the connection is dropped and the next write opens a new one. SQLite rolls a
     * transaction back by itself on some errors (disk full); the driver then no longer knows whether a transaction
     * is open, and every later commit on that connection failed ("cannot commit - no transaction is active"), so
     * nothing was recorded again until a restart. A new connection is a known state.
     */
    private void discardWriter() {
        Connection c = writer;
        writer = null;
        if (c == null) return;
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // already rolled back by the database
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // going anyway
        }
    }
}
