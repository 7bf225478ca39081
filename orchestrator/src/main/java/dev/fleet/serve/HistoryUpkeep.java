package dev.fleet.serve;

import dev.fleet.history.Retention;
import dev.fleet.history.RunStore;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps the history tidy while the server runs: on start, runs a previous process left "running" are marked
 * interrupted; retention is applied on start and then hourly. Blocking work runs off the event loop.
 */
final class HistoryUpkeep {
    private static final Duration RETENTION_PERIOD = Duration.ofHours(1);

    private final Vertx vertx;
    private final RunStore store;
    private final Retention retention;
    private final Consumer<String> log;
    private long timer = -1;

    HistoryUpkeep(Vertx vertx, RunStore store, Retention retention, Consumer<String> log) {
        this.vertx = vertx;
        this.store = store;
        this.retention = retention;
        this.log = log;
    }

    /** Blocking: marks abandoned runs and applies retention once. */
    void onStart() {
        List<String> abandoned = store.markAbandoned();
        if (!abandoned.isEmpty()) log.accept("history: " + abandoned.size() + " run(s) left running by a "
                + "previous process marked interrupted: " + String.join(", ", abandoned));
        applyRetention();
    }

    /** Arms the hourly retention timer. */
    void arm() {
        timer = vertx.setPeriodic(RETENTION_PERIOD.toMillis(), id -> vertx.executeBlocking(() -> {
            applyRetention();
            return null;
        }, false));
    }

    void disarm() {
        if (timer >= 0) vertx.cancelTimer(timer);
    }

    private void applyRetention() {
        if (retention.maxRuns() == null && retention.maxAge() == null) return;
        int n = store.applyRetention(retention);
        if (n > 0) log.accept("history: " + n + " old run(s) deleted by retention");
    }
}
