package dev.fleet.serve;

import static dev.fleet.serve.HttpResponses.error;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;
import java.util.function.Consumer;

/** What a request may carry: a JSON body up to {@code limits.max_body_bytes}, integer parameters within a range. */
final class RequestLimits {
    private RequestLimits() {}

    /** Reads the body up to {@code max} bytes, then hands it on; beyond it answers 413 and closes the connection. */
    static void body(HttpServerRequest req, int max, Consumer<Buffer> then) {
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
        if (type != null && !isJson(type)) {
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

    /** {@code application/json} or {@code application/<anything>+json}, parameters (charset) aside. */
    static boolean isJson(String contentType) {
        int semi = contentType.indexOf(';');
        String media = (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
    }

    private static void tooLarge(HttpServerRequest req, int max) {
        boolean http1 = req.version() != HttpVersion.HTTP_2;
        if (http1) req.response().putHeader(HttpHeaders.CONNECTION, "close");
        // the rest of the body is not read: the connection goes once the answer is out
        error(req.response(), 413, "request body larger than " + max + " bytes").onComplete(v -> {
            if (http1) req.connection().close();
        });
    }

    /** The query parameter {@code name} as an integer from {@code min} to {@code max}; {@code dflt} if absent. */
    static int intParam(HttpServerRequest req, String name, int dflt, int min, int max) {
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
}
