package dev.fleet.cluster;

import dev.fleet.engine.HostFacts;
import dev.fleet.engine.HostFactsLookup;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's question to the coordinator of a run for what tasks set on hosts other workers run (see
 * {@link CoordinatorMirror}). Blocks the task's own (virtual) thread for a bounded time; refuses to run on an event
 * loop, which it would stall.
 */
final class CoordinatorLookup implements HostFactsLookup {
    /** How long one answer may take: the coordinator reads from memory, so only a lost coordinator takes this. */
    static final Duration ANSWER_LIMIT = Duration.ofSeconds(10);
    /** The coordinator's address may reach this member a moment after the run's first task: asked again. */
    private static final int NO_HANDLER_ATTEMPTS = 10;
    private static final long NO_HANDLER_PAUSE_MS = 200;

    private final Vertx vertx;
    private final String runId;

    CoordinatorLookup(Vertx vertx, String runId) {
        this.vertx = vertx;
        this.runId = runId;
    }

    @Override
    public Map<String, HostFacts> facts(List<String> hosts) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("hostvars of hosts other workers run are read from a task's thread, "
                    + "not an event loop (a bug in fleet: it would stall the worker)");
        }
        Map<String, HostFacts> out = new LinkedHashMap<>();
        for (int i = 0; i < hosts.size(); i += CoordinatorMirror.MAX_HOSTS) {
            out.putAll(ask(hosts.subList(i, Math.min(hosts.size(), i + CoordinatorMirror.MAX_HOSTS))));
        }
        return out;
    }

    private Map<String, HostFacts> ask(List<String> hosts) {
        JsonObject request = HostFactsWire.request(hosts);
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(ANSWER_LIMIT.toMillis());
        for (int attempt = 1; ; attempt++) {
            try {
                JsonObject answer = vertx.eventBus().<JsonObject>request(HostFactsWire.address(runId), request, options)
                        .toCompletionStage().toCompletableFuture()
                        .get(ANSWER_LIMIT.toMillis() + 1000, TimeUnit.MILLISECONDS).body();
                return HostFactsWire.answer(answer);
            } catch (ExecutionException e) {
                boolean noHandler = e.getCause() instanceof ReplyException r
                        && r.failureType() == ReplyFailure.NO_HANDLERS;
                if (!noHandler || attempt >= NO_HANDLER_ATTEMPTS) throw failed(hosts, e.getCause().getMessage());
                pause();
            } catch (TimeoutException e) {
                throw failed(hosts, "no answer within " + ANSWER_LIMIT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed(hosts, "interrupted");
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(NO_HANDLER_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Names the hosts and the cause only: never a value (registered results may hold secrets). */
    private static IllegalStateException failed(List<String> hosts, String why) {
        return new IllegalStateException("hostvars of " + String.join(", ", hosts) + " (run by another fleet worker) "
                + "could not be read from the run's coordinator: " + why);
    }
}
