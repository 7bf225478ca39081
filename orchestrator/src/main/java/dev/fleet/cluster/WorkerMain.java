package dev.fleet.cluster;

import dev.fleet.engine.ExitCodes;
import dev.fleet.vault.VaultException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code fleet worker --config FILE}: joins the cluster and serves coordinators until the process is stopped. */
public final class WorkerMain {
    private WorkerMain() {}

    /** Blocks until {@code stop} counts down (the CLI's shutdown hook) or the worker cannot start; the exit code. */
    public static int serve(Path configFile, PrintWriter out, PrintWriter err, CountDownLatch stop) {
        ClusterConfig config = ClusterConfig.loadReporting(configFile, err);
        if (config == null) return ExitCodes.BAD_OPTIONS;
        if (config.worker() == null) {
            err.println("fleet: ERROR: " + configFile + " has no 'worker:' section (id, private_key, known_hosts, "
                    + "...); a worker needs one");
            return ExitCodes.BAD_OPTIONS;
        }
        WorkerVault vault;
        try {
            vault = WorkerVault.load(config);
        } catch (VaultException e) {
            err.println("fleet: ERROR: " + configFile + ": " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        ClusterNode node;
        try {
            node = ClusterNode.start(config);
        } catch (ClusterException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        try {
            Worker worker = new Worker(config, vault, node, out);
            worker.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            out.println(worker.describe() + ": ready");
            out.flush();
            stop.await();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.OK;
        } catch (Exception e) {
            err.println("fleet: ERROR: worker could not register in the cluster: " + e.getMessage());
            return ExitCodes.ERROR;
        } finally {
            node.close();
        }
    }
}
