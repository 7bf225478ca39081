package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-JVM {@code fleet run}, and a {@code fleet serve} without a {@code cluster:} section running a run, load no
 * cluster class: nothing of {@code dev.fleet.cluster}, Hazelcast or Vert.x's cluster SPI, read from
 * {@code -verbose:class} of a real run. The classpath is the tests' with vertx-hazelcast as
 * the shaded fleet.jar has it (without its VertxServiceProvider service file); the control run with the jar as it
 * is shows why the shade leaves that file out.
 */
class OneJvmRunClassesTest {
    private static final String PLAYBOOK = """
            - hosts: all
              gather_facts: false
              tasks:
                - debug:
                    msg: hello
            """;

    @Test
    void aRunWithoutClusterLoadsNoClusterClasses(@TempDir Path dir) throws Exception {
        String out = verboseRun(dir, classpath(dir, true));
        assertThat(out).contains("ok: [x1]");
        assertThat(out.lines().filter(l -> l.contains("class,load"))
                .filter(l -> l.contains("com.hazelcast") || l.contains("io.vertx.spi.cluster")
                        || l.contains("dev.fleet.cluster"))).isEmpty();
    }

    @Test
    void theServiceFileAloneWouldLoadHazelcast(@TempDir Path dir) throws Exception {
        String out = verboseRun(dir, classpath(dir, false));
        assertThat(out).contains("ok: [x1]").contains("io.vertx.spi.cluster.hazelcast.HazelcastClusterManager");
        assertThat(out).doesNotContain("dev.fleet.cluster");
    }

    @Test
    void aServeWithoutAClusterSectionLoadsNoClusterClasses(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Files.writeString(dir.resolve("pb/pb.yml"), PLAYBOOK);
        Files.writeString(dir.resolve("inv/x.ini"), "x1\n");
        String token = "0123456789abcdef0123";
        Files.writeString(dir.resolve("fleet.yml"), """
                listen: {host: 127.0.0.1, port: 0}
                tokens: [%s]
                playbook_dirs: [pb]
                inventory_dirs: [inv]
                history: {db: h.db}
                """.formatted(token));
        Path out = dir.resolve("out.txt");
        Path log = dir.resolve("serve.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-verbose:class", "-XX:TieredStopAtLevel=1", "-cp",
                classpath(dir, true), "dev.fleet.cli.Main", "serve", "-c", dir.resolve("fleet.yml").toString())
                .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        try {
            Pattern listening = Pattern.compile("listening on http://127.0.0.1:(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher m = listening.matcher("");
            while (!m.find()) {
                assertThat(p.isAlive() && System.nanoTime() < deadline).as(Files.readString(log)).isTrue();
                Thread.sleep(100);
                m = listening.matcher(Files.readString(log));
            }
            HttpClient http = HttpClient.newHttpClient();
            String api = "http://127.0.0.1:" + m.group(1) + "/api/runs";
            HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(api))
                    .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"playbook\": \"pb.yml\", \"inventory\": \"x.ini\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
            String id = new JsonObject(posted.body()).getString("id");
            JsonObject run = new JsonObject();
            while (run.getValue("exit_code") == null) {
                assertThat(System.nanoTime()).as(run.encode()).isLessThan(deadline);
                Thread.sleep(100);
                run = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(api + "/" + id))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString())
                        .body());
            }
            assertThat(run.getString("status")).isEqualTo("ok");
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String classes = Files.readString(out);
        assertThat(classes).contains("dev.fleet.serve.LocalLauncher"); // the run went through the launcher
        assertThat(classes.lines().filter(l -> l.contains("class,load"))
                .filter(l -> l.contains("com.hazelcast") || l.contains("io.vertx.spi.cluster")
                        || l.contains("dev.fleet.cluster") || l.contains("dev.fleet.serve.ClusterLauncher")))
                .isEmpty();
    }

    private static String verboseRun(Path dir, String classpath) throws Exception {
        Path playbook = dir.resolve("pb.yml");
        Files.writeString(playbook, PLAYBOOK);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-verbose:class", "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "dev.fleet.cli.Main", "run", "--no-history", "--no-color", "-i", "x1,", playbook.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** The tests' classpath; with {@code asShaded}, vertx-hazelcast without its service file, as in fleet.jar. */
    private static String classpath(Path dir, boolean asShaded) throws IOException {
        List<String> out = new ArrayList<>();
        boolean found = false;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("vertx-hazelcast")) {
                found = true;
                if (asShaded) entry = withoutServiceFile(Path.of(entry), dir.resolve("vertx-hazelcast.jar"));
            }
            out.add(entry);
        }
        assumeTrue(found, "vertx-hazelcast not on java.class.path (a manifest-only classpath?)");
        return String.join(File.pathSeparator, out);
    }

    private static String withoutServiceFile(Path jar, Path copy) throws IOException {
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(copy);
                ZipOutputStream zip = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> e = in.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                if (entry.getName().equals("META-INF/services/io.vertx.core.spi.VertxServiceProvider")) continue;
                zip.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(zip);
                }
                zip.closeEntry();
            }
        }
        return copy.toString();
    }
}
