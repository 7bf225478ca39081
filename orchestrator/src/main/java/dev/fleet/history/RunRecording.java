package dev.fleet.history;

import dev.fleet.result.RunSink;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Records one CLI run in the history: opens the database, hands out the sink that records the run's events,
 * and at the end closes the store and says whether the whole run was recorded. A database that cannot be opened
 * never stops a run: {@link #start} warns and returns empty.
 */
public final class RunRecording {
    private final JdbcRunStore store;
    private final RunRecorder recorder;

    private RunRecording(JdbcRunStore store, RunRecorder recorder) {
        this.store = store;
        this.recorder = recorder;
    }

    /** Starts recording a run with a new id in {@code db} (see {@link HistoryDatabase#locate}). */
    public static Optional<RunRecording> start(String db, RunMeta meta, PrintWriter err) {
        JdbcRunStore store = null;
        try {
            store = JdbcRunStore.open(db);
            store.onWarning(w -> { }); // said once, at the end, with what was lost: see finish
            return Optional.of(new RunRecording(store, store.recorder(RunIds.next(), meta)));
        } catch (RuntimeException | LinkageError e) {
            if (store != null) store.close();
            err.println("fleet: WARNING: not recording this run in the history (" + HistoryDatabase.describe(db)
                    + "): " + e.getMessage());
            err.flush();
            return Optional.empty();
        }
    }

    /** The sink to add to the run's sinks. */
    public RunSink sink() {
        return recorder;
    }

    /** Closes the store; prints the run id when the whole run was recorded, else a warning. */
    public void finish(PrintWriter out, PrintWriter err) {
        try {
            store.close();
        } catch (RuntimeException e) {
            err.println("fleet: WARNING: run history: " + e.getMessage());
        }
        if (recorder.failure().isPresent()) {
            err.println("fleet: WARNING: run " + recorder.runId() + " was not fully recorded in the history ("
                    + store.describe() + "): " + recorder.failure().get());
        } else {
            out.println("run id: " + recorder.runId());
        }
        out.flush();
        err.flush();
    }
}
