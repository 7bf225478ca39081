package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.error;
import static dev.fleet.serve.HttpResponses.json;

import dev.fleet.engine.RunOptions;
import dev.fleet.history.RunStore;
import dev.fleet.serve.ApiToken.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@code fleet serve}: the HTTP API, the dashboard and the schedules, on vertx-core alone. Request handling stays
 * on the event loop; parsing, file system checks and history access run through {@code executeBlocking}.
 *
 * <p>This class wires the parts and dispatches: {@link BearerAuth} guards every {@code /api} route,
 * {@link RunHandlers}, {@link ScheduleHandlers} and {@link EventStreamHandler} answer them, {@link HistoryUpkeep}
 * tends the history, {@link AuditLog} records who did what. The SSE route {@code /api/runs/{id}/events} also takes
 * {@code ?access_token=<token>}, because browsers' EventSource cannot send headers; nothing logs a query string.
 */
public final class FleetServer {
    private final Vertx vertx;
    private final ServeConfig config;
    private final Consumer<String> log;
    private final BearerAuth auth;
    private final AuditLog audit;
    private final RunManager runs;
    private final Scheduler scheduler;
    private final HistoryUpkeep upkeep;
    private final HttpRouter router = new HttpRouter();
    private HttpServer server;
    private volatile boolean closing;
    private CompletableFuture<Void> closed;

    public FleetServer(Vertx vertx, ServeConfig config, RunStore store, Consumer<String> log) {
        this.vertx = vertx;
        this.config = config;
        this.log = log;
        this.auth = new BearerAuth(config.tokens());
        this.audit = new AuditLog(store, log);
        store.onWarning(line -> log.accept("history: WARNING: " + line));
        String become = System.getenv("FLEET_BECOME_PASS");
        this.runs = new RunManager(vertx, config, store, log,
                become == null || become.isEmpty() ? null : new RunOptions.Secret(become));
        this.scheduler = new Scheduler(vertx, runs, store, config.schedules(), log);
        this.upkeep = new HistoryUpkeep(vertx, store, config.history().retention(), log);
        Dashboard dashboard = new Dashboard();
        RunHandlers runApi = new RunHandlers(vertx, runs, store, config.maxBodyBytes(), () -> closing, log);
        ScheduleHandlers scheduleApi = new ScheduleHandlers(vertx, scheduler, runs, store, () -> closing, log);
        EventStreamHandler events = new EventStreamHandler(vertx, runs, store, config.sseStallTimeout(), log);
        router.add(HttpMethod.GET, "/", (req, p) -> dashboard.handle(req))
                .add(HttpMethod.GET, "/healthz", (req, p) -> json(req.response(), 200, new JsonObject()
                        .put("status", closing ? "stopping" : "ok")))
                .add(HttpMethod.GET, "/api/runs", "runs.list", Scope.READ, (req, p) -> runApi.list(req))
                .add(HttpMethod.POST, "/api/runs", "run.start", Scope.RUN, (req, p) -> runApi.post(req))
                .add(HttpMethod.GET, "/api/runs/{id}", "run.show", Scope.READ, (req, p) -> runApi.get(req, p.get("id")))
                .add(HttpMethod.DELETE, "/api/runs/{id}", "run.cancel", Scope.RUN,
                        (req, p) -> runApi.delete(req, p.get("id")))
                .add(HttpMethod.GET, "/api/runs/{id}/events", "run.events", Scope.READ,
                        (req, p) -> events.handle(req, p.get("id")))
                .add(HttpMethod.GET, "/api/schedules", "schedules.list", Scope.READ, (req, p) -> scheduleApi.list(req))
                .add(HttpMethod.POST, "/api/schedules/{name}/run", "schedule.run", Scope.RUN,
                        (req, p) -> scheduleApi.run(req, p.get("name")))
                .add(HttpMethod.GET, "/api/schedules/{name}/health", "schedule.health", Scope.READ,
                        (req, p) -> scheduleApi.health(req, p.get("name")));
    }

    /**
     * Marks abandoned runs, applies retention, joins the cluster of a {@code cluster:} section, arms schedules,
     * listens. Completes with the bound port, or fails with why not (having left the cluster again).
     */
    public Future<Integer> start() {
        return vertx.executeBlocking(() -> {
            upkeep.onStart();
            runs.launcher.open(); // a cluster's coordinator joins it here: a serve that cannot, does not start
            scheduler.start();
            return null;
        }, false).compose(v -> {
            HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port())
                    .setMaxInitialLineLength(8192).setMaxHeaderSize(16 * 1024).setCompressionSupported(false)
                    // HTTP/1.1 only: SSE and the 413-then-close logic are simplest there, and browsers never use h2c
                    .setHttp2ClearTextEnabled(false);
            if (config.tls() != null) {
                options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                        .setCertPath(config.tls().cert().toString()).setKeyPath(config.tls().key().toString()));
            }
            server = vertx.createHttpServer(options);
            server.requestHandler(this::handle);
            return server.listen();
        }).map(s -> {
            upkeep.arm();
            log.accept("listening on " + (config.tls() != null ? "https" : "http") + "://" + config.host() + ":"
                    + s.actualPort() + " (" + config.schedules().size()
                    + " schedule(s), history " + config.history().db() + ", " + runs.launcher.describe() + ")");
            if (config.tls() == null && !ListenChecks.isLoopback(config.host())) log.accept("WARNING: listening on "
                    + config.host() + " without TLS (listen.allow_plain_http); only a TLS-terminating proxy on this "
                    + "host should reach it, so tokens never cross the network in clear text");
            return s.actualPort();
        }).recover(e -> vertx.executeBlocking(() -> {
            runs.launcher.close(); // a serve that does not start leaves the cluster it may have joined
            return null;
        }, false).transform(v -> Future.failedFuture(e)));
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
        upkeep.disarm();
        // the runs are closed on their workers as they end; then the coordinator leaves the cluster
        closed = runs.shutdown(config.shutdownGrace()).thenRun(runs.launcher::close).thenCompose(v -> server == null
                ? CompletableFuture.completedFuture(null)
                : server.close().toCompletionStage().toCompletableFuture()).thenRun(() -> log.accept("stopped"));
        return closed;
    }

    /**
     * Route lookup (404), authentication of {@code /api} (401), method check (405), the token's scope (403), then
     * the handler; every {@code /api} request is followed by the {@link AuditLog}.
     */
    private void handle(HttpServerRequest req) {
        HttpServerResponse res = req.response();
        res.putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store");
        String path = req.path();
        if (hasControlCharacter(path)) { // a raw NUL, CR, ... that the HTTP decoder let through
            error(res, 400, "the request path holds control characters");
            return;
        }
        HttpRouter.Match m = router.match(req.method(), path);
        if (m.status() == 404) {
            error(res, 404, "no such resource: " + path);
            return;
        }
        BearerAuth.Caller caller = null;
        AuditLog.Entry entry = null;
        if (path.startsWith("/api/")) {
            entry = audit.follow(req, m.action(), m.scope() == Scope.RUN, m.params());
            boolean queryAllowed = m.status() == 200 && "run.events".equals(m.action());
            switch (auth.authenticate(req, queryAllowed)) {
                case BearerAuth.Refused r -> {
                    entry.refused(r.reason());
                    res.putHeader("WWW-Authenticate", BearerAuth.challenge(r.reason()));
                    error(res, 401, r.reason());
                    return;
                }
                case BearerAuth.Granted g -> caller = g.caller();
            }
            entry.caller(caller.name());
        }
        if (m.status() == 405) {
            String allowed = String.join(", ", m.allowed());
            if (entry != null) entry.refused("method not allowed");
            res.putHeader(HttpHeaders.ALLOW, allowed);
            error(res, 405, req.method().name() + " is not allowed on " + path + "; allowed: " + allowed);
            return;
        }
        if (caller != null && m.scope() != null && !caller.scope().allows(m.scope())) {
            String why = "token '" + caller.name() + "' has scope " + caller.scope().label() + "; "
                    + m.action() + " needs scope " + m.scope().label();
            entry.refused("scope " + caller.scope().label() + " does not allow " + m.action());
            error(res, 403, why);
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

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }

    RunManager runs() {
        return runs;
    }
}
