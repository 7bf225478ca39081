package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.HostFacts;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A worker's question and the coordinator's answer over an event bus (this JVM's: the same code as on a cluster,
 * where the bus is mutual TLS): answered on the run's context, asked from a virtual thread, never an event loop.
 */
class CoordinatorMirrorTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Registers the run's mirror on a context of its own; records the threads it answered on. */
    private CoordinatorMirror mirror(String runId, List<Boolean> onRunContext) throws Exception {
        Context run = vertx.getOrCreateContext();
        CompletableFuture<CoordinatorMirror> registered = new CompletableFuture<>();
        run.runOnContext(v -> {
            Thread runThread = Thread.currentThread();
            CoordinatorMirror m = CoordinatorMirror.register(vertx, runId, host -> {
                // Vert.x delivers on a duplicate of the registering context: the same event-loop thread, in turn
                onRunContext.add(Thread.currentThread() == runThread && Context.isOnEventLoopThread());
                return host.startsWith("h") ? new HostFacts(Map.of(), Map.of("me", host)) : null;
            });
            m.ready().onComplete(ar -> registered.complete(m));
        });
        return registered.get(10, TimeUnit.SECONDS);
    }

    private static <T> T onVirtualThread(java.util.concurrent.Callable<T> work) throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            return pool.submit(work).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkerGetsTheCoordinatorsCopyInChunksAnsweredOnTheRunsContext() throws Exception {
        List<Boolean> onRunContext = java.util.Collections.synchronizedList(new ArrayList<>());
        CoordinatorMirror mirror = mirror("r1", onRunContext);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 120; i++) hosts.add("h" + i);
        hosts.add("not-a-host");
        CoordinatorLookup lookup = new CoordinatorLookup(vertx, "r1");
        Map<String, HostFacts> answer = onVirtualThread(() -> lookup.facts(hosts));
        assertThat(answer).hasSize(120).containsEntry("h7", new HostFacts(Map.of(), Map.of("me", "h7")))
                .doesNotContainKey("not-a-host");
        assertThat(onRunContext).hasSize(121).containsOnly(true);
        mirror.close();
    }

    @Test
    void anEventLoopMayNotAskAndAClosedRunsQuestionFailsSayingWhy() throws Exception {
        CoordinatorMirror mirror = mirror("r2", new ArrayList<>());
        CoordinatorLookup lookup = new CoordinatorLookup(vertx, "r2");
        CompletableFuture<String> onLoop = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            try {
                lookup.facts(List.of("h1"));
                onLoop.complete("answered");
            } catch (IllegalStateException e) {
                onLoop.complete(e.getMessage());
            }
        });
        assertThat(onLoop.get(10, TimeUnit.SECONDS)).contains("not an event loop");
        mirror.close();
        String closed = onVirtualThread(() -> {
            try {
                return "answered " + lookup.facts(List.of("h1", "h2"));
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertThat(closed).contains("hostvars of h1, h2").contains("coordinator").doesNotContain("answered");
    }
}
