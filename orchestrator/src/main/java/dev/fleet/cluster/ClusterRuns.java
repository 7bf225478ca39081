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
import dev.fleet.yaml.ParseException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code fleet run --cluster CONFIG}, once the playbook and inventory are parsed and validated: refuses what cannot
 * run clustered yet, then joins the cluster as a {@link ClusterCoordinator} for this one run (which opens it on
 * the live workers, shipping the playbook's directory, the inventory as loaded here, and the run options) and
 * leaves when it ends. Strategy, blocks, handlers, serial, failure rules and every event stay here, so the sinks
 * see the same stream as for a one-JVM run.
 */
public final class ClusterRuns {
    /** Tasks whose effects live in the driving JVM's run state (includes, inventory changes): not yet shipped. */
    private static final Set<String> UNSUPPORTED = Set.of(PlaybookParser.INCLUDE, "include_role", "add_host",
            "group_by");

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
        String refused = unsupported(playbook);
        if (refused != null) {
            err.println("fleet: " + refused);
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

    /** Why this playbook cannot run on the cluster yet, or null; {@code fleet serve} refuses such a run with it. */
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
                + "inventory changes are not shipped to workers yet; use import_tasks/import_role, or run it in one "
                + "JVM (without --cluster, or with a fleet serve that has no cluster: section)";
    }
}
