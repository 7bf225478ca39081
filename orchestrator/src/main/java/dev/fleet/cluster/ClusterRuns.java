package dev.fleet.cluster;

import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.result.RunSink;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A clustered run's coordinator, as {@code fleet run --cluster CONFIG} starts it once the playbook and inventory
 * are parsed and validated: joins the cluster, opens the run on the live workers (shipping what {@link OpenMessage}
 * holds: the playbook's directory and roles, the inventory as loaded here, the run options), and runs the playbook
 * with every host-task sent to a worker. Strategy, blocks, handlers, serial, failure rules and every event stay
 * here, so the sinks see the same stream as for a one-JVM run.
 */
public final class ClusterRuns {
    /** Tasks whose effects live in the driving JVM's run state (includes, inventory changes): not yet shipped. */
    private static final Set<String> UNSUPPORTED = Set.of(PlaybookParser.INCLUDE, "include_role", "add_host",
            "group_by");

    private ClusterRuns() {}

    /** Runs the playbook on the cluster; the exit code as for a one-JVM run (5: bad cluster config). */
    public static int run(Path configFile, Path playbookFile, Playbook playbook, Inventory inventory,
            RunOptions options, RunInputs inputs, List<RunSink> sinks, PrintWriter err,
            Consumer<Runnable> onInterrupt) {
        ClusterConfig config = ClusterConfig.loadReporting(configFile, err);
        if (config == null) return ExitCodes.BAD_OPTIONS;
        String refused = unsupported(playbook);
        if (refused != null) {
            err.println("fleet: " + refused);
            return ExitCodes.BAD_OPTIONS;
        }
        ClusterNode node;
        try {
            // built before joining: a role that cannot be shipped, or too much to ship, fails before the cluster
            JsonObject open = OpenMessage.build(playbookFile, playbook, inventory, options, inputs);
            node = ClusterNode.start(config);
            try {
                String runId = UUID.randomUUID().toString();
                open.put("coordinator", node.nodeId());
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

    /** Why this playbook cannot run on the cluster yet, or null. */
    static String unsupported(Playbook playbook) {
        List<String> found = new ArrayList<>();
        for (Play p : playbook.plays()) {
            List<Task> tasks = new ArrayList<>(p.allTasks());
            tasks.addAll(p.handlers());
            for (Task t : tasks) {
                if (UNSUPPORTED.contains(t.module())) found.add(t.module() + " at " + t.position());
            }
        }
        if (found.isEmpty()) return null;
        return "a clustered run cannot run " + String.join(", ", found.subList(0, Math.min(5, found.size())))
                + (found.size() > 5 ? " (and " + (found.size() - 5) + " more)" : "") + ": dynamic includes and "
                + "inventory changes are not shipped to workers yet; use import_tasks/import_role, or run it without "
                + "--cluster";
    }
}
