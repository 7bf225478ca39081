package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** An HTTP(S) client for a fleet serve on 127.0.0.1:{@code port}; {@link #token} is what get/post send. */
final class ServeClient {
    final int port;
    final String scheme;
    final HttpClient http;
    String token = ServeHarness.TOKEN;

    /** Plain HTTP. */
    ServeClient(int port) {
        this(port, "http", HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    ServeClient(int port, String scheme, HttpClient http) {
        this.port = port;
        this.scheme = scheme;
        this.http = http;
    }

    URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    HttpResponse<String> send(String method, String path, String body, String token) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null, token);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body, token);
    }

    /** POST /api/runs of {@code playbook} on lab.ini; asserts 202 and returns the run id. */
    String submit(String playbook) throws Exception {
        HttpResponse<String> r = post("/api/runs", "{\"playbook\": \"" + playbook + "\", \"inventory\": \"lab.ini\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return new JsonObject(r.body()).getString("id");
    }

    /** Polls GET /api/runs/{id} until the predicate holds (or fails after the timeout). */
    JsonObject poll(String id, Predicate<JsonObject> until, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get("/api/runs/" + id);
            if (r.statusCode() == 200) {
                last = new JsonObject(r.body());
                if (until.test(last)) return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + id + " did not reach the state in time; last: " + last);
    }
}
