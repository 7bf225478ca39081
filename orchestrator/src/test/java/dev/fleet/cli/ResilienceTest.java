package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdFixture;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, resilience: a whole playbook run (in-process, --json) against real sshd hosts plus one misbehaving host.
 * Each test checks that the bad host ends on its own, within its timeout, with a clear per-host status and message,
 * while the good hosts (host1, host2) finish normally.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResilienceTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(3);
    /** Sockets and listeners a test opened; closed after each test. */
    final List<AutoCloseable> toClose = new CopyOnWriteArrayList<>();

    @AfterEach
    void cleanUp() {
        for (AutoCloseable c : toClose) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (lab != null && !lab.running("host3")) lab.restart("host3");
    }

    /** fleet run with the lab inventory plus {@code extraInventory} lines (in group [lab]). */
    Run fleet(String extraInventory, String playbook, String... extra) throws IOException {
        Path inv = dir.resolve("inv-" + System.nanoTime() + ".ini");
        Files.writeString(inv, Files.readString(lab.inventory()) + "\n[lab]\n" + extraInventory + "\n");
        return new FleetCli(dir, inv, knownHosts()).run(playbook, extra);
    }

    Path knownHostsFile;

    Path knownHosts() {
        return knownHostsFile != null ? knownHostsFile : lab.knownHosts();
    }

    static String badHost(String name, int port) {
        return name + " ansible_host=127.0.0.1 ansible_port=" + port + " ansible_user=" + lab.user()
                + " ansible_ssh_private_key_file=" + lab.privateKey();
    }

    static String play(String hosts, String task) {
        return "- hosts: " + hosts + "\n  gather_facts: false\n  tasks:\n    - name: the task\n      " + task + "\n";
    }

    static void assertGoodHostsFinished(Run r, String... good) {
        for (String h : good) {
            assertThat(r.host(h).getString("status")).as(h + "\n" + r.describe()).isEqualTo("changed");
        }
    }

    static long taskMillis(Run r, String host) {
        return r.task(host, 0).getLong("duration_ms");
    }

    // ---- (1) refused --------------------------------------------------------------------------------------

    @Test
    void aHostThatRefusesConnectionsIsUnreachableAfterItsRetries() throws IOException {
        int closed = freePort();
        Run r = fleet(badHost("refusing", closed), play("host1,host2,refusing", "command: echo ok"));
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertGoodHostsFinished(r, "host1", "host2");
        assertThat(r.host("refusing").getString("status")).isEqualTo("unreachable");
        assertThat(r.task("refusing", 0).getString("msg"))
                .contains("connect to 127.0.0.1:" + closed + " (refusing) refused")
                .contains("gave up after 3 attempts");
        // 2 retries with 0.5s base backoff: at most 0.5 + 1.0 s of waiting.
        assertThat(taskMillis(r, "refusing")).isLessThan(4000);
        assertThat(r.out()).contains("fatal: [refusing]: UNREACHABLE!");
    }

    // ---- (2) accepts TCP, never speaks SSH ---------------------------------------------------------------

    @Test
    void aHostThatAcceptsButNeverSpeaksSshEndsWithinTheConnectTimeout() throws IOException {
        ServerSocket mute = listener();
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) held.add(mute.accept()); // and never write a byte
            } catch (IOException closed) {
                held.forEach(ResilienceTest::closeQuietly);
            }
        });
        Run r = fleet(badHost("mute", mute.getLocalPort()), play("host1,host2,mute", "command: echo ok"),
                "--connect-timeout", "2");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertGoodHostsFinished(r, "host1", "host2");
        assertThat(r.host("mute").getString("status")).isEqualTo("unreachable");
        assertThat(r.task("mute", 0).getString("msg"))
                .contains("no SSH banner from 127.0.0.1:" + mute.getLocalPort() + " (mute) within 2s")
                .doesNotContain("attempts"); // a timeout is not retried
        assertThat(taskMillis(r, "mute")).isBetween(1900L, 3500L);
        assertThat(r.took()).isLessThan(Duration.ofSeconds(10));
    }

    // ---- (3) stops answering mid-command (SIGSTOP) --------------------------------------------------------

    @Test
    void aHostThatFreezesMidCommandEndsWithinTaskTimeoutPlusGrace() throws Exception {
        List<Long> frozen = new CopyOnWriteArrayList<>();
        Thread freezer = Thread.ofVirtual().start(() -> {
            try {
                awaitCommandOn("host3", "sleep 3"); // freeze once host3's command runs
                sleep(300);
                for (ProcessHandle p : sshdProcesses("host3")) {
                    if (signal("STOP", p.pid())) frozen.add(p.pid());
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        Run r;
        try {
            r = fleet("", play("host1,host2,host3",
                    "command: sleep {{ '3' if inventory_hostname == 'host3' else '1' }}"), "--task-timeout", "3",
                    "--connect-timeout", "2");
            freezer.join();
        } finally {
            freezer.join();
            for (long pid : frozen) signal("CONT", pid);
            lab.restart("host3");
        }
        assertThat(frozen).as("sshd processes of host3 stopped").isNotEmpty();
        assertThat(r.exit()).as(r.describe()).isIn(2, 3);
        assertGoodHostsFinished(r, "host1", "host2");
        String status = r.host("host3").getString("status");
        assertThat(status).isIn("unreachable", "failed");
        String msg = r.task("host3", 0).getString("msg");
        assertThat(msg).as(r.describe()).isNotBlank().containsAnyOf("did not finish within 3s", "lost",
                "no answer from the host");
        // task timeout 3s + connect timeout 2s (the kill channel) + 15s watchdog grace at most.
        assertThat(taskMillis(r, "host3")).isLessThan(20_000);
        assertThat(r.took()).isLessThan(Duration.ofSeconds(25));
    }

    // ---- (4) connection dropped mid-task (kill -9 sshd) --------------------------------------------------

    @Test
    void aHostWhoseSshdIsKilledMidTaskIsUnreachableWithConnectionLost() throws Exception {
        Thread killer = Thread.ofVirtual().start(() -> {
            try {
                awaitCommandOn("host3", "sleep 3");
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            sleep(300);
            lab.stop("host3"); // SIGKILL to sshd and every session process under it
        });
        Run r;
        try {
            r = fleet("", play("host1,host2,host3", "command: sleep 3"), "--task-timeout", "20");
        } finally {
            killer.join();
            lab.restart("host3");
        }
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertGoodHostsFinished(r, "host1", "host2");
        assertThat(r.host("host3").getString("status")).isEqualTo("unreachable");
        assertThat(r.task("host3", 0).getString("msg")).contains("connection to host3").contains("was lost");
        assertThat(taskMillis(r, "host3")).isLessThan(5000);
        assertThat(r.out()).contains("fatal: [host3]: UNREACHABLE!");
    }

    // ---- (5) a command that never exits -------------------------------------------------------------------

    @Test
    void aCommandThatNeverExitsFailsAfterTheTaskTimeoutAndIsGoneFromTheHost() throws Exception {
        Run r = fleet("", play("host1,host2,host3",
                "shell: if [ {{ inventory_hostname }} = host3 ]; then sleep 307; fi"), "--task-timeout", "2");
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertGoodHostsFinished(r, "host1", "host2");
        assertThat(r.host("host3").getString("status")).isEqualTo("failed");
        assertThat(r.task("host3", 0).getString("msg")).contains("did not finish within 2s").contains("stopped");
        assertThat(taskMillis(r, "host3")).isBetween(1900L, 6000L);
        // The lab hosts are processes on this machine: the remote sleep must be gone.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!processesWithArgs("sleep 307").isEmpty() && System.nanoTime() < deadline) sleep(100);
        assertThat(processesWithArgs("sleep 307")).as("sleep 307 still running on host3").isEmpty();
        // and the host itself is fine: its sshd still answers with the host's own view of its processes
        Run check = fleet("", play("host3", "shell: ps -eo args | grep -c '^sleep 307$' || true"));
        assertThat(check.task("host3", 0).getString("stdout")).as(check.describe()).isEqualTo("0");
    }

    // ---- connect retries -------------------------------------------------------------------------------------

    /**
     * A listener on 127.0.0.1 that drops the first {@code drops} connections (alternately with a TCP reset and by
     * closing before the banner) and forwards later ones to host1's sshd.
     */
    final class FlakyProxy {
        final ServerSocket server;
        final AtomicInteger connections = new AtomicInteger();

        FlakyProxy(int drops) throws IOException {
            server = listener();
            SshdFixture.LabHost target = lab.host("host1");
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        Socket s = server.accept();
                        toClose.add(s);
                        int n = connections.incrementAndGet();
                        if (n <= drops) {
                            if (n % 2 == 1) s.setSoLinger(true, 0); // close -> RST: "connection reset"
                            s.close();
                            continue;
                        }
                        Socket up = new Socket(target.address(), target.port());
                        toClose.add(up);
                        pump(s, up);
                        pump(up, s);
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }
    }

    static void pump(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException ignored) {
                // either side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** known_hosts of the lab plus [127.0.0.1]:port with host1's key (or another host's, to forge it). */
    Path knownHostsWithProxy(int port, String keyOf) throws IOException {
        Path kh = dir.resolve("known_hosts-" + port);
        String[] key = lab.host(keyOf).hostKeyPublicLine().split("\\s+");
        Files.writeString(kh, Files.readString(lab.knownHosts()) + "[127.0.0.1]:" + port + " " + key[0] + " " + key[1]
                + "\n");
        return kh;
    }

    @Test
    void transientHandshakeFailuresAreRetriedWithBackoff() throws IOException {
        FlakyProxy proxy = new FlakyProxy(2);
        knownHostsFile = knownHostsWithProxy(proxy.port(), "host1");
        Run r = fleet(badHost("flaky", proxy.port()), play("host2,flaky", "command: echo via proxy"),
                "--connect-retries", "2");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.task("flaky", 0).getString("stdout")).isEqualTo("via proxy");
        assertThat(proxy.connections.get()).isEqualTo(3);
        // Backoff: 0.25-0.5s before the 2nd attempt, 0.5-1s before the 3rd.
        assertThat(taskMillis(r, "flaky")).isGreaterThanOrEqualTo(750L);
    }

    @Test
    void withoutRetriesTheFirstDroppedConnectionIsFinal() throws IOException {
        FlakyProxy proxy = new FlakyProxy(1);
        knownHostsFile = knownHostsWithProxy(proxy.port(), "host1");
        Run r = fleet(badHost("flaky", proxy.port()), play("host2,flaky", "command: echo via proxy"),
                "--connect-retries", "0");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.host("flaky").getString("status")).isEqualTo("unreachable");
        assertThat(r.task("flaky", 0).getString("msg")).contains("127.0.0.1:" + proxy.port())
                .doesNotContain("attempts");
        assertThat(proxy.connections.get()).isEqualTo(1);
        assertGoodHostsFinished(r, "host2");
    }

    @Test
    void hostKeyFailuresAreNeverRetried() throws IOException {
        FlakyProxy proxy = new FlakyProxy(0);
        knownHostsFile = knownHostsWithProxy(proxy.port(), "host2"); // host1 answers: looks like a changed key
        Run r = fleet(badHost("flaky", proxy.port()), play("host2,flaky", "command: echo via proxy"),
                "--connect-retries", "3");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.task("flaky", 0).getString("msg")).contains("does not match known_hosts");
        assertThat(proxy.connections.get()).isEqualTo(1);
    }

    @Test
    void authenticationFailuresAreNeverRetried() throws Exception {
        FlakyProxy proxy = new FlakyProxy(0);
        knownHostsFile = knownHostsWithProxy(proxy.port(), "host1");
        Path stranger = dir.resolve("stranger");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String line = "flaky ansible_host=127.0.0.1 ansible_port=" + proxy.port() + " ansible_user=" + lab.user()
                + " ansible_ssh_private_key_file=" + stranger;
        Run r = fleet(line, play("flaky", "command: echo via proxy"), "--connect-retries", "3");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.task("flaky", 0).getString("msg")).contains("authentication as");
        assertThat(proxy.connections.get()).isEqualTo(1);
    }

    @Test
    void badConnectRetriesIsAnOptionError() throws IOException {
        Run r = fleet("", play("host1", "command: 'true'"), "--connect-retries", "-1");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("--connect-retries");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    ServerSocket listener() throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        toClose.add(s);
        return s;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The host's sshd listener (found by its config path) and the sshd processes of its sessions. */
    static List<ProcessHandle> sshdProcesses(String host) throws IOException {
        Path config = lab.workDir().resolve(host + "_sshd_config");
        Process p = new ProcessBuilder("pgrep", "-f", config.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        List<ProcessHandle> result = new ArrayList<>();
        for (String pid : out.split("\\s+")) {
            if (pid.isEmpty()) continue;
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(listener -> {
                result.add(listener);
                listener.descendants().filter(d -> d.info().command().orElse("").contains("sshd"))
                        .forEach(result::add);
            });
        }
        return result;
    }

    /** Waits (up to 20 s) until a process with this command line runs below the host's sshd. */
    static void awaitCommandOn(String host, String commandLine) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && sshdProcesses(host).stream().noneMatch(p -> p.descendants()
                .anyMatch(d -> d.info().commandLine().map(c -> c.equals(commandLine) || c.endsWith("/" + commandLine))
                        .orElse(false)))) {
            sleep(20);
        }
    }

    static boolean signal(String sig, long pid) throws IOException {
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, String.valueOf(pid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<ProcessHandle> processesWithArgs(String commandLine) {
        return ProcessHandle.allProcesses()
                .filter(h -> h.info().commandLine().map(c -> c.equals(commandLine) || c.endsWith("/" + commandLine))
                        .orElse(false))
                .toList();
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
