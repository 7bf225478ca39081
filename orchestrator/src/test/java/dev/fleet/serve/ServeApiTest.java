package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API's refusals: auth, validation, paths, limits. No SSH needed: nothing here reaches a host. */
class ServeApiTest {
    @TempDir
    Path dir;
    ServeHarness s;

    @BeforeEach
    void start() throws Exception {
        Path root = dir.resolve("srv");
        Files.createDirectories(root.resolve("playbooks/sub"));
        Files.createDirectories(root.resolve("inventory"));
        Files.writeString(root.resolve("playbooks/ok.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo hi
                """);
        Files.writeString(root.resolve("playbooks/sub/nested.yml"), Files.readString(root.resolve("playbooks/ok.yml")));
        Files.writeString(root.resolve("playbooks/broken.yml"), """
                - hosts: all
                  tasks:
                    - name: typo
                      comand: echo hi
                """);
        Files.writeString(root.resolve("inventory/lab.ini"), "[lab]\n");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.yml"), Files.readString(root.resolve("playbooks/ok.yml")));
        Files.createSymbolicLink(root.resolve("playbooks/escape.yml"), outside.resolve("secret.yml"));
        Files.createSymbolicLink(root.resolve("playbooks/inside-link.yml"), root.resolve("playbooks/ok.yml"));
        s = new ServeHarness(root, new MemoryRunStore(), "");
    }

    @AfterEach
    void stop() throws Exception {
        if (s != null) s.close();
    }

    @Test
    void everyApiRouteNeedsTheBearerToken() throws Exception {
        for (String[] route : new String[][] {{"GET", "/api/runs"}, {"POST", "/api/runs"}, {"GET", "/api/runs/x"},
                {"DELETE", "/api/runs/x"}, {"GET", "/api/runs/x/events"}, {"GET", "/api/schedules"},
                {"POST", "/api/schedules/x/run"}, {"GET", "/api/schedules/x/health"}}) {
            HttpResponse<String> none = s.send(route[0], route[1], null, null);
            assertThat(none.statusCode()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("Bearer realm=\"fleet\""));
            HttpResponse<String> wrong = s.send(route[0], route[1], null, "wrong-token-0123456789abcdef");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
            assertThat(s.json(wrong).getString("error")).isEqualTo("invalid token");
        }
        // a prefix of the right token is wrong too
        assertThat(s.send("GET", "/api/runs", null, ServeHarness.TOKEN.substring(0, 10)).statusCode()).isEqualTo(401);
        // the query token works on the SSE route only
        assertThat(s.send("GET", "/api/runs?access_token=" + ServeHarness.TOKEN, null, null).statusCode())
                .isEqualTo(401);
        assertThat(s.send("GET", "/api/runs/nope/events?access_token=" + ServeHarness.TOKEN, null, null).statusCode())
                .isEqualTo(404);
        assertThat(s.get("/api/runs").statusCode()).isEqualTo(200);
        // the dashboard itself and the health check are public (they hold no data)
        assertThat(s.send("GET", "/", null, null).statusCode()).isEqualTo(200);
        assertThat(s.send("GET", "/healthz", null, null).statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsAreRefusedWithAReason() throws Exception {
        record Case(String body, int status, String error) {}
        for (Case c : new Case[] {
                new Case("{not json", 400, "not valid JSON"),
                new Case("[1,2]", 400, "must be a JSON object"),
                new Case("", 400, "request body must be"),
                new Case("{\"inventory\": \"lab.ini\"}", 400, "missing field 'playbook'"),
                new Case("{\"playbook\": \"ok.yml\"}", 400, "missing field 'inventory'"),
                new Case("{\"playbook\": 3, \"inventory\": \"lab.ini\"}", 400, "'playbook' must be a non-empty string"),
                new Case("{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"check\": \"yes\"}", 400,
                        "'check' must be true or false"),
                new Case("{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"extra_vars\": [1]}", 400,
                        "'extra_vars' must be a JSON object"),
                new Case("{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"limit\": 5}", 400, "'limit'"),
                new Case("{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"forks\": 5}", 400,
                        "unknown field 'forks'"),
                new Case("{\"playbook\": \"missing.yml\", \"inventory\": \"lab.ini\"}", 400,
                        "playbook 'missing.yml' not found in playbook_dirs"),
                new Case("{\"playbook\": \"ok.yml\", \"inventory\": \"nope.ini\"}", 400,
                        "inventory 'nope.ini' not found in inventory_dirs"),
                new Case("{\"playbook\": \"broken.yml\", \"inventory\": \"lab.ini\"}", 422, "broken.yml:4:"),
        }) {
            HttpResponse<String> r = s.post("/api/runs", c.body());
            assertThat(r.statusCode()).as(c.body() + " -> " + r.body()).isEqualTo(c.status());
            assertThat(s.json(r).getString("error")).as(c.body()).contains(c.error());
        }
        // the 422 names the position relative to playbook_dirs, not the server's absolute path
        String msg = s.json(s.post("/api/runs", "{\"playbook\": \"broken.yml\", \"inventory\": \"lab.ini\"}"))
                .getString("error");
        assertThat(msg).startsWith("broken.yml:4:7: ").doesNotContain(s.root.toString());

        assertThat(s.get("/api/runs/20990101T000000Z-ffffffff").statusCode()).isEqualTo(404);
        assertThat(s.send("DELETE", "/api/runs/20990101T000000Z-ffffffff", null, ServeHarness.TOKEN).statusCode())
                .isEqualTo(404);
        assertThat(s.get("/api/nothing-here").statusCode()).isEqualTo(404);
        assertThat(s.get("/api/runs?limit=abc").statusCode()).isEqualTo(400);
        assertThat(s.get("/api/runs?limit=0").statusCode()).isEqualTo(400);
        HttpResponse<String> put = s.send("PUT", "/api/runs", "{}", ServeHarness.TOKEN);
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow").orElseThrow()).contains("GET").contains("POST");
        assertThat(s.send("PATCH", "/api/runs/abc", null, ServeHarness.TOKEN).statusCode()).isEqualTo(405);
        assertThat(s.post("/api/schedules/none/run", null).statusCode()).isEqualTo(404);
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        String big = "{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\", \"extra_vars\": {\"x\": \""
                + "a".repeat(10_000) + "\"}}";
        HttpResponse<String> r = s.post("/api/runs", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(s.get("/api/runs").statusCode()).isEqualTo(200); // the server is fine afterwards
    }

    @Test
    void pathsOutsideTheAllowedDirectoriesAreRefused() throws Exception {
        Files.writeString(s.root.resolve("inventory/../notallowed.ini"), "[x]\n");
        for (String[] c : new String[][] {
                {"../outside/secret.yml", "lab.ini", "403", "'..' is not allowed"},
                {"sub/../../fleet.yml", "lab.ini", "403", "'..' is not allowed"},
                {"/etc/passwd", "lab.ini", "403", "absolute paths are not allowed"},
                {s.root.resolve("playbooks/ok.yml").toString(), "lab.ini", "403", "absolute paths"},
                {"escape.yml", "lab.ini", "403", "resolves outside playbook_dirs"},
                {"ok.yml", "../notallowed.ini", "403", "'..' is not allowed"},
                {"ok.yml", "/etc/hosts", "403", "absolute paths"},
                {"ok.yml\u0000.txt", "lab.ini", "400", "not a valid file name"},
                {"sub", "lab.ini", "400", "is not a file"},
        }) {
            String body = new io.vertx.core.json.JsonObject().put("playbook", c[0]).put("inventory", c[1]).encode();
            HttpResponse<String> r = s.post("/api/runs", body);
            assertThat(r.statusCode()).as(c[0] + " " + c[1] + ": " + r.body()).isEqualTo(Integer.parseInt(c[2]));
            assertThat(s.json(r).getString("error")).contains(c[3]);
        }
        // inside the directory (also through a link that stays inside) is fine: accepted, runs on no hosts
        for (String ok : new String[] {"ok.yml", "sub/nested.yml", "inside-link.yml", "./ok.yml"}) {
            String body = new io.vertx.core.json.JsonObject().put("playbook", ok).put("inventory", "lab.ini").encode();
            HttpResponse<String> r = s.post("/api/runs", body);
            assertThat(r.statusCode()).as(ok + ": " + r.body()).isEqualTo(202);
            String id = s.json(r).getString("id");
            assertThat(s.poll(id, ServeHarness::done, java.time.Duration.ofSeconds(20)).getString("status"))
                    .isEqualTo("ok");
        }
    }
}
