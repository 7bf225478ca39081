package dev.fleet.engine;

import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Delivers events to sinks in order on one thread of their own, so a slow terminal or disk never holds up the
 * event loop, and sinks never need to be thread-safe.
 */
final class EventStream implements AutoCloseable {
    private final List<RunSink> sinks;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-sinks");
        t.setDaemon(true);
        return t;
    });

    EventStream(List<RunSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    void publish(RunEvent event) {
        thread.execute(() -> {
            for (RunSink s : sinks) {
                try {
                    s.accept(event);
                } catch (RuntimeException e) {
                    System.err.println("fleet: report sink " + s.getClass().getSimpleName() + " failed: " + e);
                }
            }
        });
    }

    /** Waits for every event to be delivered, then closes the sinks. */
    @Override
    public void close() throws InterruptedException {
        thread.execute(() -> {
            for (RunSink s : sinks) {
                try {
                    s.close();
                } catch (Exception e) {
                    System.err.println("fleet: could not finish report " + s.getClass().getSimpleName() + ": "
                            + e.getMessage());
                }
            }
        });
        thread.shutdown();
        thread.awaitTermination(1, TimeUnit.MINUTES);
    }
}
