package dev.fleet.cluster;

import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunSink;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code fleet run --cluster CONFIG}, once the playbook and inventory are parsed and validated: packs what the run
 * ships ({@link OpenMessage}: the playbook's directory and roles, the inventory as loaded here, the run options,
 * vaulted values sealed), then joins the cluster as a {@link ClusterCoordinator} for this one run (which opens it on
 * the live workers) and leaves when it ends. Strategy, blocks, handlers, serial, failure rules, every event and the
 * controller's own actions ({@code include_tasks}, {@code add_host}, {@code group_by}) stay here, so the sinks see
 * the same stream as for a one-JVM run.
 */
public final class ClusterRuns {
    private ClusterRuns() {}

    /** Runs the playbook on the cluster; the exit code as for a one-JVM run (5: bad cluster config). */
    public static int run(Path configFile, Path playbookFile, Playbook playbook, Inventory inventory,
            RunOptions options, RunInputs inputs, List<RunSink> sinks, PrintWriter err,
            Consumer<Runnable> onInterrupt) {
        ClusterConfig config = ClusterConfig.loadReporting(configFile, err);
        if (config == null) return ExitCodes.BAD_OPTIONS;
        try {
            // packed before joining: a role that cannot be shipped, or too much to ship, fails before the cluster
            ClusterCoordinator.Shipment shipment = ClusterCoordinator.pack(playbookFile, playbook, inventory, options,
                    inputs);
            try (ClusterCoordinator coordinator = ClusterCoordinator.join(config)) {
                RunSetup.StartedRun run = coordinator.start(ClusterCoordinator.newRunId(), shipment, sinks, warning -> {
                    err.println("fleet: WARNING: " + warning);
                    err.flush();
                });
                onInterrupt.accept(run::cancel);
                RunOutcome outcome = run.outcome().join();
                return outcome.exitCode();
            }
        } catch (ClusterException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
