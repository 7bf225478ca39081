package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.history.RunStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the real (SQLite) history store: a run is still there after the server and the store were closed. */
class ServeHistoryRestartTest {
    @TempDir
    Path dir;

    @Test
    void historySurvivesARestartWithTheSqliteStore() throws Exception {
        Files.createDirectories(dir.resolve("playbooks"));
        Files.createDirectories(dir.resolve("inventory"));
        Files.writeString(dir.resolve("playbooks/ok.yml"),
                "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n");
        Files.writeString(dir.resolve("inventory/lab.ini"), "[lab]\n");
        Files.writeString(dir.resolve("fleet.yml"), """
                listen: {port: 0}
                tokens: [%s]
                playbook_dirs: [playbooks]
                inventory_dirs: [inventory]
                history: {db: state/history.db}
                """.formatted(ServeHarness.TOKEN));
        ServeConfig cfg = ServeConfig.load(dir.resolve("fleet.yml"), Map.<String, String>of()::get);
        Files.createDirectories(dir.resolve("state"));
        HttpClient http = HttpClient.newHttpClient();
        String id;
        Vertx vertx = Vertx.vertx();
        try (RunStore store = RunStores.open(cfg.history().db())) {
            FleetServer server = new FleetServer(vertx, cfg, store, l -> { });
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            URI runs = URI.create("http://127.0.0.1:" + port + "/api/runs");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(runs)
                    .header("Authorization", "Bearer " + ServeHarness.TOKEN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"playbook\": \"ok.yml\", \"inventory\": \"lab.ini\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            id = new JsonObject(r.body()).getString("id");
            FleetServer s = server;
            for (int i = 0; i < 100 && s.runs().get(id).map(m -> !m.finished()).orElse(true); i++) Thread.sleep(100);
            server.close().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        vertx = Vertx.vertx();
        try (RunStore store = RunStores.open(cfg.history().db())) {
            FleetServer server = new FleetServer(vertx, cfg, store, l -> { });
            int port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/runs/" + id)).header("Authorization", "Bearer " + ServeHarness.TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject run = new JsonObject(r.body());
            assertThat(run.getString("status")).isEqualTo("ok");
            assertThat(run.getString("trigger")).isEqualTo("api");
            server.close().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
