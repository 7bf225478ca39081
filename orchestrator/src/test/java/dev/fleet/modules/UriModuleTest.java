package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** uri: curl on a real sshd host (this machine) against a small HTTP server started by the test. */
class UriModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();
    static HttpServer http;
    static String base;
    static final Map<String, String> lastRequest = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(!ModuleLab.local("sh", "-c", "command -v curl").isEmpty(), "curl not installed");
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        http.createContext("/ok", ex -> reply(ex, 200, "text/plain", "ok from test"));
        http.createContext("/bad", ex -> reply(ex, 502, "text/html",
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"));
        http.createContext("/json", ex -> reply(ex, 200, "application/json; charset=utf-8",
                "{\"status\": \"up\", \"workers\": [1, 2], \"load\": {\"busy\": 3}}"));
        http.createContext("/echo", ex -> {
            lastRequest.put("method", ex.getRequestMethod());
            lastRequest.put("body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastRequest.put("x-token", String.valueOf(ex.getRequestHeaders().getFirst("X-Token")));
            lastRequest.put("content-type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            reply(ex, 201, "text/plain", "created");
        });
        http.createContext("/auth", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            lastRequest.put("auth-body", new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (auth == null) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"test\"");
                reply(ex, 401, "text/plain", "who are you");
            } else {
                reply(ex, 200, "text/plain", new String(java.util.Base64.getDecoder().decode(auth.substring(6)),
                        StandardCharsets.UTF_8));
            }
        });
        http.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/ok");
            reply(ex, 302, "text/plain", "");
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("X-Served-By", "fleet-test");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    static void stop() {
        if (http != null) http.stop(0);
    }

    private static TaskOutcome run(Map<String, Object> args) throws Exception {
        return host.run(new UriModule(), args);
    }

    @Test
    void okStatusWithContent() throws Exception {
        TaskOutcome o = run(Map.of("url", base + "/ok", "return_content", true));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("status", 200).containsEntry("content", "ok from test")
                .containsEntry("url", base + "/ok").containsEntry("redirected", false)
                .containsEntry("x_served_by", "fleet-test").containsKey("elapsed");
        assertThat(run(Map.of("url", base + "/ok")).data()).doesNotContainKey("content");
    }

    @Test
    void badStatusFailsLikeAnsible() throws Exception {
        TaskOutcome o = run(Map.of("url", base + "/bad"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Status code was 502 and not [200]: HTTP Error 502").contains("Bad Gateway");
        assertThat(o.data()).containsEntry("status", 502);
        TaskOutcome accepted = run(Map.of("url", base + "/bad", "status_code", List.of(200, 502)));
        assertThat(accepted.status()).isEqualTo(TaskStatus.OK);
        assertThat(run(Map.of("url", base + "/bad", "status_code", "502")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonContentIsParsed() throws Exception {
        TaskOutcome o = run(Map.of("url", base + "/json"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        Map<String, Object> json = (Map<String, Object>) o.data().get("json");
        assertThat(json).containsEntry("status", "up").containsEntry("workers", List.of(1, 2))
                .containsEntry("load", Map.of("busy", 3));
    }

    @Test
    void bodyAndHeadersAreSentVerbatim() throws Exception {
        String nasty = "it's $(touch /tmp/pwned) `id` \"quoted\" \\ end";
        TaskOutcome o = run(Map.of("url", base + "/echo", "method", "POST", "body", nasty,
                "headers", Map.of("X-Token", "a'b $HOME"), "status_code", 201));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(lastRequest).containsEntry("method", "POST").containsEntry("body", nasty)
                .containsEntry("x-token", "a'b $HOME");

        TaskOutcome js = run(Map.of("url", base + "/echo", "method", "PUT", "body_format", "json",
                "body", Map.of("name", "web"), "status_code", 201));
        assertThat(js.status()).isEqualTo(TaskStatus.OK);
        assertThat(lastRequest).containsEntry("method", "PUT").containsEntry("body", "{\"name\":\"web\"}")
                .containsEntry("content-type", "application/json");
    }

    @Test
    void redirectsAreFollowedForGet() throws Exception {
        TaskOutcome o = run(Map.of("url", base + "/moved"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("redirected", true).containsEntry("url", base + "/ok");
        assertThat(run(Map.of("url", base + "/moved", "follow_redirects", "none", "status_code", 302)).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void connectionRefusedIsStatusMinusOne() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        TaskOutcome o = run(Map.of("url", "http://127.0.0.1:" + port + "/", "timeout", 5));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Status code was -1 and not [200]: Request failed: curl: (7)");
        assertThat(o.data()).containsEntry("status", -1);
    }

    @Test
    void checkModeSkipsChangingMethodsOnly() throws Exception {
        lastRequest.clear();
        TaskOutcome post = new UriModule().run(host.ctx(Map.of("url", base + "/echo", "method", "POST"), true,
                ModuleLab.TIMEOUT));
        assertThat(post.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(lastRequest).isEmpty();
        assertThat(new UriModule().run(host.ctx(Map.of("url", base + "/ok"), true, ModuleLab.TIMEOUT)).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void credentialsAreSentWhenTheServerAsksAndUpFrontWhenForced() throws Exception {
        TaskOutcome asked = run(Map.of("url", base + "/auth", "url_username", "admin", "url_password", "s3\"cr:t",
                "method", "POST", "body", "@not-a-file", "return_content", true));
        assertThat(asked.status()).as(asked.msg()).isEqualTo(TaskStatus.OK);
        assertThat(asked.data()).containsEntry("content", "admin:s3\"cr:t");
        assertThat(lastRequest).containsEntry("auth-body", "@not-a-file");
        TaskOutcome forced = run(Map.of("url", base + "/auth", "url_username", "admin", "force_basic_auth", true,
                "return_content", true));
        assertThat(forced.data()).containsEntry("content", "admin:");
    }
}
