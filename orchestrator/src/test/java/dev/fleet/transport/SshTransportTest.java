package dev.fleet.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.SshdFixture;
import dev.fleet.testing.SshdFixture.LabHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sshj transport against real OpenSSH servers (SshdFixture). */
class SshTransportTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path labDir;
    static SshdFixture lab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startLab() throws IOException {
        assumeTrue(SshdFixture.sshdAvailable(), "OpenSSH sshd/ssh-keygen not installed");
        lab = SshdFixture.start(labDir, 10);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    // ---- exec -----------------------------------------------------------------------------------------------

    @Test
    void execReturnsStdoutStderrAndExitCodeOverOneReusedConnection() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(1)))) {
            assertThat(s.host()).isEqualTo("host1");
            CommandResult r = s.exec("echo out; echo err >&2; printf 'h\\303\\251llo'; exit 3", EXEC_TIMEOUT);
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.succeeded()).isFalse();
            assertThat(r.stdout()).isEqualTo("out\nhéllo");
            assertThat(r.stderr()).isEqualTo("err\n");
            assertThat(r.end()).isAfterOrEqualTo(r.start());

            // Same TCP connection for every command: the client port in SSH_CONNECTION does not change.
            String first = s.exec("echo $SSH_CONNECTION", EXEC_TIMEOUT).stdout();
            String second = s.exec("echo $SSH_CONNECTION", EXEC_TIMEOUT).stdout();
            assertThat(first).isEqualTo(second).contains(host(1).address() + " " + host(1).port());

            // stdin is closed at once, so a command reading it does not hang.
            CommandResult cat = s.exec("cat; echo done", Duration.ofSeconds(5));
            assertThat(cat.stdout()).isEqualTo("done\n");
            assertThat(cat.exitCode()).isZero();
        }
    }

    // ---- persistent shell vs exec channels ---------------------------------------------------------------------

    @Test
    void commandsRunInOnePersistentShellPerHost() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(2)))) {
            // Each command gets its own sh (its own $$), started by the same long-lived shell (the same $PPID).
            String a = s.exec("echo $$ $PPID $(cat /proc/$PPID/comm)", EXEC_TIMEOUT).stdout();
            String b = s.exec("echo $$ $PPID $(cat /proc/$PPID/comm)", EXEC_TIMEOUT).stdout();
            assertThat(a.split(" ")[1]).isEqualTo(b.split(" ")[1]);
            assertThat(a.split(" ")[0]).isNotEqualTo(b.split(" ")[0]);
            assertThat(a.split(" ")[2]).isEqualTo("sh\n");
            assertThat(((SshHostSession) s).shellUnavailable()).isNull();
        }
        try (SshTransport transport = execChannels(); HostSession s = transport.connect(spec(host(2)))) {
            // Without it, every command is a new session channel: sshd itself starts each command's shell.
            assertThat(s.exec("cat /proc/$PPID/comm", EXEC_TIMEOUT).stdout()).startsWith("sshd");
        }
    }

    @Test
    void shellFramingPassesOutputThroughByteForByte() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(2)))) {
            // No final newline, an end-marker look-alike, a quote, and a NUL byte survive unchanged.
            CommandResult r = s.exec("printf 'a\\nb'; printf 'fleet-end-0123:7\\n' >&2; printf \"it's\\000x\" >&2",
                    EXEC_TIMEOUT);
            assertThat(r.stdout()).isEqualTo("a\nb");
            assertThat(r.stderr()).isEqualTo("fleet-end-0123:7\nit's\0x");
            assertThat(r.exitCode()).isZero();
            // A multi-line script with its own exit, cd and set -e leaves the shell as it was.
            CommandResult m = s.exec("set -e\ncd /tmp\necho \"$PWD\"\nexit 4", EXEC_TIMEOUT);
            assertThat(m.stdout()).isEqualTo("/tmp\n");
            assertThat(m.exitCode()).isEqualTo(4);
            assertThat(s.exec("pwd; false; echo still", EXEC_TIMEOUT).stdout()).doesNotStartWith("/tmp\n")
                    .endsWith("still\n");
        }
    }

    @Test
    void backgroundProcessKeepingStdoutOpenDoesNotHoldTheCommand() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(2)))) {
            long t0 = System.nanoTime();
            CommandResult r = s.exec("sleep 3003 & echo started", EXEC_TIMEOUT);
            assertThat(r.stdout()).isEqualTo("started\n");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            s.exec("pkill -x -f 'sleep 3003' || true", EXEC_TIMEOUT);
        }
    }

    @Test
    void commandWithStdinAndExecChannelModeBothWork() throws Exception {
        for (SshTransport transport : List.of(strict(), execChannels())) {
            try (transport; HostSession s = transport.connect(spec(host(2)))) {
                CommandResult r = s.exec("cat; echo err >&2; exit 5", "piped\n".getBytes(StandardCharsets.UTF_8),
                        EXEC_TIMEOUT);
                assertThat(r.stdout()).isEqualTo("piped\n");
                assertThat(r.stderr()).isEqualTo("err\n");
                assertThat(r.exitCode()).isEqualTo(5);
                TransportException e = catchThrowableOfType(TransportException.class,
                        () -> s.exec("sleep 3004", Duration.ofSeconds(1)));
                assertThat(e.kind()).isEqualTo(TransportException.Kind.COMMAND_TIMEOUT);
                assertThat(s.exec("pgrep -x -f 'sleep 3004' || echo gone", EXEC_TIMEOUT).stdout()).isEqualTo("gone\n");
            }
        }
    }

    @Test
    void commandKilledBySignalReportsShellStyleExitCode() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(1)))) {
            CommandResult r = s.exec("echo before; kill -TERM $$; echo after", EXEC_TIMEOUT);
            assertThat(r.stdout()).isEqualTo("before\n");
            assertThat(r.exitCode()).isEqualTo(128 + 15);
        }
    }

    @Test
    void largeStdoutAndStderrAreReadConcurrentlyWithoutDeadlock() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(2)))) {
            long t0 = System.nanoTime();
            CommandResult r = s.exec(
                    "head -c 5000000 /dev/zero | tr '\\0' o & head -c 3000000 /dev/zero | tr '\\0' e >&2; wait",
                    EXEC_TIMEOUT);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).hasSize(5_000_000).matches("o+");
            assertThat(r.stderr()).hasSize(3_000_000).matches("e+");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
        }
    }

    @Test
    void outputBeyondTheCapKeepsTheTailAndSaysSo() throws Exception {
        try (SshTransport transport = new SshTransport(settings(lab.knownHosts(), HostKeyChecking.STRICT), null,
                1000); HostSession s = transport.connect(spec(host(2)))) {
            CommandResult r = s.exec("seq 1 2000; echo tail-marker", EXEC_TIMEOUT);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).startsWith("[fleet: stdout truncated: the first ")
                    .contains("showing the last 1000]")
                    .endsWith("1999\n2000\ntail-marker\n")
                    .doesNotContain("\n1\n2\n3\n");
            assertThat(r.stderr()).isEmpty();
        }
    }

    @Test
    void concurrentExecOnTenHostsFromVirtualThreads() throws Exception {
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (SshTransport transport = strict();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (LabHost h : lab.hosts()) {
                futures.add(pool.submit(() -> {
                    try (HostSession s = transport.connect(spec(h))) {
                        // Several commands at once on the same connection as well.
                        List<Future<CommandResult>> parallel = new ArrayList<>();
                        for (int i = 0; i < 3; i++) {
                            int n = i;
                            parallel.add(pool.submit(() -> s.exec("sleep 0.3; echo " + n + " $SSH_CONNECTION",
                                    EXEC_TIMEOUT)));
                        }
                        for (int i = 0; i < 3; i++) {
                            CommandResult r = parallel.get(i).get();
                            assertThat(r.exitCode()).isZero();
                            assertThat(r.stdout()).startsWith(i + " ").contains(" " + h.address() + " " + h.port());
                        }
                        seen.put(h.name(), parallel.get(0).get().stdout());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(seen).hasSize(10);
    }

    @Test
    void knownHostsIsParsedOnceForAllConnections() throws Exception {
        try (SshTransport transport = strict()) {
            for (LabHost h : lab.hosts()) {
                try (HostSession s = transport.connect(spec(h))) {
                    assertThat(s.exec("true", EXEC_TIMEOUT).exitCode()).isZero();
                }
            }
            // Ten connections, each looking up its host twice (algorithms, then the key): one parse in all.
            assertThat(transport.knownHostsCache().fullParses()).isEqualTo(1);
        }
    }

    @Test
    void commandTimeoutKillsTheRemoteCommandAndKeepsTheSessionUsable() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(3)))) {
            long t0 = System.nanoTime();
            TransportException e = catchThrowableOfType(TransportException.class,
                    () -> s.exec("sleep 3001", Duration.ofSeconds(2)));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(TransportException.Kind.COMMAND_TIMEOUT);
            assertThat(e.hostLost()).isFalse();
            assertThat(e.host()).isEqualTo("host3");
            assertThat(e.getMessage()).contains("did not finish within 2s and was stopped (KILL sent to its process group");
            assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(6));

            // The sleep is gone on the host (killed, not merely abandoned), checked over the same connection.
            String left = "";
            for (int i = 0; i < 30; i++) {
                left = s.exec("ps -eo args | grep -x 'sleep 3001' || true", EXEC_TIMEOUT).stdout();
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(left).as("sleep 3001 still running on the host").isEmpty();
            assertThat(s.exec("echo still-usable", EXEC_TIMEOUT).stdout()).isEqualTo("still-usable\n");
        }
    }

    @Test
    void timeoutAlsoKillsPipelinesAndChildren() throws Exception {
        try (SshTransport transport = strict(); HostSession s = transport.connect(spec(host(3)))) {
            TransportException e = catchThrowableOfType(TransportException.class,
                    () -> s.exec("sleep 3002 | cat; echo never", Duration.ofSeconds(1)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.COMMAND_TIMEOUT);
            String left = "";
            for (int i = 0; i < 30; i++) {
                left = s.exec("ps -eo args | grep -x 'sleep 3002' || true", EXEC_TIMEOUT).stdout();
                if (left.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(left).isEmpty();
        }
    }

    @Test
    void lostConnectionIsReportedAsUnreachable(@TempDir Path dir) throws Exception {
        try (SshdFixture own = SshdFixture.start(dir, 1); SshTransport transport = new SshTransport(
                settings(own.knownHosts(), HostKeyChecking.STRICT), null, SshTransport.DEFAULT_OUTPUT_CAP)) {
            LabHost h = own.hosts().get(0);
            HostSession s = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(), own.user(),
                    List.of(own.privateKey()), CONNECT_TIMEOUT));
            assertThat(s.exec("true", EXEC_TIMEOUT).exitCode()).isZero();
            Thread killer = Thread.ofVirtual().start(() -> {
                sleepQuietly(1000);
                own.stop(h.name());
            });
            long t0 = System.nanoTime();
            TransportException e = catchThrowableOfType(TransportException.class,
                    () -> s.exec("sleep 30", EXEC_TIMEOUT));
            killer.join();
            assertThat(e).isNotNull();
            assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
            assertThat(e.hostLost()).isTrue();
            assertThat(e.getMessage()).contains("connection to host1 (" + h.address() + ":" + h.port() + ") was lost");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));

            TransportException again = catchThrowableOfType(TransportException.class,
                    () -> s.exec("true", EXEC_TIMEOUT));
            assertThat(again.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
            s.close();
        }
    }

    // ---- host keys ----------------------------------------------------------------------------------------

    @Test
    void strictRefusesAnUnknownHostKey() throws Exception {
        Path empty = tmp.resolve("known_hosts");
        Files.writeString(empty, "# nothing yet\n");
        LabHost h = host(4);
        try (SshTransport transport = new SshTransport(settings(empty, HostKeyChecking.STRICT))) {
            TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(spec(h)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY);
            assertThat(e.getMessage())
                    .contains("host key for host4 (" + h.address() + ":" + h.port() + ") is not in known_hosts ("
                            + empty + ")")
                    .contains("ssh-ed25519 " + fingerprint(h.hostKeyPublicLine()))
                    .contains("ssh-keyscan -p " + h.port() + " " + h.address() + " >> " + empty)
                    .contains("--host-key-checking=accept-new");
        }
        assertThat(Files.readString(empty)).isEqualTo("# nothing yet\n");
    }

    @Test
    void strictRefusesAChangedHostKey() throws Exception {
        LabHost h = host(5);
        LabHost other = host(6);
        Path kh = tmp.resolve("known_hosts");
        // host5's address and port, but host6's key: what a reinstalled host looks like.
        Files.writeString(kh, "[" + h.address() + "]:" + h.port() + " " + other.hostKeyPublicLine() + "\n");
        for (HostKeyChecking mode : List.of(HostKeyChecking.STRICT, HostKeyChecking.ACCEPT_NEW)) {
            try (SshTransport transport = new SshTransport(settings(kh, mode))) {
                TransportException e = catchThrowableOfType(TransportException.class,
                        () -> transport.connect(spec(h)));
                assertThat(e.kind()).as(mode.name()).isEqualTo(TransportException.Kind.HOST_KEY);
                assertThat(e.getMessage())
                        .contains("host key for host5 (" + h.address() + ":" + h.port()
                                + ") does not match known_hosts (" + kh + ")")
                        .contains("expected ssh-ed25519 " + fingerprint(other.hostKeyPublicLine()))
                        .contains("got ssh-ed25519 " + fingerprint(h.hostKeyPublicLine()))
                        .contains("ssh-keygen -R '[" + h.address() + "]:" + h.port() + "' -f " + kh);
            }
        }
        assertThat(Files.readAllLines(kh)).hasSize(1);
    }

    @Test
    void strictAcceptsHashedKnownHostsEntries() throws Exception {
        Path kh = tmp.resolve("known_hosts");
        Files.copy(lab.knownHosts(), kh);
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", kh.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(kh)).startsWith("|1|").doesNotContain("127.0.0.");
        try (SshTransport transport = new SshTransport(settings(kh, HostKeyChecking.STRICT));
                HostSession s = transport.connect(spec(host(7)))) {
            assertThat(s.exec("echo ok", EXEC_TIMEOUT).stdout()).isEqualTo("ok\n");
        }
        // A hashed entry with the wrong key is a mismatch too, and the message still shows the expected key.
        LabHost h = host(7);
        Path wrong = tmp.resolve("wrong_hashed");
        Files.writeString(wrong, "[" + h.address() + "]:" + h.port() + " " + host(8).hostKeyPublicLine() + "\n");
        Process q = new ProcessBuilder("ssh-keygen", "-H", "-f", wrong.toString()).redirectErrorStream(true).start();
        q.getInputStream().readAllBytes();
        assertThat(q.waitFor()).isZero();
        try (SshTransport transport = new SshTransport(settings(wrong, HostKeyChecking.STRICT))) {
            TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(spec(h)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY);
            assertThat(e.getMessage()).contains("expected ssh-ed25519 " + fingerprint(host(8).hostKeyPublicLine()));
        }
    }

    @Test
    void acceptNewAppendsTheKeyExactlyOnce() throws Exception {
        Path kh = tmp.resolve("new-dir/sub/known_hosts"); // neither directory nor file exist yet
        LabHost h = host(8);
        try (SshTransport transport = new SshTransport(settings(kh, HostKeyChecking.ACCEPT_NEW))) {
            for (int i = 0; i < 2; i++) {
                try (HostSession s = transport.connect(spec(h))) {
                    assertThat(s.exec("echo " + i, EXEC_TIMEOUT).stdout()).isEqualTo(i + "\n");
                }
            }
        }
        assertThat(Files.readAllLines(kh)).containsExactly(h.knownHostsLine());
        // The recorded key is then trusted under strict checking.
        try (SshTransport transport = new SshTransport(settings(kh, HostKeyChecking.STRICT));
                HostSession s = transport.connect(spec(h))) {
            assertThat(s.exec("true", EXEC_TIMEOUT).exitCode()).isZero();
        }
    }

    @Test
    void acceptNewFromManyThreadsAndTransportsWritesEachHostOnce() throws Exception {
        Path kh = tmp.resolve("known_hosts");
        Files.writeString(kh, "# existing content without trailing newline");
        List<LabHost> hosts = lab.hosts().subList(0, 4);
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            List<SshTransport> transports = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                // Separate transports: like separate fleet runs sharing ~/.ssh/known_hosts.
                SshTransport transport = new SshTransport(settings(kh, HostKeyChecking.ACCEPT_NEW));
                transports.add(transport);
                for (LabHost h : hosts) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        try (HostSession s = transport.connect(spec(h))) {
                            return s.exec("true", EXEC_TIMEOUT).exitCode();
                        }
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(0);
            }
            transports.forEach(SshTransport::close);
        }
        List<String> lines = Files.readAllLines(kh);
        assertThat(lines.get(0)).isEqualTo("# existing content without trailing newline");
        assertThat(lines.subList(1, lines.size()))
                .containsExactlyInAnyOrderElementsOf(hosts.stream().map(LabHost::knownHostsLine).toList());
    }

    @Test
    void offAcceptsAnyKeyAndWritesNothing() throws Exception {
        Path kh = tmp.resolve("absent/known_hosts");
        Path wrong = tmp.resolve("wrong_known_hosts");
        LabHost h = host(9);
        Files.writeString(wrong, "[" + h.address() + "]:" + h.port() + " " + host(10).hostKeyPublicLine() + "\n");
        for (Path file : List.of(kh, wrong)) {
            try (SshTransport transport = new SshTransport(settings(file, HostKeyChecking.OFF));
                    HostSession s = transport.connect(spec(h))) {
                assertThat(s.exec("echo off", EXEC_TIMEOUT).stdout()).isEqualTo("off\n");
            }
        }
        assertThat(kh).doesNotExist();
        assertThat(Files.readAllLines(wrong)).hasSize(1);
    }

    // ---- authentication ---------------------------------------------------------------------------------

    @Test
    void wrongPrivateKeyFailsWithAuthListingTheTriedKeys() throws Exception {
        Path wrongKey = keygen("ed25519", "wrong");
        Path missing = tmp.resolve("no-such-key");
        LabHost h = host(1);
        try (SshTransport transport = strict()) {
            TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(
                    new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(), List.of(wrongKey, missing),
                            CONNECT_TIMEOUT)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH);
            assertThat(e.getMessage())
                    .contains("authentication as " + lab.user() + "@" + h.address() + ":" + h.port() + " (host1)")
                    .contains(wrongKey + " (ssh-ed25519 " + fingerprint(Files.readString(pub(wrongKey))) + ")")
                    .contains(missing + " (no such file)")
                    .doesNotContain("PRIVATE KEY")
                    .doesNotContain(Files.readString(wrongKey).lines().skip(1).findFirst().orElseThrow());
        }
    }

    @Test
    void noUsableKeyFailsWithAuthBeforeTalkingToTheServer() throws Exception {
        LabHost h = host(1);
        try (SshTransport transport = strict()) {
            Path encrypted = tmp.resolve("id_encrypted");
            run(Map.of(), "ssh-keygen", "-q", "-t", "ed25519", "-N", "secret", "-f", encrypted.toString());
            TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(
                    new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(),
                            List.of(tmp.resolve("missing"), encrypted), CONNECT_TIMEOUT)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH);
            assertThat(e.getMessage()).contains("no usable private key").contains("missing (no such file)")
                    .contains(encrypted + " (encrypted; fleet cannot ask for passphrases");
        }
    }

    @Test
    void rsaAndEcdsaKeysInOpenSshFormatAndFallbackToDefaultKeys() throws Exception {
        Path rsa = keygen("rsa", "rsa");
        Path ecdsa = keygen("ecdsa", "ecdsa");
        authorize(rsa);
        authorize(ecdsa);
        LabHost h = host(2);
        for (Path key : List.of(rsa, ecdsa)) {
            try (SshTransport transport = strict(); HostSession s = transport.connect(new ConnectionSpec(h.name(),
                    h.address(), h.port(), lab.user(), List.of(key), CONNECT_TIMEOUT))) {
                assertThat(s.exec("echo " + key.getFileName(), EXEC_TIMEOUT).stdout())
                        .isEqualTo(key.getFileName() + "\n");
            }
        }
        // Host key wrong, default key right: the default keys are tried after the host's own.
        Path wrong = keygen("ed25519", "wrong2");
        SshSettings withDefault = new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(ecdsa), false,
                EXEC_TIMEOUT);
        try (SshTransport transport = new SshTransport(withDefault); HostSession s = transport.connect(
                new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(), List.of(wrong), CONNECT_TIMEOUT))) {
            assertThat(s.exec("true", EXEC_TIMEOUT).exitCode()).isZero();
        }
    }

    @Test
    void sshAgentKeysAreOfferedLast() throws Exception {
        Path rsa = keygen("rsa", "agent-rsa");
        Path ed = keygen("ed25519", "agent-ed");
        authorize(rsa);
        authorize(ed);
        Path sock = tmp.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            for (int i = 0; i < 50 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            LabHost h = host(3);
            SshSettings agentOnly = new SshSettings(lab.knownHosts(), HostKeyChecking.STRICT, List.of(), true,
                    EXEC_TIMEOUT);
            for (Path key : List.of(rsa, ed)) {
                // One key in the agent at a time, so each key type's signing path is exercised.
                run(Map.of("SSH_AUTH_SOCK", sock.toString()), "ssh-add", "-D");
                run(Map.of("SSH_AUTH_SOCK", sock.toString()), "ssh-add", key.toString());
                try (SshTransport transport = new SshTransport(agentOnly, sock, SshTransport.DEFAULT_OUTPUT_CAP);
                        HostSession s = transport.connect(new ConnectionSpec(h.name(), h.address(), h.port(),
                                lab.user(), List.of(), CONNECT_TIMEOUT))) {
                    assertThat(s.exec("echo agent", EXEC_TIMEOUT).stdout()).isEqualTo("agent\n");
                }
            }
            // An agent whose keys are not authorized: the failure names them by fingerprint.
            Path stranger = keygen("ed25519", "stranger");
            run(Map.of("SSH_AUTH_SOCK", sock.toString()), "ssh-add", "-D");
            run(Map.of("SSH_AUTH_SOCK", sock.toString()), "ssh-add", stranger.toString());
            try (SshTransport transport = new SshTransport(agentOnly, sock, SshTransport.DEFAULT_OUTPUT_CAP)) {
                TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(
                        new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(), List.of(), CONNECT_TIMEOUT)));
                assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH);
                assertThat(e.getMessage()).contains("agent key ssh-ed25519 "
                        + fingerprint(Files.readString(pub(stranger))));
            }
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // ---- unreachable --------------------------------------------------------------------------------------

    @Test
    void refusedPortIsUnreachableQuickly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        try (SshTransport transport = strict()) {
            TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(
                    new ConnectionSpec("down", "127.0.0.1", port, lab.user(), List.of(lab.privateKey()),
                            CONNECT_TIMEOUT)));
            assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
            assertThat(e.host()).isEqualTo("down");
            assertThat(e.getMessage()).contains("connect to 127.0.0.1:" + port + " (down) refused");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void listenerThatNeverSpeaksSshIsUnreachableWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never write a byte
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            Duration timeout = Duration.ofSeconds(2);
            long t0 = System.nanoTime();
            try (SshTransport transport = strict()) {
                TransportException e = catchThrowableOfType(TransportException.class, () -> transport.connect(
                        new ConnectionSpec("mute", "127.0.0.1", silent.getLocalPort(), lab.user(),
                                List.of(lab.privateKey()), timeout)));
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
                assertThat(e.getMessage())
                        .contains("no SSH banner from 127.0.0.1:" + silent.getLocalPort() + " (mute) within 2s");
                assertThat(took).isBetween(Duration.ofMillis(1900), timeout.plusSeconds(2));
            }
            silent.close();
            acceptor.join();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void oneSshjThreadPerConnectionAndNoneAfterClose() throws Exception {
        long before = sshjThreads();
        List<HostSession> sessions = new ArrayList<>();
        try (SshTransport transport = strict()) {
            for (LabHost h : lab.hosts()) {
                sessions.add(transport.connect(spec(h)));
            }
            for (HostSession s : sessions) {
                s.exec("true", EXEC_TIMEOUT);
            }
            assertThat(sshjThreads() - before).isEqualTo(lab.hosts().size());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (sshjThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(sshjThreads()).isEqualTo(before);
    }

    private static long sshjThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sshj-")).count();
    }

    @Test
    void closingTheTransportClosesItsSessions() throws Exception {
        HostSession s;
        try (SshTransport transport = strict()) {
            s = transport.connect(spec(host(4)));
            assertThat(s.exec("true", EXEC_TIMEOUT).exitCode()).isZero();
        }
        assertThat(((SshHostSession) s).isConnected()).isFalse();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static LabHost host(int i) {
        return lab.hosts().get(i - 1);
    }

    private static ConnectionSpec spec(LabHost h) {
        return new ConnectionSpec(h.name(), h.address(), h.port(), lab.user(), List.of(lab.privateKey()),
                CONNECT_TIMEOUT);
    }

    private static SshSettings settings(Path knownHosts, HostKeyChecking mode) {
        return new SshSettings(knownHosts, mode, List.of(), false, EXEC_TIMEOUT);
    }

    private static SshTransport strict() {
        return new SshTransport(settings(lab.knownHosts(), HostKeyChecking.STRICT));
    }

    /** One exec channel per command, no persistent shell (FLEET_PERSISTENT_SHELL=0). */
    private static SshTransport execChannels() {
        return new SshTransport(settings(lab.knownHosts(), HostKeyChecking.STRICT), null,
                SshTransport.DEFAULT_OUTPUT_CAP, false);
    }

    /** OpenSSH's SHA256 fingerprint of a "type base64 [comment]" public key line. */
    private static String fingerprint(String publicKeyLine) throws Exception {
        byte[] blob = Base64.getDecoder().decode(publicKeyLine.trim().split("\\s+")[1]);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
        return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    }

    private Path keygen(String type, String name) throws Exception {
        Path key = tmp.resolve("id_" + name);
        run(Map.of(), "ssh-keygen", "-q", "-t", type, "-N", "", "-C", name, "-f", key.toString());
        return key;
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static void authorize(Path key) throws IOException {
        Files.writeString(lab.authorizedKeys(), Files.readString(pub(key)), StandardOpenOption.APPEND);
    }

    private static void run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
