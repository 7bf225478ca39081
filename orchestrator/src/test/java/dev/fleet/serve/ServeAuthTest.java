package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.history.AuditRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token scopes (read / run), the older token forms, and the audit trail of the API. No SSH: no host is reached. */
class ServeAuthTest {
    static final String CI = "ci-token-0123456789abcdef";
    static final String WALLBOARD = "wallboard-token-0123456789";
    static final String LEGACY = "legacy-literal-token-0123456789";
    static final String ENV_TOKEN = "env-token-0123456789abcdef";
    static final String RUN_BODY = "{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\"}";

    @TempDir
    Path dir;
    ServeHarness s;

    @BeforeEach
    void start() throws Exception {
        Path root = ServeHarness.emptyRunRoot(dir.resolve("srv"));
        Path tokenFile = root.resolve("wallboard.token");
        Files.writeString(tokenFile, WALLBOARD + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        s = new ServeHarness(root, new MemoryRunStore(), """
                listen: {host: 127.0.0.1, port: 0}
                tokens:
                  - {name: ci, env: FLEET_CI_TOKEN, scope: run}
                  - {name: wallboard, file: wallboard.token, scope: read}
                  - %s
                token_env: FLEET_TOKEN
                """.formatted(LEGACY), """
                schedules:
                  - {name: nightly, cron: "0 0 1 1 *", playbook: ok.yml, inventory: lab.ini}
                """, Map.of("FLEET_CI_TOKEN", CI, "FLEET_TOKEN", ENV_TOKEN), null);
        s.client.token = CI;
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) s.close();
    }

    @Test
    void aReadTokenReadsButChangesNothing() throws Exception {
        assertThat(s.send("GET", "/api/runs", null, WALLBOARD).statusCode()).isEqualTo(200);
        assertThat(s.send("GET", "/api/schedules", null, WALLBOARD).statusCode()).isEqualTo(200);
        assertThat(s.send("GET", "/api/runs/nope", null, WALLBOARD).statusCode()).isEqualTo(404);
        assertThat(s.send("GET", "/api/runs/nope/events?access_token=" + WALLBOARD, null, null).statusCode())
                .isEqualTo(404);
        for (String[] c : new String[][] {{"POST", "/api/runs", "run.start"},
                {"DELETE", "/api/runs/nope", "run.cancel"},
                {"POST", "/api/schedules/nightly/run", "schedule.run"}}) {
            HttpResponse<String> r = s.send(c[0], c[1], c[0].equals("POST") ? RUN_BODY : null, WALLBOARD);
            assertThat(r.statusCode()).as(c[1]).isEqualTo(403);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
            assertThat(s.json(r).getString("error")).isEqualTo("token 'wallboard' has scope read; " + c[2]
                    + " needs scope run");
        }
        assertThat(s.store.recent(10, 0)).isEmpty(); // nothing was started
    }

    @Test
    void runTokensAndTheOlderFormsStartRuns() throws Exception {
        for (String token : List.of(CI, LEGACY, ENV_TOKEN)) {
            HttpResponse<String> r = s.send("POST", "/api/runs", RUN_BODY, token);
            assertThat(r.statusCode()).as(token).isEqualTo(202);
            s.poll(s.json(r).getString("id"), ServeHarness::done, Duration.ofSeconds(20));
        }
        assertThat(s.store.auditTrail(10)).extracting(AuditRecord::token)
                .containsExactly("FLEET_TOKEN", "token#3", "ci");
    }

    @Test
    void everyChangeAndEveryRefusalIsAuditedByTokenName() throws Exception {
        HttpResponse<String> started = s.send("POST", "/api/runs", RUN_BODY, CI);
        String id = s.json(started).getString("id");
        s.poll(id, ServeHarness::done, Duration.ofSeconds(20));
        HttpResponse<String> fired = s.send("POST", "/api/schedules/nightly/run", null, CI);
        assertThat(fired.statusCode()).isEqualTo(202);
        String scheduled = s.json(fired).getString("id");
        s.poll(scheduled, ServeHarness::done, Duration.ofSeconds(20));
        assertThat(s.send("DELETE", "/api/runs/" + id, null, CI).statusCode()).isEqualTo(409); // already finished
        assertThat(s.send("POST", "/api/runs", RUN_BODY, WALLBOARD).statusCode()).isEqualTo(403);
        assertThat(s.send("GET", "/api/runs", null, "not-a-token-0123456789abc").statusCode()).isEqualTo(401);
        assertThat(s.send("GET", "/api/runs/x/events?access_token=wrong-" + CI, null, null).statusCode())
                .isEqualTo(401);
        assertThat(s.send("PUT", "/api/runs", "{}", CI).statusCode()).isEqualTo(405);
        assertThat(s.send("GET", "/api/runs", null, CI).statusCode()).isEqualTo(200); // a successful read: left out

        List<AuditRecord> trail = s.store.auditTrail(100).reversed();
        assertThat(trail).extracting(a -> a.token() + " " + a.action() + " " + a.runId() + " " + a.schedule() + " "
                + a.client() + " " + a.status() + " " + a.outcome()).containsExactly(
                "ci run.start " + id + " null 127.0.0.1 202 ok",
                "ci schedule.run " + scheduled + " nightly 127.0.0.1 202 ok",
                "ci run.cancel " + id + " null 127.0.0.1 409 rejected",
                "wallboard run.start null null 127.0.0.1 403 scope read does not allow run.start",
                "null runs.list null null 127.0.0.1 401 invalid token",
                "null run.events x null 127.0.0.1 401 invalid token",
                "ci PUT /api/runs null null 127.0.0.1 405 method not allowed");
        assertThat(s.log).contains("audit: token=wallboard action=run.start client=127.0.0.1 status=403 "
                + "outcome=scope read does not allow run.start");
        assertThat(s.log).anySatisfy(l -> assertThat(l).startsWith("audit: token=ci action=schedule.run run="
                + scheduled + " schedule=nightly "));
        // no token, right or wrong, in the service log or the audit; no query string either
        for (String line : List.copyOf(s.log)) {
            for (String secret : List.of(CI, WALLBOARD, LEGACY, ENV_TOKEN, "not-a-token")) {
                assertThat(line).doesNotContain(secret);
            }
            assertThat(line).doesNotContain("access_token");
        }
        assertThat(trail.toString()).doesNotContain(CI).doesNotContain(WALLBOARD).doesNotContain("not-a-token");
    }

    @Test
    void aClientHangingUpBeforeItsAnswerIsStillAudited() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", s.port)) {
            socket.getOutputStream().write(("POST /api/runs HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CI
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + RUN_BODY.length() + "\r\n\r\n"
                    + RUN_BODY).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoLinger(true, 0); // close with a reset: gone before any answer can be read
        }
        List<AuditRecord> trail = List.of();
        for (int i = 0; i < 200 && trail.isEmpty(); i++) {
            Thread.sleep(50);
            trail = s.store.auditTrail(10);
        }
        assertThat(trail).singleElement().satisfies(a -> {
            assertThat(a.token()).isEqualTo("ci");
            assertThat(a.action()).isEqualTo("run.start");
            assertThat(a.status()).isIn(0, 202);
        });
    }

    @Test
    void theConfigNeverShowsATokenWhenPrinted() throws Exception {
        ServeConfig cfg = ServeConfig.load(s.root.resolve("fleet.yml"),
                Map.of("FLEET_CI_TOKEN", CI, "FLEET_TOKEN", ENV_TOKEN)::get);
        assertThat(cfg.tokens()).extracting(ApiToken::name).containsExactly("ci", "wallboard", "token#3",
                "FLEET_TOKEN");
        assertThat(cfg.toString()).contains("name=wallboard, scope=read").doesNotContain(CI).doesNotContain(WALLBOARD)
                .doesNotContain(LEGACY).doesNotContain(ENV_TOKEN);
        assertThat(new JsonObject().put("t", cfg.tokens().get(0).toString()).encode()).doesNotContain(CI);
    }
}
