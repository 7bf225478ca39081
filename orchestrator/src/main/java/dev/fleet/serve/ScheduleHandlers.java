package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.json;

import dev.fleet.history.RunStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** {@code /api/schedules}: list the schedules with their recent trend, fire one now, a schedule's fleet health. */
final class ScheduleHandlers {
    private final Vertx vertx;
    private final Scheduler scheduler;
    private final RunManager runs;
    private final RunStore store;
    private final BooleanSupplier closing;
    private final Consumer<String> log;

    ScheduleHandlers(Vertx vertx, Scheduler scheduler, RunManager runs, RunStore store, BooleanSupplier closing,
                     Consumer<String> log) {
        this.vertx = vertx;
        this.scheduler = scheduler;
        this.runs = runs;
        this.store = store;
        this.closing = closing;
        this.log = log;
    }

    void list(HttpServerRequest req) {
        int trend = RequestLimits.intParam(req, "trend", 30, 0, 500);
        vertx.executeBlocking(() -> new JsonObject().put("schedules", scheduler.toJson(trend)), false)
                .onComplete(ar -> {
                    if (ar.failed()) HttpResponses.fail(req.response(), ar.cause(), log);
                    else json(req.response(), 200, ar.result());
                });
    }

    void run(HttpServerRequest req, String name) {
        var entry = scheduler.entry(name).orElseThrow(() -> ApiError.notFound("no schedule " + name));
        if (closing.getAsBoolean()) throw new ApiError(503, "fleet serve is shutting down");
        scheduler.trigger(entry, "requested through the API").onComplete(ar -> {
            if (ar.failed()) {
                HttpResponses.fail(req.response(), ar.cause(), log);
                return;
            }
            String url = RunJson.url(ar.result());
            req.response().putHeader(HttpHeaders.LOCATION, url);
            json(req.response(), 202, new JsonObject().put("id", ar.result()).put("url", url).put("schedule", name));
        });
    }

    /** {@code GET /api/schedules/{name}/health?runs=N&hosts=M}: see {@link FleetHealth}. */
    void health(HttpServerRequest req, String name) {
        var entry = scheduler.entry(name).orElseThrow(() -> ApiError.notFound("no schedule " + name));
        int n = RequestLimits.intParam(req, "runs", FleetHealth.DEFAULT_RUNS, 1, FleetHealth.MAX_RUNS);
        int maxHosts = RequestLimits.intParam(req, "hosts", FleetHealth.DEFAULT_HOSTS, 1, FleetHealth.MAX_HOSTS);
        String trigger = entry.schedule.trigger();
        vertx.executeBlocking(() -> FleetHealth.json(name, store.outcomes(trigger, n), maxHosts,
                id -> runs.get(id).map(ManagedRun::status)), false).onComplete(ar -> {
                    if (ar.failed()) HttpResponses.fail(req.response(), ar.cause(), log);
                    else json(req.response(), 200, ar.result());
                });
    }
}
