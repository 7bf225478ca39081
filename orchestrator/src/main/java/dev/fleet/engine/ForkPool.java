package dev.fleet.engine;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Bounds how many host-tasks are in flight ({@code --forks}). Used only from the event loop, so it needs no
 * locks: a job starts when a slot is free and frees it when its future completes.
 */
final class ForkPool {
    private final int forks;
    private final Queue<Supplier<Future<?>>> waiting = new ArrayDeque<>();
    private int running;

    ForkPool(int forks) {
        this.forks = forks;
    }

    void submit(Supplier<Future<?>> job) {
        waiting.add(job);
        drain();
    }

    private void drain() {
        while (running < forks && !waiting.isEmpty()) {
            Supplier<Future<?>> job = waiting.poll();
            running++;
            job.get().onComplete(ar -> {
                running--;
                drain();
            });
        }
    }

    /** Drops jobs that have not started (used when a run is cancelled). */
    void clearWaiting() {
        waiting.clear();
    }
}
