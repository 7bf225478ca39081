package dev.fleet.serve;

import dev.fleet.engine.RunOptions;
import dev.fleet.history.RunStore;
import dev.fleet.history.RunSummary;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code fleet serve}: the HTTP API, the dashboard and the schedules, on vertx-core alone. Request handling stays
 * on the event loop; parsing, file system checks and history access run through {@code executeBlocking}.
 *
 * <p>Every {@code /api} route needs {@code Authorization: Bearer <token>}. The SSE route
 * {@code /api/runs/{id}/events} also takes {@code ?access_token=<token>}, because browsers' EventSource cannot
 * send headers.
 */
public final class FleetServer {
    private static final String SSE_KEEPALIVE = ": keep-alive\n\n";

    private final Vertx vertx;
    private final ServeConfig config;
    private final RunStore store;
    private final Consumer<String> log;
    private final RunManager runs;
    private final Scheduler scheduler;
    private final HttpRouter router = new HttpRouter();
    private final List<byte[]> tokenDigests = new ArrayList<>();
    private final Buffer dashboard;
    private HttpServer server;
    private long retentionTimer = -1;
    private volatile boolean closing;
    private CompletableFuture<Void> closed;

    public FleetServer(Vertx vertx, ServeConfig config, RunStore store, Consumer<String> log) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.log = log;
        if (config.tokens().isEmpty()) throw new IllegalArgumentException("no API token configured; fleet serve "
                + "does not run an unauthenticated API");
        for (String t : config.tokens()) tokenDigests.add(sha256(t.getBytes(StandardCharsets.UTF_8)));
        String become = System.getenv("FLEET_BECOME_PASS");
        this.runs = new RunManager(vertx, config, store, log,
                become == null || become.isEmpty() ? null : new RunOptions.Secret(become));
        this.scheduler = new Scheduler(vertx, runs, store, config.schedules(), log);
        this.dashboard = loadDashboard();
        router.add(HttpMethod.GET, "/", (req, p) -> dashboard(req))
                .add(HttpMethod.GET, "/healthz", (req, p) -> json(req.response(), 200, new JsonObject()
                        .put("status", closing ? "stopping" : "ok")))
                .add(HttpMethod.GET, "/api/runs", (req, p) -> listRuns(req))
                .add(HttpMethod.POST, "/api/runs", (req, p) -> postRun(req))
                .add(HttpMethod.GET, "/api/runs/{id}", (req, p) -> getRun(req, p.get("id")))
                .add(HttpMethod.DELETE, "/api/runs/{id}", (req, p) -> deleteRun(req, p.get("id")))
                .add(HttpMethod.GET, "/api/runs/{id}/events", (req, p) -> events(req, p.get("id")))
                .add(HttpMethod.GET, "/api/schedules", (req, p) -> schedules(req))
                .add(HttpMethod.POST, "/api/schedules/{name}/run", (req, p) -> runSchedule(req, p.get("name")));
    }

    /** Marks abandoned runs, applies retention, arms schedules, listens. Completes with the bound port. */
    public Future<Integer> start() {
        return vertx.executeBlocking(() -> {
            List<String> abandoned = store.markAbandoned();
            if (!abandoned.isEmpty()) log.accept("history: " + abandoned.size() + " run(s) left running by a "
                    + "previous process marked interrupted: " + String.join(", ", abandoned));
            applyRetention();
            scheduler.start();
            return null;
        }, false).compose(v -> {
            server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                    .setMaxInitialLineLength(8192).setMaxHeaderSize(16 * 1024).setCompressionSupported(false)
                    // HTTP/1.1 only: SSE and the 413-then-close logic are simplest there, and browsers never use h2c
                    .setHttp2ClearTextEnabled(false));
            server.requestHandler(this::handle);
            return server.listen();
        }).map(s -> {
            retentionTimer = vertx.setPeriodic(Duration.ofHours(1).toMillis(),
                    id -> vertx.executeBlocking(() -> {
                        applyRetention();
                        return null;
                    }, false));
            log.accept("listening on http://" + config.host() + ":" + s.actualPort() + " (" + config.schedules().size()
                    + " schedule(s), history " + config.history().db() + ")");
            if (!isLoopback(config.host())) log.accept("WARNING: listening on " + config.host() + " without TLS; "
                    + "put a TLS reverse proxy in front so tokens never cross the network in clear text");
            return s.actualPort();
        });
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    /**
     * Graceful stop: no new runs, schedules disarmed, running runs given {@code shutdown_grace} then interrupted
     * and recorded, then the listener and remaining connections closed. The store and Vert.x belong to the caller.
     */
    public synchronized CompletableFuture<Void> close() {
        if (closed != null) return closed;
        closing = true;
        log.accept("shutting down");
        scheduler.stop();
        if (retentionTimer >= 0) vertx.cancelTimer(retentionTimer);
        closed = runs.shutdown(config.shutdownGrace()).thenCompose(v -> server == null
                ? CompletableFuture.completedFuture(null)
                : server.close().toCompletionStage().toCompletableFuture()).thenRun(() -> log.accept("stopped"));
        return closed;
    }

    // ------------------------------------------------------------------ dispatch, auth, helpers

    private void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        res.putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
        String path = req.path();
        HttpRouter.Match m = router.match(req.method(), path);
        if (m.status() == 404) {
            error(res, 404, "no such resource: " + path);
            return;
        }
        if (path.startsWith("/api/")) {
            boolean queryAllowed = m.status() == 200 && path.endsWith("/events");
            String authError = authenticate(req, queryAllowed);
            if (authError != null) {
                res.putHeader("WWW-Authenticate", "Bearer realm=\"fleet\""
                        + (authError.startsWith("invalid") ? ", error=\"invalid_token\"" : ""));
                error(res, 401, authError);
                return;
            }
        }
        if (m.status() == 405) {
            res.putHeader(HttpHeaders.ALLOW, String.join(", ", m.allowed()));
            error(res, 405, req.method().name() + " is not allowed on " + path + "; allowed: "
                    + String.join(", ", m.allowed()));
            return;
        }
        try {
            m.handler().handle(req, m.params());
        } catch (ApiError e) {
            error(res, e.status, e.getMessage());
        } catch (RuntimeException e) {
            log.accept("error handling " + req.method() + " " + path + ": " + e);
            error(res, 500, "internal error");
        }
    }

    /** Null when authorised, else the reason. Every configured token is compared, in constant time. */
    private String authenticate(HttpServerRequest req, boolean queryAllowed) {
        String token = null;
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            if (header.regionMatches(true, 0, "Bearer ", 0, 7)) token = header.substring(7).strip();
            else return "invalid authorization: expected 'Authorization: Bearer <token>'";
        } else if (queryAllowed) {
            token = req.getParam("access_token");
        }
        if (token == null || token.isEmpty()) return "missing bearer token (Authorization: Bearer <token>)";
        byte[] given = sha256(token.getBytes(StandardCharsets.UTF_8));
        boolean ok = false;
        for (byte[] t : tokenDigests) ok |= MessageDigest.isEqual(given, t);
        return ok ? null : "invalid token";
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void json(HttpServerResponse res, int status, Object body) {
        if (res.ended() || res.closed()) return;
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8").end(text);
    }

    static void error(HttpServerResponse res, int status, String message) {
        json(res, status, new JsonObject().put("error", message));
    }

    private void fail(HttpServerResponse res, Throwable t) {
        if (t instanceof ApiError e) {
            error(res, e.status, e.getMessage());
        } else {
            log.accept("internal error: " + t);
            error(res, 500, "internal error: " + t.getMessage());
        }
    }

    /** Reads the body up to limits.max_body_bytes; beyond it answers 413 and closes the connection. */
    private void body(HttpServerRequest req, Consumer<Buffer> then) {
        int max = config.maxBodyBytes();
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.strip()) > max) {
                    tooLarge(req, max);
                    return;
                }
            } catch (NumberFormatException e) {
                error(req.response(), 400, "bad Content-Length");
                return;
            }
        }
        String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type != null && !type.toLowerCase().contains("json")) {
            error(req.response(), 415, "Content-Type must be application/json");
            return;
        }
        Buffer buf = Buffer.buffer();
        boolean[] over = new boolean[1];
        req.handler(chunk -> {
            if (over[0]) return;
            if (buf.length() + chunk.length() > max) {
                over[0] = true;
                tooLarge(req, max);
            } else {
                buf.appendBuffer(chunk);
            }
        });
        req.exceptionHandler(e -> over[0] = true);
        req.endHandler(v -> {
            if (over[0]) return;
            try {
                then.accept(buf);
            } catch (ApiError e) {
                error(req.response(), e.status, e.getMessage());
            }
        });
    }

    private static void tooLarge(HttpServerRequest req, int max) {
        boolean http1 = req.version() != io.vertx.core.http.HttpVersion.HTTP_2;
        if (http1) req.response().putHeader(HttpHeaders.CONNECTION, "close");
        // the rest of the body is not read: the connection goes once the answer is out
        error(req.response(), 413, "request body larger than " + max + " bytes");
        if (http1) req.response().endHandler(v -> req.connection().close());
    }

    private static int intParam(HttpServerRequest req, String name, int dflt, int min, int max) {
        String v = req.getParam(name);
        if (v == null || v.isEmpty()) return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' must be an integer from " + min + " to " + max);
        }
    }

    // ------------------------------------------------------------------ routes

    private void dashboard(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                // the page is self-contained: no external scripts, styles, fonts or images, ever
                .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                        + "style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; "
                        + "form-action 'none'; frame-ancestors 'none'")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(dashboard);
    }

    private void postRun(HttpServerRequest req) {
        if (closing) {
            error(req.response(), 503, "fleet serve is shutting down");
            return;
        }
        body(req, buf -> {
            RunRequest request = RunRequest.parse(buf);
            vertx.executeBlocking(() -> runs.submit(request, "api", null), false).onComplete(ar -> {
                if (ar.failed()) {
                    fail(req.response(), ar.cause());
                    return;
                }
                ManagedRun run = ar.result();
                req.response().putHeader(HttpHeaders.LOCATION, RunJson.url(run.id));
                json(req.response(), 202, new JsonObject().put("id", run.id).put("url", RunJson.url(run.id))
                        .put("events_url", RunJson.url(run.id) + "/events").put("status", run.status()));
            });
        });
    }

    private void getRun(HttpServerRequest req, String id) {
        var live = runs.get(id);
        if (live.isPresent()) {
            json(req.response(), 200, RunJson.detail(live.get().detail()));
            return;
        }
        vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
            if (ar.failed()) fail(req.response(), ar.cause());
            else if (ar.result().isEmpty()) error(req.response(), 404, "no run " + id);
            else json(req.response(), 200, RunJson.detail(RunJson.fromStored(ar.result().get())));
        });
    }

    private void deleteRun(HttpServerRequest req, String id) {
        var live = runs.get(id);
        if (live.isEmpty()) {
            vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
                if (ar.failed()) fail(req.response(), ar.cause());
                else if (ar.result().isEmpty()) error(req.response(), 404, "no run " + id);
                else error(req.response(), 409, "run " + id + " already finished");
            });
            return;
        }
        ManagedRun run = live.get();
        if (!runs.cancel(run, "cancelled")) {
            json(req.response(), 409, new JsonObject().put("error", "run " + id + " already finished")
                    .put("status", run.status()));
            return;
        }
        json(req.response(), 202, new JsonObject().put("id", id).put("url", RunJson.url(id))
                .put("status", "cancelling"));
    }

    private void listRuns(HttpServerRequest req) {
        int limit = intParam(req, "limit", 20, 1, 500);
        int offset = intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
        String trigger = req.getParam("trigger");
        vertx.executeBlocking(() -> {
            List<RunSummary> page;
            if (trigger == null || trigger.isEmpty()) {
                page = store.recent(limit, offset);
            } else { // filtered: scan the history page by page
                page = new ArrayList<>();
                int skipped = 0;
                for (int o = 0; o < 20_000 && page.size() < limit; o += 500) {
                    List<RunSummary> batch = store.recent(500, o);
                    for (RunSummary r : batch) {
                        if (r.meta() == null || !trigger.equals(r.meta().trigger())) continue;
                        if (skipped++ < offset) continue;
                        if (page.size() < limit) page.add(r);
                    }
                    if (batch.size() < 500) break;
                }
            }
            JsonArray out = new JsonArray();
            for (RunSummary s : page) {
                var live = runs.get(s.id());
                out.add(live.isPresent() ? live.get().summaryJson() : RunJson.summary(s, null));
            }
            return new JsonObject().put("runs", out).put("limit", limit).put("offset", offset);
        }, false).onComplete(ar -> {
            if (ar.failed()) fail(req.response(), ar.cause());
            else json(req.response(), 200, ar.result());
        });
    }

    private void schedules(HttpServerRequest req) {
        int trend = intParam(req, "trend", 30, 0, 500);
        vertx.executeBlocking(() -> new JsonObject().put("schedules", scheduler.toJson(trend)), false)
                .onComplete(ar -> {
                    if (ar.failed()) fail(req.response(), ar.cause());
                    else json(req.response(), 200, ar.result());
                });
    }

    private void runSchedule(HttpServerRequest req, String name) {
        var entry = scheduler.entry(name).orElseThrow(() -> ApiError.notFound("no schedule " + name));
        if (closing) throw new ApiError(503, "fleet serve is shutting down");
        scheduler.trigger(entry, "requested through the API").onComplete(ar -> {
            if (ar.failed()) fail(req.response(), ar.cause());
            else json(req.response(), 202, new JsonObject().put("id", ar.result()).put("url", RunJson.url(ar.result()))
                    .put("schedule", name));
        });
    }

    /**
     * Server-Sent Events: every event so far (or after {@code Last-Event-ID}), then live ones, then
     * {@code event: end}. A run known only to the history gets its summary and {@code end}.
     */
    private void events(HttpServerRequest req, String id) {
        HttpServerResponse res = req.response();
        var live = runs.get(id);
        if (live.isEmpty()) {
            vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
                if (ar.failed()) {
                    fail(res, ar.cause());
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
            keepAlive[0] = vertx.setPeriodic(15_000, t -> {
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

    // ------------------------------------------------------------------ misc

    private void applyRetention() {
        var r = config.history().retention();
        if (r.maxRuns() == null && r.maxAge() == null) return;
        int n = store.applyRetention(r);
        if (n > 0) log.accept("history: " + n + " old run(s) deleted by retention");
    }

    private static Buffer loadDashboard() {
        try (InputStream in = FleetServer.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) return Buffer.buffer("<!doctype html><title>fleet</title><p>dashboard not bundled");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dashboard: " + e.getMessage(), e);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /** The scheduler, for tests: {@code scheduler().trigger(entry, ...)} fires a schedule now. */
    Scheduler scheduler() {
        return scheduler;
    }

    RunManager runs() {
        return runs;
    }

    Map<String, String> info() {
        return Map.of("host", config.host(), "port", String.valueOf(port()));
    }
}
