package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.error;

import dev.fleet.history.RunStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code GET /api/runs/{id}/events}, Server-Sent Events: every event so far (or after {@code Last-Event-ID}),
 * then live ones, then {@code event: end}. A run known only to the history gets its summary and {@code end}.
 */
final class EventStreamHandler {
    private static final String SSE_KEEPALIVE = ": keep-alive\n\n";
    /** Proxies drop a connection idle for about a minute; a comment line every 15 s keeps it open. */
    private static final long KEEPALIVE_MS = 15_000;

    private final Vertx vertx;
    private final RunManager runs;
    private final RunStore store;
    private final Consumer<String> log;

    EventStreamHandler(Vertx vertx, RunManager runs, RunStore store, Consumer<String> log) {
        this.vertx = vertx;
        this.runs = runs;
        this.store = store;
        this.log = log;
    }

    void handle(HttpServerRequest req, String id) {
        var live = runs.get(id);
        if (live.isEmpty()) {
            stored(req.response(), id);
            return;
        }
        ManagedRun run = live.get();
        int from = 0;
        String lastId = req.getHeader("Last-Event-ID");
        if (lastId != null) {
            try {
                from = Integer.parseInt(lastId.strip()) + 1;
            } catch (NumberFormatException e) {
                from = 0;
            }
        }
        stream(req.response(), run, from);
    }

    /** A finished run from the history: its summary, then {@code end}. */
    private void stored(HttpServerResponse res, String id) {
        vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
            if (ar.failed()) {
                HttpResponses.fail(res, ar.cause(), log);
            } else if (ar.result().isEmpty()) {
                error(res, 404, "no run " + id);
            } else {
                JsonObject detail = RunJson.detail(RunJson.fromStored(ar.result().get()));
                sseHeaders(res);
                res.write("event: summary\ndata: " + detail.encode() + "\n\n");
                res.end(sse(-1, "end", new JsonObject().put("id", id).put("status", detail.getString("status"))
                        .put("exit_code", detail.getInteger("exit_code"))));
            }
        });
    }

    /** A live run: replay from event {@code from}, then follow it until it ends or the client goes. */
    private void stream(HttpServerResponse res, ManagedRun run, int from) {
        sseHeaders(res);
        Context ctx = vertx.getOrCreateContext();
        int[] sent = {from - 1};
        long[] keepAlive = {-1};
        boolean[] done = {false};
        var listener = new ManagedRun.Listener() {
            @Override
            public void event(ManagedRun.Sse e) {
                ctx.runOnContext(v -> write(e));
            }

            @Override
            public void end(JsonObject end) {
                ctx.runOnContext(v -> finish(end));
            }

            void write(ManagedRun.Sse e) {
                if (done[0] || e.index() <= sent[0]) return;
                sent[0] = e.index();
                res.write(sse(e.index(), e.type(), e.data()));
                if (res.writeQueueFull()) { // a client that does not read: drop it, it can resume with Last-Event-ID
                    done[0] = true;
                    run.unsubscribe(this);
                    res.reset();
                }
            }

            void finish(JsonObject end) {
                if (done[0]) return;
                done[0] = true;
                if (keepAlive[0] >= 0) vertx.cancelTimer(keepAlive[0]);
                res.end(sse(-1, "end", end));
            }
        };
        List<ManagedRun.Sse> replay = run.subscribe(from, listener);
        res.closeHandler(v -> {
            done[0] = true;
            run.unsubscribe(listener);
            if (keepAlive[0] >= 0) vertx.cancelTimer(keepAlive[0]);
        });
        for (ManagedRun.Sse e : replay) listener.write(e);
        if (run.finished()) {
            listener.finish(run.endEvent());
        } else if (!done[0]) {
            keepAlive[0] = vertx.setPeriodic(KEEPALIVE_MS, t -> {
                if (!done[0]) res.write(SSE_KEEPALIVE);
            });
        }
    }

    private static void sseHeaders(HttpServerResponse res) {
        res.setChunked(true).setStatusCode(200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no");
        res.write(": fleet run events\n\n");
    }

    private static String sse(int index, String type, JsonObject data) {
        return (index >= 0 ? "id: " + index + "\n" : "") + "event: " + type + "\ndata: " + data.encode() + "\n\n";
    }
}
