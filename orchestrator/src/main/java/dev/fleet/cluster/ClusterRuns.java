package dev.fleet.cluster;

import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.inventory.InventoryViews;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunSink;
import dev.fleet.yaml.ParseException;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A clustered run's coordinator, as {@code fleet run --cluster CONFIG} starts it once the playbook and inventory
 * are parsed and validated: joins the cluster, opens the run on the live workers (shipping the playbook's
 * directory, the inventory as loaded here, and the run options), and runs the playbook with every host-task sent
 * to a worker. Strategy, blocks, handlers, serial, failure rules, every event and the controller's own actions
 * ({@code include_tasks}, {@code add_host}, {@code group_by}) stay here, so the sinks see the same stream as for
 * a one-JVM run.
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
        ClusterNode node;
        try {
            byte[] archive = PlaybookArchive.pack(playbookFile.toAbsolutePath().getParent());
            node = ClusterNode.start(config);
            try {
                String runId = UUID.randomUUID().toString();
                JsonObject open = new JsonObject().put("archive", archive).put("coordinator", node.nodeId())
                        .put("playbook", playbookFile.getFileName().toString())
                        .put("inventory", new JsonObject(InventoryViews.list(inventory)).encode())
                        .put("options", RunOptionsWire.toJson(options));
                ClusterDispatcher dispatcher = ClusterDispatcher.open(node, config, runId, open,
                        host -> group(inventory, host), warning -> {
                            err.println("fleet: WARNING: " + warning);
                            err.flush();
                        });
                RunSetup.StartedRun run = new RunSetup().startDispatched(node.vertx, playbook, inventory, options,
                        sinks, dispatcher);
                onInterrupt.accept(run::cancel);
                RunOutcome outcome = run.outcome().join();
                return outcome.exitCode();
            } finally {
                node.close();
            }
        } catch (ClusterException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }

    private static String group(Inventory inventory, String host) {
        Object g = inventory.host(host).isPresent() ? inventory.varsFor(host).get("fleet_worker_group") : null;
        return g == null ? null : String.valueOf(g);
    }
}
