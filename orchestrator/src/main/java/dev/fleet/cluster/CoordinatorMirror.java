package dev.fleet.cluster;

import dev.fleet.engine.HostFacts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The coordinator's answer to "what did tasks set on host X so far", on the run's own address
 * ({@link HostFactsWire#address}), from the engine's copy of every host: what a worker's {@code hostvars} shows of
 * a host another worker runs. Registered on the run's event-loop context, so its questions are answered on that
 * context's thread (Vert.x hands them to a duplicate of the context), in turn with the engine's own work, and the
 * engine's copy is read there only; removed when the run closes. The answers may hold registered secrets: they
 * go on the mutual-TLS bus only, like the task replies they came from, and nothing here logs them.
 */
final class CoordinatorMirror {
    /** Hosts one request may name: the worker asks in chunks of this many (a host's facts can be large). */
    static final int MAX_HOSTS = 50;

    private final MessageConsumer<JsonObject> consumer;

    private CoordinatorMirror(MessageConsumer<JsonObject> consumer) {
        this.consumer = consumer;
    }

    /**
     * Starts answering for {@code runId} from {@code factsOf}; call on the run's context. The returned future
     * completes once the address is known to the cluster.
     */
    static CoordinatorMirror register(Vertx vertx, String runId, Function<String, HostFacts> factsOf) {
        MessageConsumer<JsonObject> c = vertx.eventBus().consumer(HostFactsWire.address(runId),
                m -> answer(m, factsOf));
        return new CoordinatorMirror(c);
    }

    /** Completes once other members can reach the address (it never fails: a worker's question then does). */
    Future<Void> ready() {
        return consumer.completion().recover(e -> Future.succeededFuture());
    }

    private static void answer(Message<JsonObject> m, Function<String, HostFacts> factsOf) {
        if (!HostFactsWire.OP.equals(m.body().getString("op"))) {
            m.fail(400, "unknown operation '" + m.body().getString("op") + "' for a run's coordinator");
            return;
        }
        List<String> hosts = HostFactsWire.hosts(m.body());
        if (hosts.size() > MAX_HOSTS) {
            m.fail(400, "ask for at most " + MAX_HOSTS + " hosts at once, not " + hosts.size());
            return;
        }
        Map<String, HostFacts> out = new LinkedHashMap<>();
        for (String h : hosts) {
            HostFacts f = factsOf.apply(h);
            if (f != null) out.put(h, f);
        }
        m.reply(HostFactsWire.answer(out));
    }

    /** Stops answering (the run has closed); waits a bounded time. Blocking, not on an event loop. */
    void close() {
        try {
            consumer.unregister().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the address goes with this JVM's membership anyway; the run's results stand
        }
    }
}
