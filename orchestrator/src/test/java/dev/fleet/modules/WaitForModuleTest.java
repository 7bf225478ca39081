package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** wait_for's polling loop, run on a real sshd host (this machine). */
class WaitForModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private static TaskOutcome run(Map<String, Object> args) throws Exception {
        return host.run(new WaitForModule(), args);
    }

    @Test
    void openPortIsReadyAtOnce() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            TaskOutcome o = run(Map.of("port", s.getLocalPort(), "timeout", 5));
            assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
            assertThat(o.data()).containsEntry("port", s.getLocalPort()).containsEntry("elapsed", 0);
            // and "stopped" times out while it listens
            TaskOutcome stopped = run(Map.of("port", s.getLocalPort(), "state", "stopped", "timeout", 1));
            assertThat(stopped.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(stopped.msg()).isEqualTo("Timeout when waiting for 127.0.0.1:" + s.getLocalPort() + " to stop.");
        }
    }

    @Test
    void closedPortTimesOutOnTime() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        TaskOutcome o = run(Map.of("port", port, "timeout", 2));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Timeout when waiting for 127.0.0.1:" + port);
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3500));
        assertThat(run(Map.of("port", port, "state", "stopped", "timeout", 2)).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void portThatOpensLaterIsWaitedFor() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        Thread opener = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1200);
                try (ServerSocket s = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
                    Thread.sleep(2000);
                }
            } catch (Exception ignored) {
                // test fails below
            }
        });
        TaskOutcome o = run(Map.of("port", port, "timeout", 10, "sleep", 1));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat((Integer) o.data().get("elapsed")).isBetween(1, 4);
        opener.join();
    }

    @Test
    void fileThatAppearsLater() throws Exception {
        Path f = tmp.resolve("ready");
        new ProcessBuilder("sh", "-c", "sleep 1; touch '" + f + "'").start();
        long t0 = System.nanoTime();
        TaskOutcome o = run(Map.of("path", f.toString(), "timeout", 10));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(800));
        assertThat(o.data()).containsEntry("path", f.toString());

        TaskOutcome missing = run(Map.of("path", tmp.resolve("never").toString(), "timeout", 1));
        assertThat(missing.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(missing.msg()).isEqualTo("Timeout when waiting for file " + tmp.resolve("never"));
        assertThat(run(Map.of("path", tmp.resolve("never").toString(), "state", "absent", "timeout", 1)).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void searchRegexInFileWithGroups() throws Exception {
        Path log = tmp.resolve("app's log"); // a quote in the name: everything is quoted
        Files.writeString(log, "starting\n");
        new ProcessBuilder("sh", "-c", "sleep 1; echo 'ready on port 9000' >> \"$0\"", log.toString()).start();
        TaskOutcome o = run(Map.of("path", log.toString(), "search_regex", "ready on port ([0-9]+)", "timeout", 10));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("match_groups", List.of("9000"));

        TaskOutcome no = run(Map.of("path", log.toString(), "search_regex", "'; touch /tmp/x; '", "timeout", 1));
        assertThat(no.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(no.msg()).isEqualTo("Timeout when waiting for search string '; touch /tmp/x; ' in " + log);
    }

    @Test
    void unixSocketPath() throws Exception {
        Path sock = tmp.resolve("php-fpm.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(sock));
            assertThat(run(Map.of("path", sock.toString(), "timeout", 2)).status()).isEqualTo(TaskStatus.OK);
        }
    }

    @Test
    void taskTimeoutBoundsTheWait() throws Exception {
        long t0 = System.nanoTime();
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new WaitForModule().run(
                host.ctx(Map.of("path", tmp.resolve("never").toString(), "timeout", 300), false,
                        Duration.ofSeconds(2))));
        assertThat(t).isInstanceOf(dev.fleet.transport.TransportException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(6));
    }
}
