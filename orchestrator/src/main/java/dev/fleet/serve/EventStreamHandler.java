package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.error;

import dev.fleet.history.RunStore;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
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
    private final Duration stallTimeout;

    EventStreamHandler(Vertx vertx, RunManager runs, RunStore store, Duration stallTimeout, Consumer<String> log) {
        this.vertx = vertx;
        this.runs = runs;
        this.store = store;
        this.stallTimeout = stallTimeout;
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
        new Follower(res, run, from, vertx.getOrCreateContext()).start();
    }

    /**
     * One client following a live run. It writes straight from the run's own event list while the connection
     * takes it: once the connection's write queue is full it stops and waits for the drain, so a client costs
     * at most that queue (about 64 KiB) whatever it reads. A client whose queue stays full for
     * {@code limits.sse_stall_timeout} is dropped (it can resume with {@code Last-Event-ID}). Its fields are only
     * touched on its own context.
     */
    private final class Follower implements ManagedRun.Listener {
        private static final int BATCH = 64;

        private final HttpServerResponse res;
        private final ManagedRun run;
        private final Context ctx;
        private int next;
        private boolean done;
        private boolean stalled;
        private long stallTimer = -1;
        private long keepAlive = -1;

        Follower(HttpServerResponse res, ManagedRun run, int from, Context ctx) {
            this.res = res;
            this.run = run;
            this.next = Math.max(from, 0);
            this.ctx = ctx;
        }

        void start() {
            res.closeHandler(v -> stop());
            res.drainHandler(v -> drained());
            run.subscribe(this);
            keepAlive = vertx.setPeriodic(KEEPALIVE_MS, t -> {
                if (!done && !stalled) res.write(SSE_KEEPALIVE);
            });
            pump();
        }

        @Override
        public void changed() {
            ctx.runOnContext(v -> pump());
        }

        /** Writes what the client has not had yet, until its queue is full; then the end once the run is over. */
        private void pump() {
            if (done || stalled) return;
            boolean over = run.finished(); // read first: every event of a finished run is in its list already
            for (List<ManagedRun.Sse> batch; !(batch = run.eventsFrom(next, BATCH)).isEmpty(); ) {
                for (ManagedRun.Sse e : batch) {
                    res.write(e.text());
                    next = e.index() + 1;
                    if (res.writeQueueFull()) {
                        stalled = true;
                        stallTimer = vertx.setTimer(Math.max(1, stallTimeout.toMillis()), t -> drop());
                        return;
                    }
                }
            }
            if (over) {
                stop();
                res.end(sse(-1, "end", run.endEvent()));
            }
        }

        private void drained() {
            if (done) return;
            stalled = false;
            if (stallTimer >= 0) vertx.cancelTimer(stallTimer);
            stallTimer = -1;
            pump();
        }

        private void drop() {
            if (done || !stalled) return;
            log.accept("events: dropped a client of run " + run.id + " that read nothing for "
                    + stallTimeout.toSeconds() + "s (limits.sse_stall_timeout), " + next + " events sent; "
                    + "it can reconnect with Last-Event-ID");
            stop();
            res.reset();
        }

        private void stop() {
            done = true;
            run.unsubscribe(this);
            if (keepAlive >= 0) vertx.cancelTimer(keepAlive);
            if (stallTimer >= 0) vertx.cancelTimer(stallTimer);
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
