package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** get_url against a real sshd, downloading from a JDK HttpServer on 127.0.0.1 with the host's curl. */
class GetUrlModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();
    static HttpServer server;
    static final byte[] BLOB = new byte[50_000];

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        for (int i = 0; i < BLOB.length; i++) BLOB[i] = (byte) (i * 7);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/blob.bin", ex -> {
            ex.sendResponseHeaders(200, BLOB.length);
            ex.getResponseBody().write(BLOB);
            ex.close();
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Test
    void downloadsBinaryContentAndASecondRunChangesNothing() throws Exception {
        String dest = tmp.resolve("blob it's.bin").toString();
        Map<String, Object> args = Map.of("url", url("/blob.bin"), "dest", dest, "mode", "0600");
        TaskOutcome o = host.run(new GetUrlModule(), args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readAllBytes(Path.of(dest))).isEqualTo(BLOB);
        assertThat(ModuleLab.local("stat", "-c", "%a", dest)).isEqualTo("600");
        assertThat(o.data()).containsEntry("md5sum", ModuleLab.local("md5sum", dest).substring(0, 32))
                .containsEntry("size", (long) BLOB.length).containsEntry("status_code", 200);
        TaskOutcome again = host.run(new GetUrlModule(), args);
        assertThat(again.status()).as(again.msg()).isEqualTo(TaskStatus.OK);
        try (var leftovers = Files.list(tmp)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).containsExactly("blob it's.bin");
        }
    }

    @Test
    void checkModeWritesNothingAndErrorsAreClear() throws Exception {
        String dest = tmp.resolve("new.bin").toString();
        TaskOutcome o = new GetUrlModule().run(host.ctx(Map.of("url", url("/blob.bin"), "dest", dest), true,
                ModuleLab.TIMEOUT));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Path.of(dest)).doesNotExist();
        TaskOutcome missing = host.run(new GetUrlModule(), Map.of("url", url("/missing"), "dest", dest));
        assertThat(missing.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(missing.data()).containsEntry("status_code", 404);
        assertThat(Path.of(dest)).doesNotExist();
        assertThatThrownBy(() -> host.run(new GetUrlModule(), Map.of("url", url("/blob.bin"), "dest", dest,
                "checksum", "sha256")))
                .hasMessageContaining("checksum");
    }
}
