package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.error;
import static dev.fleet.serve.HttpResponses.json;

import dev.fleet.history.RunStore;
import dev.fleet.history.RunSummary;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code /api/runs}: start a run, list runs, show one, cancel one. A run still going is answered from the
 * {@link RunManager}, a finished one from the history; history access runs off the event loop.
 */
final class RunHandlers {
    /** How far a trigger-filtered listing scans the history, and in pages of how many. */
    private static final int FILTER_SCAN_MAX = 20_000;
    private static final int FILTER_SCAN_PAGE = 500;

    private final Vertx vertx;
    private final RunManager runs;
    private final RunStore store;
    private final int maxBodyBytes;
    private final BooleanSupplier closing;
    private final Consumer<String> log;

    RunHandlers(Vertx vertx, RunManager runs, RunStore store, int maxBodyBytes, BooleanSupplier closing,
                Consumer<String> log) {
        this.vertx = vertx;
        this.runs = runs;
        this.store = store;
        this.maxBodyBytes = maxBodyBytes;
        this.closing = closing;
        this.log = log;
    }

    void post(HttpServerRequest req) {
        if (closing.getAsBoolean()) {
            error(req.response(), 503, "fleet serve is shutting down");
            return;
        }
        RequestLimits.body(req, maxBodyBytes, buf -> {
            RunRequest request = RunRequest.parse(buf);
            vertx.executeBlocking(() -> runs.submit(request, "api", null), false).onComplete(ar -> {
                if (ar.failed()) {
                    HttpResponses.fail(req.response(), ar.cause(), log);
                    return;
                }
                ManagedRun run = ar.result();
                req.response().putHeader(HttpHeaders.LOCATION, RunJson.url(run.id));
                json(req.response(), 202, new JsonObject().put("id", run.id).put("url", RunJson.url(run.id))
                        .put("events_url", RunJson.url(run.id) + "/events").put("status", run.status()));
            });
        });
    }

    void get(HttpServerRequest req, String id) {
        var live = runs.get(id);
        if (live.isPresent()) {
            JsonObject detail = RunJson.detail(live.get().detail());
            String historyError = live.get().historyError();
            json(req.response(), 200, historyError == null ? detail : detail.put("history_error", historyError));
            return;
        }
        vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
            if (ar.failed()) HttpResponses.fail(req.response(), ar.cause(), log);
            else if (ar.result().isEmpty()) error(req.response(), 404, "no run " + id);
            else json(req.response(), 200, RunJson.detail(RunJson.fromStored(ar.result().get())));
        });
    }

    void delete(HttpServerRequest req, String id) {
        var live = runs.get(id);
        if (live.isEmpty()) {
            vertx.executeBlocking(() -> store.find(id), false).onComplete(ar -> {
                if (ar.failed()) HttpResponses.fail(req.response(), ar.cause(), log);
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

    void list(HttpServerRequest req) {
        int limit = RequestLimits.intParam(req, "limit", 20, 1, 500);
        int offset = RequestLimits.intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
        String trigger = req.getParam("trigger");
        vertx.executeBlocking(() -> {
            List<RunSummary> page = trigger == null || trigger.isEmpty() ? store.recent(limit, offset)
                    : withTrigger(trigger, limit, offset);
            JsonArray out = new JsonArray();
            for (RunSummary s : page) {
                var live = runs.get(s.id());
                out.add(live.isPresent() ? live.get().summaryJson() : RunJson.summary(s, null));
            }
            return new JsonObject().put("runs", out).put("limit", limit).put("offset", offset);
        }, false).onComplete(ar -> {
            if (ar.failed()) HttpResponses.fail(req.response(), ar.cause(), log);
            else json(req.response(), 200, ar.result());
        });
    }

    /** The store cannot filter by trigger, so this scans the history page by page (blocking). */
    private List<RunSummary> withTrigger(String trigger, int limit, int offset) {
        List<RunSummary> page = new ArrayList<>();
        int skipped = 0;
        for (int o = 0; o < FILTER_SCAN_MAX && page.size() < limit; o += FILTER_SCAN_PAGE) {
            List<RunSummary> batch = store.recent(FILTER_SCAN_PAGE, o);
            for (RunSummary r : batch) {
                if (r.meta() == null || !trigger.equals(r.meta().trigger())) continue;
                if (skipped++ < offset) continue;
                if (page.size() < limit) page.add(r);
            }
            if (batch.size() < FILTER_SCAN_PAGE) break;
        }
        return page;
    }
}
