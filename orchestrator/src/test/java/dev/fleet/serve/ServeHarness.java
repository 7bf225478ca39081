package dev.fleet.serve;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A fleet serve instance in-process on 127.0.0.1 and an HTTP client for it. */
final class ServeHarness implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789abcdef";

    final Path root;
    final Vertx vertx = Vertx.vertx();
    final MemoryRunStore store;
    final FleetServer server;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final HttpClient http;
    final String scheme;
    final ServeClient client;
    final int port;
    boolean closed;

    /** {@code root} holds playbooks/ and inventory/; {@code extraYaml} is appended to the config. */
    ServeHarness(Path root, MemoryRunStore store, String extraYaml) throws Exception {
        this(root, store, """
                listen: {host: 127.0.0.1, port: 0}
                tokens: [%s]
                """.formatted(TOKEN), extraYaml, Map.of(), null);
    }

    /**
     * @param head   the config's listen and token keys
     * @param env    what {@code env:} and {@code token_env:} read
     * @param client null: plain HTTP; else an HTTPS client (with the trust the test chose)
     */
    ServeHarness(Path root, MemoryRunStore store, String head, String extraYaml, Map<String, String> env,
                 HttpClient client) throws Exception {
        this.root = root;
        this.store = store;
        this.scheme = client == null ? "http" : "https";
        this.http = client != null ? client : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Path cfgFile = root.resolve("fleet.yml");
        Files.writeString(cfgFile, head + """
                playbook_dirs: [playbooks]
                inventory_dirs: [inventory]
                """ + (extraYaml.contains("limits:") ? "" : "limits: {max_body_bytes: 4096}\n") + extraYaml);
        ServeConfig cfg = ServeConfig.load(cfgFile, env::get);
        server = new FleetServer(vertx, cfg, store, line -> log.add(line));
        port = server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        this.client = new ServeClient(port, scheme, http);
    }

    /** playbooks/ok.yml (no tasks) and inventory/lab.ini (no hosts): a run that succeeds without SSH. */
    static Path emptyRunRoot(Path root) throws IOException {
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.writeString(root.resolve("playbooks/ok.yml"), "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        Files.writeString(root.resolve("inventory/lab.ini"), "[lab]\n");
        return root;
    }

    URI uri(String path) {
        return client.uri(path);
    }

    HttpResponse<String> send(String method, String path, String body, String token) throws IOException,
            InterruptedException {
        return client.send(method, path, body, token);
    }

    HttpResponse<String> get(String path) throws Exception {
        return client.get(path);
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        return client.post(path, body);
    }

    JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    /** Polls GET /api/runs/{id} until the predicate holds (or fails after the timeout). */
    JsonObject poll(String id, Predicate<JsonObject> until, Duration timeout) throws Exception {
        return client.poll(id, until, timeout);
    }

    static boolean done(JsonObject run) {
        return run.getInteger("exit_code") != null;
    }

    @Override
    public void close() throws Exception {
        if (!closed) {
            closed = true;
            server.close().get(90, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Stops the server but keeps the store (for restart tests). */
    void stopServer() throws Exception {
        closed = true;
        server.close().get(90, TimeUnit.SECONDS);
    }
}
