package dev.fleet.serve;

import dev.fleet.engine.RunSetup;
import dev.fleet.result.RunSink;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Where the service's runs run: in this JVM over its own SSH settings ({@link LocalLauncher}), or on the workers of
 * the cluster the config's {@code cluster:} section names ({@link ClusterLauncher}). {@link RunManager} admits,
 * queues, records and cancels runs the same way for both; the events, SSE, history and reports are the same.
 */
sealed interface RunLauncher permits LocalLauncher, ClusterLauncher {

    /**
     * The launcher the config asks for; the cluster's classes are loaded only when it has a cluster section.
     * {@code scrub} takes this machine's paths out of reasons that reach API clients.
     */
    static RunLauncher of(Vertx vertx, ServeConfig config, RunSetup setup, Consumer<String> log,
            UnaryOperator<String> scrub) {
        return config.cluster() == null ? new LocalLauncher(vertx, config.ssh(), setup)
                : new ClusterLauncher(config.cluster(), log, scrub);
    }

    /** Gets ready before the first run (a cluster's coordinator joins it); throws with why it cannot. Blocking. */
    void open();

    /**
     * Starts {@code run} with its events going to {@code sinks}; completes once it is under way (a clustered run
     * after its workers have opened it, so never on an event loop's time), or fails with why it could not start.
     */
    CompletableFuture<RunSetup.StartedRun> start(ManagedRun run, List<RunSink> sinks);

    /** What runs run on, for the log line that says the service listens. */
    String describe();

    /** Called once every run has ended (a cluster's coordinator leaves it). Blocking. */
    void close();
}
