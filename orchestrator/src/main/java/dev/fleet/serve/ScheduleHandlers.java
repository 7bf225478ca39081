package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.json;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** {@code /api/schedules}: list the schedules with their recent trend, fire one now. */
final class ScheduleHandlers {
    private final Vertx vertx;
    private final Scheduler scheduler;
    private final BooleanSupplier closing;
    private final Consumer<String> log;

    ScheduleHandlers(Vertx vertx, Scheduler scheduler, BooleanSupplier closing, Consumer<String> log) {
        this.vertx = vertx;
        this.scheduler = scheduler;
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
}
