package dev.fleet.serve;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fleet serve -c <config>} as a JVM of its own ({@code java -cp <test classpath> dev.fleet.cli.Main}), for
 * what an in-process server cannot show: {@code kill -9}, the real process's memory. Its service log (standard
 * error) goes to a file; the port is read from the "listening on" line.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    final Process process;
    final Path log;
    final int port;
    final ServeClient client;

    private ServeProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.client = new ServeClient(port);
    }

    /** Starts the server and waits (up to a minute) until it listens; {@code log} receives its standard error. */
    static ServeProcess start(Path config, Path log, String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "serve", "-c",
                config.toString()));
        Process p = new ProcessBuilder(cmd).directory(config.getParent().toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.resolveSibling(log.getFileName() + ".out")
                        .toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            int port = -1;
            while (m.find()) port = Integer.parseInt(m.group(1)); // the last one: a log shared across restarts
            if (port > 0 && listensOn(port)) return new ServeProcess(p, log, port);
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new AssertionError("fleet serve did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private static boolean listensOn(int port) {
        try (var s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        return client.send(method, path, body, ServeHarness.TOKEN);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    /** {@code kill -9}: no shutdown hook, no last commit. */
    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) return;
        process.destroy(); // SIGTERM: the graceful stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) kill9();
    }
}
