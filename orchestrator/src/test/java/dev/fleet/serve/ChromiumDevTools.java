package dev.fleet.serve;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A headless Chromium driven over the DevTools protocol (its WebSocket on 127.0.0.1, a port of Chromium's
 * choosing): set the window size, load a page, evaluate script, take screenshots. For dashboard tests; every wait
 * is bounded, and {@link #close()} kills the browser and its helper processes.
 */
final class ChromiumDevTools implements AutoCloseable {
    private static final Pattern LISTENING =
            Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path stderr;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();

    ChromiumDevTools(Path chromium, Path workDir) throws Exception {
        Path profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        stderr = workDir.resolve("chromium.err");
        List<String> cmd = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile());
        pb.environment().put("TMPDIR", workDir.toString()); // its singleton socket too goes with the test's directory
        process = pb.start();
        try {
            int port = devToolsPort();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String pageSocket = null;
            for (int i = 0; i < 100 && pageSocket == null; i++) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (Object o : new io.vertx.core.json.JsonArray(list)) {
                    JsonObject t = (JsonObject) o;
                    if ("page".equals(t.getString("type"))) pageSocket = t.getString("webSocketDebuggerUrl");
                }
                if (pageSocket == null) Thread.sleep(100);
            }
            if (pageSocket == null) throw new IllegalStateException("chromium opened no page; " + log());
            socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(pageSocket), new Listener()).get(30, TimeUnit.SECONDS);
        } catch (Exception | Error e) {
            kill();
            throw e;
        }
    }

    /** Reads the port from Chromium's "DevTools listening on ws://..." line (up to 30 s). */
    private int devToolsPort() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(log());
            if (m.find()) return Integer.parseInt(m.group(2));
            if (!process.isAlive()) break;
            Thread.sleep(100);
        }
        throw new IllegalStateException("chromium did not open its DevTools port; " + log());
    }

    String log() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr) : "";
    }

    /** Sends one DevTools command and waits for its result. */
    JsonObject send(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode(), true)
                .get(30, TimeUnit.SECONDS);
        JsonObject reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (reply.containsKey("error")) throw new IllegalStateException(method + ": " + reply.getValue("error"));
        return reply.getJsonObject("result", new JsonObject());
    }

    /** The window's size in CSS pixels (device scale 1). */
    void size(int width, int height) throws Exception {
        send("Emulation.setDeviceMetricsOverride", new JsonObject().put("width", width).put("height", height)
                .put("deviceScaleFactor", 1).put("mobile", false));
    }

    void open(String url) throws Exception {
        send("Page.navigate", new JsonObject().put("url", url));
    }

    /** Evaluates a script expression in the page (promises awaited) and returns its value, JSON-converted. */
    Object eval(String expression) throws Exception {
        JsonObject r = send("Runtime.evaluate", new JsonObject().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (r.containsKey("exceptionDetails")) {
            throw new IllegalStateException("script failed: " + expression + ": " + r.getValue("exceptionDetails"));
        }
        return r.getJsonObject("result").getValue("value");
    }

    /** Waits (up to 30 s) until the expression is true in the page; fails with {@code what} otherwise. */
    void await(String expression, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(eval("!!(" + expression + ")"))) return;
            } catch (IllegalStateException e) {
                // the page is still loading (its script context replaced): ask again
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + " (" + expression + "); page: "
                + eval("document.body.innerText.slice(0, 2000)"));
    }

    /** Saves what the window shows as a PNG. */
    void screenshot(Path png) throws Exception {
        String data = send("Page.captureScreenshot", new JsonObject().put("format", "png")).getString("data");
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(data));
    }

    @Override
    public void close() throws Exception {
        try {
            send("Browser.close", new JsonObject()); // a clean exit: it removes its own files
        } catch (Exception e) {
            // killed below anyway
        }
        process.waitFor(10, TimeUnit.SECONDS);
        kill();
    }

    private void kill() throws InterruptedException {
        List<ProcessHandle> helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle h : helpers) h.destroyForcibly();
    }

    /** Collects text frames into messages and completes the command each answers; events are ignored. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonObject msg = new JsonObject(partial.toString());
                partial.setLength(0);
                Integer id = msg.getInteger("id");
                if (id != null) {
                    CompletableFuture<JsonObject> f = pending.remove(id);
                    if (f != null) f.complete(msg);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
