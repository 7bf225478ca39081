package dev.fleet.serve;

import dev.fleet.cluster.ClusterConfig;
import dev.fleet.cluster.ClusterCoordinator;
import dev.fleet.cluster.ClusterException;
import dev.fleet.cluster.RunInputs;
import dev.fleet.engine.RunSetup;
import dev.fleet.result.RunSink;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Runs on a cluster's workers: the service joins the cluster once, when it starts (and does not start if it
 * cannot), and each run is opened on the workers live at the time it starts. A run the cluster cannot take (no live
 * worker, a playbook directory too big to ship) still runs and is recorded: each of its hosts ends unreachable with
 * the reason, so the API, the dashboard and the history say why. This class is the serve package's only door to
 * {@code dev.fleet.cluster}.
 */
final class ClusterLauncher implements RunLauncher {
    /** Where serve's parser finds roles (ANSIBLE_ROLES_PATH, else the defaults), as its runs are parsed. */
    private static final List<Path> ROLES_PATH = new RunSetup().rolesPath();
    private final ClusterConfig config;
    private final Consumer<String> log;
    private final UnaryOperator<String> scrub;
    /** Opening a run asks every worker and waits for their answers: on threads of its own, off the event loop. */
    private final ExecutorService opening = Executors.newVirtualThreadPerTaskExecutor();
    private volatile ClusterCoordinator coordinator;

    ClusterLauncher(ClusterConfig config, Consumer<String> log, UnaryOperator<String> scrub) {
        this.config = config;
        this.log = log;
        this.scrub = scrub;
    }

    @Override
    public void open() {
        // joined on a thread of ours: Vert.x warns when a Vertx is built on another Vertx's thread
        try {
            coordinator = CompletableFuture.supplyAsync(() -> {
                try {
                    return ClusterCoordinator.join(config);
                } catch (ClusterException e) {
                    throw new IllegalStateException(e.getMessage() + " (the cluster: section of " + config.file()
                            + ")");
                }
            }, opening).join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    @Override
    public CompletableFuture<RunSetup.StartedRun> start(ManagedRun run, List<RunSink> sinks) {
        ClusterCoordinator c = coordinator;
        if (c == null) return CompletableFuture.failedFuture(new IllegalStateException("not in the cluster yet"));
        try {
            return CompletableFuture.supplyAsync(() -> openAndStart(c, run, sinks), opening);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("fleet serve is leaving the cluster"));
        }
    }

    /** Opens the run on the workers and starts it. Blocking. */
    private RunSetup.StartedRun openAndStart(ClusterCoordinator c, ManagedRun run, List<RunSink> sinks) {
        try {
            // serve has no vault secrets; roles from the roles path ship as with fleet run --cluster
            ClusterCoordinator.Shipment shipment = ClusterCoordinator.pack(Path.of(run.playbook.file()),
                    run.playbook, run.inventory, run.options, RunInputs.withoutVault(ROLES_PATH));
            // the service's run id names it in the workers' logs too
            return c.start(run.id, shipment, sinks,
                    warning -> log.accept("run " + run.id + ": WARNING: " + warning));
        } catch (ClusterException e) {
            log.accept("run " + run.id + ": the cluster cannot take it: " + e.getMessage()
                    + "; its hosts are recorded unreachable with that reason");
            return c.startUnreachable(run.playbook, run.inventory, run.options, sinks,
                    "the cluster could not take this run: " + scrub.apply(e.getMessage()));
        }
    }

    @Override
    public String describe() {
        ClusterCoordinator c = coordinator;
        return "runs on the workers of " + (c != null ? c.describe() : "cluster '" + config.name() + "'");
    }

    @Override
    public void close() {
        opening.shutdown();
        ClusterCoordinator c = coordinator;
        if (c != null) c.close();
    }
}
