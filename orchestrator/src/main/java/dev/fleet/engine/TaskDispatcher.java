package dev.fleet.engine;

import io.vertx.core.Future;
import java.util.Map;
import java.util.function.Function;

/**
 * Sends host-tasks to the machines that run them: what a clustered run gives the engine instead of connecting to
 * hosts itself. The engine calls it on the run's event-loop context; implementations must not block there and must
 * always complete the future, with a result of their own (e.g. unreachable, naming a lost worker) where the worker
 * cannot answer.
 */
public interface TaskDispatcher {

    /** Runs {@code task} in {@code scope} on the worker that owns {@code task.host()}. */
    Future<RemoteReply> run(RemoteScope scope, RemoteTask task);

    /**
     * Whether the machine that will run {@code host}'s next task already has the host's state from its earlier
     * tasks. False for its first task and for a host moved off a machine that was lost: that task then carries
     * every variable the engine knows for the host ({@link RemoteTask#shared}), not only those learnt since.
     */
    default boolean hasState(String host) {
        return true;
    }

    /**
     * Where workers read what tasks set on hosts they do not run ({@code hostvars}): {@code factsOf} answers from the
     * coordinator's copy of every host, null for a name that is no inventory host. Called once, on the run's
     * event-loop context, before the first task; {@code factsOf} may be called on that context only.
     */
    default void mirror(Function<String, HostFacts> factsOf) {
    }

    /**
     * Where the dispatcher reads a host's inventory variables as the run has them now ({@code add_host} adds hosts
     * and variables while the run goes): {@code varsOf} gives an empty map for a name that is no inventory host.
     * Called once, on the run's event-loop context, before the first task; {@code varsOf} may be called on that
     * context only.
     */
    default void inventoryVars(Function<String, Map<String, Object>> varsOf) {
    }

    /** The run has ended: workers may drop its state and close its connections. Blocking. */
    void close();
}
