package dev.fleet.cluster;

import dev.fleet.engine.RemoteReply;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.engine.TaskDispatcher;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunSink;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * This JVM as a clustered run's coordinator, for as long as it starts runs: {@code fleet run --cluster} holds one
 * for its one run, {@code fleet serve} with a {@code cluster:} section for its lifetime. Each run is opened on the
 * live workers when it starts (they get its playbook directory, inventory and options) and closed on them when it
 * ends, however it ends (cancelled included: the engine closes its dispatcher). The strategy, every event and the
 * sinks stay in this JVM, so a run's report and history read as for a one-JVM run.
 */
public final class ClusterCoordinator implements AutoCloseable {
    private final ClusterConfig config;
    private final ClusterNode node;
    private final RunSetup setup = new RunSetup();

    private ClusterCoordinator(ClusterConfig config, ClusterNode node) {
        this.config = config;
        this.node = node;
    }

    /**
     * What a run ships to the workers ({@link OpenMessage}: without the coordinator's node id, added at start),
     * packed before the cluster is asked for anything.
     */
    public record Shipment(JsonObject open, Playbook playbook, Inventory inventory, RunOptions options) {}

    /**
     * Packs the playbook's directory and the roles it uses from the roles path (bounded, see {@link PlaybookArchive})
     * with what the run needs, vaulted values sealed. Blocking; a role that cannot be shipped fails here.
     */
    public static Shipment pack(Path playbookFile, Playbook playbook, Inventory inventory, RunOptions options,
            RunInputs inputs) throws ClusterException {
        return new Shipment(OpenMessage.build(playbookFile, playbook, inventory, options, inputs), playbook,
                inventory, options);
    }

    /** A run id no other run in the cluster has. */
    public static String newRunId() {
        return UUID.randomUUID().toString();
    }

    /** Joins the cluster {@code config} names (bounded: up to a minute). Blocking; not on an event loop. */
    public static ClusterCoordinator join(ClusterConfig config) throws ClusterException {
        return new ClusterCoordinator(config, ClusterNode.start(config));
    }

    /** The cluster and this node's address, for log lines. */
    public String describe() {
        return "cluster '" + config.name() + "' as " + config.address() + ":" + config.port();
    }

    /**
     * Opens the run on the live workers and starts it; every host-task goes to a worker. Blocking while the workers
     * are asked (seconds; up to about a minute and a half when some do not answer); not on an event loop.
     * {@code runId} names the run in the workers' logs (letters, digits and '-'; unique among the cluster's runs:
     * {@link #newRunId()} when the caller has none). {@code warn} hears about workers left out of this run.
     */
    public RunSetup.StartedRun start(String runId, Shipment run, List<RunSink> sinks, Consumer<String> warn)
            throws ClusterException {
        JsonObject open = run.open().copy().put("coordinator", node.nodeId());
        ClusterDispatcher dispatcher = ClusterDispatcher.open(node, config, runId, open, warn);
        return setup.startDispatched(node.vertx, run.playbook(), run.inventory(), run.options(), sinks, dispatcher);
    }

    /**
     * Runs the playbook with no worker: every host ends unreachable with {@code reason}. How a service records a
     * run the cluster could not take (no live worker, say), so its history and report say why, host by host.
     */
    public RunSetup.StartedRun startUnreachable(Playbook playbook, Inventory inventory, RunOptions options,
            List<RunSink> sinks, String reason) {
        TaskDispatcher none = new TaskDispatcher() {
            @Override
            public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
                return Future.failedFuture(reason);
            }

            @Override
            public void close() {
            }
        };
        return setup.startDispatched(node.vertx, playbook, inventory, options, sinks, none);
    }

    /** Leaves the cluster (bounded). Runs still going lose their workers: close it after they have ended. */
    @Override
    public void close() {
        node.close();
    }
}
