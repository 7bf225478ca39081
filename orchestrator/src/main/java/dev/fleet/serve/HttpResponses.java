package dev.fleet.serve;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/** JSON answers, errors as {@code {"error": ...}}; a response already ended or closed is left alone. */
final class HttpResponses {
    private HttpResponses() {}

    /** Completes once the answer is written (at once if the response was already ended or closed). */
    static Future<Void> json(HttpServerResponse res, int status, Object body) {
        if (res.ended() || res.closed()) return Future.succeededFuture();
        String text = body instanceof JsonObject o ? o.encode() : ((JsonArray) body).encode();
        return res.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                .end(text);
    }

    static Future<Void> error(HttpServerResponse res, int status, String message) {
        return json(res, status, new JsonObject().put("error", message));
    }

    /** Answers a failed blocking step: an {@link ApiError} as itself, anything else logged and as 500. */
    static void fail(HttpServerResponse res, Throwable t, Consumer<String> log) {
        if (t instanceof ApiError e) {
            // 429: the run queue is full; a client that honours Retry-After comes back once runs moved on
            if (e.status == 429 && !res.headWritten()) res.putHeader("Retry-After", "10");
            error(res, e.status, e.getMessage());
        } else {
            log.accept("internal error: " + t);
            error(res, 500, "internal error: " + t.getMessage());
        }
    }
}
