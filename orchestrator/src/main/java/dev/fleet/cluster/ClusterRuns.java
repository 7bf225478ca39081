package dev.fleet.cluster;

import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunSink;
import dev.fleet.yaml.ParseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code fleet run --cluster CONFIG}, once the playbook and inventory are parsed and validated: joins the cluster
 * as a {@link ClusterCoordinator} for this one run (which opens it on the live workers, shipping the playbook's
 * directory, the inventory as loaded here, and the run options) and leaves when it ends. Strategy, blocks,
 * handlers, serial, failure rules, every event and the controller's own actions ({@code include_tasks},
 * {@code add_host}, {@code group_by}) stay here, so the sinks see the same stream as for a one-JVM run.
 */
public final class ClusterRuns {
    private ClusterRuns() {}

    /** Runs the playbook on the cluster; the exit code as for a one-JVM run (5: bad cluster config). */
    public static int run(Path configFile, Path playbookFile, Playbook playbook, Inventory inventory,
            RunOptions options, List<RunSink> sinks, PrintWriter err, Consumer<Runnable> onInterrupt) {
        ClusterConfig config;
        try {
            config = ClusterConfig.load(configFile);
        } catch (ParseException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        try {
            ClusterCoordinator.Shipment shipment = ClusterCoordinator.pack(playbookFile, playbook, inventory, options);
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
