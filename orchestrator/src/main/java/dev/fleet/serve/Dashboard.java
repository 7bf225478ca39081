package dev.fleet.serve;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.io.InputStream;

/** {@code GET /}: the bundled single-page dashboard, read once at start. */
final class Dashboard {
    private final Buffer page = load();

    void handle(HttpServerRequest req) {
        req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                // the page is self-contained: no external scripts, styles, fonts or images, ever
                .putHeader("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; "
                        + "style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; "
                        + "form-action 'none'; frame-ancestors 'none'")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(page);
    }

    private static Buffer load() {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/index.html")) {
            if (in == null) return Buffer.buffer("<!doctype html><title>fleet</title><p>dashboard not bundled");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the dashboard: " + e.getMessage(), e);
        }
    }
}
