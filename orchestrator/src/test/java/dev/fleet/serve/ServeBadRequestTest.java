package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad request, written byte by byte on a raw socket (an HTTP client would normalise or refuse to
 * send most of them), each checked for its status. Nothing here reaches a host.
 */
class ServeBadRequestTest {
    static final String RUN = "run-token-0123456789abcdef";
    static final String READ = "read-token-0123456789abcdef";
    static final String OK_BODY = "{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\"}";

    @TempDir
    Path dir;
    ServeHarness s;

    @BeforeEach
    void start() throws Exception {
        Path root = ServeHarness.emptyRunRoot(dir.resolve("srv"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.yml"), "- hosts: all\n  tasks: []\n");
        Files.createSymbolicLink(root.resolve("playbooks/linkdir"), outside);
        s = new ServeHarness(root, new MemoryRunStore(), """
                listen: {host: 127.0.0.1, port: 0}
                tokens:
                  - {name: ops, env: RUN_TOKEN, scope: run}
                  - {name: viewer, env: READ_TOKEN, scope: read}
                """, "", Map.of("RUN_TOKEN", RUN, "READ_TOKEN", READ), null);
        s.client.token = RUN;
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) s.close();
    }

    /** A request line, headers (Host and Connection: close added) and a body, as raw bytes. */
    record Raw(String what, String requestLine, List<String> headers, byte[] body, int status) {
        Raw(String what, String requestLine, String token, String contentType, String body, int status) {
            this(what, requestLine, headers(token, contentType, body), body == null ? null
                    : body.getBytes(StandardCharsets.UTF_8), status);
        }

        static List<String> headers(String token, String contentType, String body) {
            List<String> h = new ArrayList<>();
            if (token != null) h.add("Authorization: Bearer " + token);
            if (contentType != null) h.add("Content-Type: " + contentType);
            if (body != null) h.add("Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length);
            return h;
        }
    }

    /**
     * Sends one raw request and returns the status of the answer, -1 if the server answered none, -2 if it did
     * not close the connection (every request says {@code Connection: close}; a 413 must close it unread).
     */
    int send(Raw r) throws Exception {
        String head = head(r);
        try (Socket socket = new Socket("127.0.0.1", s.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (r.body() != null) out.write(r.body());
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; got.size() < 1 << 20 && (n = socket.getInputStream().read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                return -2;
            } catch (SocketException e) {
                // a reset after the answer (413 closes without reading the rest) still leaves the answer read
            }
            String answer = got.toString(StandardCharsets.ISO_8859_1);
            if (!answer.startsWith("HTTP/1.")) return -1;
            int status = Integer.parseInt(answer.substring(9, 12));
            if (status >= 400 && status != 431 && status != 414 && answer.contains("\r\n\r\n")
                    && !answer.contains("Content-Length: 0\r\n")) {
                // fleet's own refusals are JSON {"error": ...}
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                if (answer.contains("application/json")) assertThat(new JsonObject(body).getString("error"))
                        .as(r.what()).isNotBlank();
            }
            return status;
        }
    }

    static String head(Raw r) {
        StringBuilder b = new StringBuilder(r.requestLine()).append("\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        for (String h : r.headers()) b.append(h).append("\r\n");
        return b.append("\r\n").toString();
    }

    @Test
    void everyBadRequestGetsItsStatus() throws Exception {
        String big = "{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"extra_vars\": {\"x\": \""
                + "a".repeat(10_000) + "\"}}";
        String deep = "[".repeat(2000) + "]".repeat(2000);
        List<Raw> cases = List.of(
                // the body
                new Raw("bad JSON", "POST /api/runs HTTP/1.1", RUN, "application/json", "{not json", 400),
                new Raw("JSON nested 2000 deep", "POST /api/runs HTTP/1.1", RUN, "application/json", deep, 400),
                new Raw("trailing garbage", "POST /api/runs HTTP/1.1", RUN, "application/json", OK_BODY + " x", 400),
                new Raw("not UTF-8", "POST /api/runs HTTP/1.1", headersFor(RUN, 4),
                        new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}, 400),
                new Raw("text/plain", "POST /api/runs HTTP/1.1", RUN, "text/plain", OK_BODY, 415),
                new Raw("form", "POST /api/runs HTTP/1.1", RUN, "application/x-www-form-urlencoded", OK_BODY, 415),
                new Raw("json only in a parameter", "POST /api/runs HTTP/1.1", RUN, "text/plain; x=json", OK_BODY,
                        415),
                new Raw("body over the limit", "POST /api/runs HTTP/1.1", RUN, "application/json", big, 413),
                new Raw("Content-Length over the limit, body not sent", "POST /api/runs HTTP/1.1",
                        List.of("Authorization: Bearer " + RUN, "Content-Type: application/json",
                                "Content-Length: 100000000"), null, 413),
                new Raw("chunked over the limit", "POST /api/runs HTTP/1.1",
                        List.of("Authorization: Bearer " + RUN, "Content-Type: application/json",
                                "Transfer-Encoding: chunked"), chunked(big), 413),
                new Raw("two Content-Lengths", "POST /api/runs HTTP/1.1", List.of("Authorization: Bearer " + RUN,
                        "Content-Type: application/json", "Content-Length: 5", "Content-Length: 46"),
                        OK_BODY.getBytes(StandardCharsets.UTF_8), 400),
                new Raw("Content-Length not a number", "POST /api/runs HTTP/1.1", List.of("Authorization: Bearer "
                        + RUN, "Content-Type: application/json", "Content-Length: 4x"), "{}}}".getBytes(), 400),
                // files named in the body
                new Raw("%2e%2e in a playbook name", "POST /api/runs HTTP/1.1", RUN, "application/json",
                        "{\"playbook\": \"%2e%2e/outside/secret.yml\", \"inventory\": \"lab.ini\"}", 400),
                new Raw("a symlinked directory leading outside", "POST /api/runs HTTP/1.1", RUN, "application/json",
                        "{\"playbook\": \"linkdir/secret.yml\", \"inventory\": \"lab.ini\"}", 403),
                new Raw("JSON-escaped NUL", "POST /api/runs HTTP/1.1", RUN, "application/json",
                        "{\"playbook\": \"ok.yml\\u0000/../x\", \"inventory\": \"lab.ini\"}", 400),
                // the path
                new Raw("..", "GET /api/runs/.. HTTP/1.1", RUN, null, null, 404),
                new Raw(".. to another route", "GET /api/runs/../schedules HTTP/1.1", RUN, null, null, 404),
                new Raw("%2e%2e", "GET /api/runs/%2e%2e/%2e%2e/etc/passwd HTTP/1.1", RUN, null, null, 404),
                new Raw("%2f", "GET /api/runs/x%2f..%2f..%2fschedules HTTP/1.1", RUN, null, null, 404),
                new Raw("%00", "GET /api/runs/ok.yml%00 HTTP/1.1", RUN, null, null, 404),
                new Raw("raw NUL", "GET /api/runs/a\0b HTTP/1.1", RUN, null, null, 400),
                new Raw(".. above the root", "GET /../../etc/passwd HTTP/1.1", null, null, null, 404),
                new Raw("a request line over 8 KiB", "GET /api/runs/" + "a".repeat(9000) + " HTTP/1.1", RUN, null,
                        null, 414),
                new Raw("headers over 16 KiB", "GET /api/runs HTTP/1.1", List.of("Authorization: Bearer " + RUN,
                        "X-Junk: " + "j".repeat(20_000)), null, 431),
                new Raw("not HTTP", "HELLO", null, null, null, 400),
                // routes and methods
                new Raw("unknown route", "GET /api/nothing HTTP/1.1", RUN, null, null, 404),
                new Raw("unknown route, no token", "GET /etc/passwd HTTP/1.1", null, null, null, 404),
                new Raw("wrong method", "PUT /api/runs HTTP/1.1", RUN, "application/json", OK_BODY, 405),
                new Raw("wrong method on a run", "PATCH /api/runs/x HTTP/1.1", RUN, null, null, 405),
                new Raw("TRACE", "TRACE / HTTP/1.1", null, null, null, 405),
                // tokens
                new Raw("no token", "POST /api/runs HTTP/1.1", null, "application/json", OK_BODY, 401),
                new Raw("bad token", "POST /api/runs HTTP/1.1", "x" + RUN, "application/json", OK_BODY, 401),
                new Raw("Basic instead of Bearer", "GET /api/runs HTTP/1.1", List.of("Authorization: Basic "
                        + "b3BzOnB3"), null, 401),
                new Raw("empty bearer", "GET /api/runs HTTP/1.1", List.of("Authorization: Bearer "), null, 401),
                new Raw("token in the query of a non-SSE route", "GET /api/runs?access_token=" + RUN + " HTTP/1.1",
                        null, null, null, 401),
                new Raw("read token on POST", "POST /api/runs HTTP/1.1", READ, "application/json", OK_BODY, 403),
                new Raw("read token on DELETE", "DELETE /api/runs/x HTTP/1.1", READ, null, null, 403),
                // and what is fine stays fine
                new Raw("good request", "POST /api/runs HTTP/1.1", RUN, "application/json; charset=utf-8", OK_BODY,
                        202),
                new Raw("no Content-Type", "POST /api/runs HTTP/1.1", RUN, null, OK_BODY, 202));
        List<String> wrong = new ArrayList<>();
        for (Raw r : cases) {
            int status = send(r);
            if (status != r.status()) wrong.add(r.what() + ": expected " + r.status() + ", got " + status);
        }
        assertThat(wrong).isEmpty();
        assertThat(s.get("/healthz").statusCode()).isEqualTo(200); // still serving
        assertThat(s.log).noneMatch(l -> l.contains("internal error") || l.contains("error handling"));
    }

    static List<String> headersFor(String token, int length) {
        return List.of("Authorization: Bearer " + token, "Content-Type: application/json", "Content-Length: "
                + length);
    }

    static byte[] chunked(String body) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < body.length(); i += 1000) {
            String part = body.substring(i, Math.min(body.length(), i + 1000));
            b.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
        }
        return b.append("0\r\n\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }
}
