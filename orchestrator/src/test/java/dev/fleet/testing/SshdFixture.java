package dev.fleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real OpenSSH servers for integration tests: one {@code sshd -D} process per lab host, each on its own loopback
 * address ({@code 127.0.0.11}, {@code 127.0.0.12}, ...) and a random free port, each with its own ed25519 host
 * key. One unencrypted ed25519 client key is authorized for the current user on all of them.
 *
 * <p>Everything lives in {@code workDir}: keys, {@code known_hosts} (OpenSSH format, {@code [addr]:port}
 * entries), {@code inventory.ini} (group {@code [lab]}), per-host {@code sshd_config}, pid files and logs
 * ({@code hostN.log}, useful when a test fails).
 *
 * <pre>{@code
 * assumeTrue(SshdFixture.sshdAvailable());
 * try (SshdFixture lab = SshdFixture.start(tempDir, 3)) {
 *     LabHost h = lab.hosts().get(0);
 *     ... connect to h.address():h.port() as lab.user() with lab.privateKey(), verify with lab.knownHosts()
 * }
 * }</pre>
 *
 * Works as root and as an ordinary user. As root every sshd runs in a private mount namespace with an empty
 * file bind-mounted over {@code ~/.bashrc}: on the dev machines root's .bashrc runs pyenv init (~1 s), which bash
 * sources for every non-interactive ssh command and would make every test command slow.
 */
public final class SshdFixture implements AutoCloseable {

    /** One lab host: inventory name, loopback address, port, and its host public key ("ssh-ed25519 AAAA... c"). */
    public record LabHost(String name, String address, int port, String hostKeyPublicLine) {
        /** "127.0.0.11:40123", for messages. */
        public String endpoint() {
            return address + ":" + port;
        }

        /** The line this host has in {@code known_hosts}: {@code [addr]:port type base64}. */
        public String knownHostsLine() {
            String[] parts = hostKeyPublicLine.trim().split("\\s+");
            return "[" + address + "]:" + port + " " + parts[0] + " " + parts[1];
        }
    }

    /** First lab address is 127.0.0.(BASE+1). */
    private static final int ADDRESS_BASE = 10;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final int PORT_ATTEMPTS = 5;
    private static final List<String> SSHD_CANDIDATES = List.of("/usr/sbin/sshd", "/usr/local/sbin/sshd", "/sbin/sshd");
    private static final List<String> KEYGEN_CANDIDATES = List.of("/usr/bin/ssh-keygen", "/usr/local/bin/ssh-keygen",
            "/bin/ssh-keygen");

    private final Path workDir;
    private final String user;
    private final boolean root;
    private final boolean overlay;
    private final Path sshd;
    private final Path clientKey;
    private final Path knownHosts;
    private final Path inventory;
    private final Map<String, Server> servers = new LinkedHashMap<>();

    /** Mutable per-host state; the LabHost record is derived from it. */
    private static final class Server {
        final LabHost host;
        final Path config;
        final Path log;
        Process process;

        Server(LabHost host, Path config, Path log) {
            this.host = host;
            this.config = config;
            this.log = log;
        }
    }

    private SshdFixture(Path workDir, String user, boolean root, Path sshd, boolean overlay) {
        this.workDir = workDir;
        this.user = user;
        this.root = root;
        this.overlay = overlay;
        this.sshd = sshd;
        this.clientKey = workDir.resolve("client_ed25519");
        this.knownHosts = workDir.resolve("known_hosts");
        this.inventory = workDir.resolve("inventory.ini");
    }

    /**
     * Whether the fixture can run here: an sshd and ssh-keygen binary exist and the lab loopback addresses can
     * be bound (Linux routes all of 127.0.0.0/8 to lo; macOS does not). Use with {@code assumeTrue}.
     */
    public static boolean sshdAvailable() {
        if (findExecutable(SSHD_CANDIDATES).isEmpty() || findExecutable(KEYGEN_CANDIDATES).isEmpty()) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address(1)), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Generates keys and configs in {@code workDir} (created if missing) and starts {@code hostCount} sshd
     * processes; returns once each answers with an SSH banner. On failure everything started is stopped again.
     */
    public static SshdFixture start(Path workDir, int hostCount) throws IOException {
        return start(workDir, hostCount, false);
    }

    /**
     * Whether {@link #startOverlay} can run here: {@link #sshdAvailable()}, root, and overlayfs in a private
     * mount namespace. Use with {@code assumeTrue}.
     */
    public static boolean overlayAvailable() {
        return sshdAvailable() && OverlayRoot.available();
    }

    /**
     * As {@link #start}, but every host's root file system is an overlay of this machine's root (see
     * {@link OverlayRoot}): what a test does as root on such a host (install packages, add users, edit /etc, set
     * the hostname) lands in {@link #upperDir} and never on this machine; {@link #reset} gives a host a fresh
     * overlay. The machine's /tmp is shared with the hosts as on an ordinary lab.
     */
    public static SshdFixture startOverlay(Path workDir, int hostCount) throws IOException {
        if (!OverlayRoot.available()) {
            throw new IOException("overlay lab hosts need root, unshare and overlayfs; guard the test with "
                    + "assumeTrue(SshdFixture.overlayAvailable())");
        }
        return start(workDir, hostCount, true);
    }

    private static SshdFixture start(Path workDir, int hostCount, boolean overlay) throws IOException {
        if (hostCount < 1 || hostCount > 240) {
            throw new IllegalArgumentException("hostCount must be 1..240, got " + hostCount);
        }
        Path sshd = findExecutable(SSHD_CANDIDATES)
                .orElseThrow(() -> new IOException("no sshd binary found in " + SSHD_CANDIDATES
                        + "; install openssh-server or guard the test with assumeTrue(SshdFixture.sshdAvailable())"));
        workDir = workDir.toAbsolutePath();
        Files.createDirectories(workDir);
        String user = System.getProperty("user.name");
        boolean root = "root".equals(user);
        SshdFixture fixture = new SshdFixture(workDir, user, root, sshd, overlay);
        try {
            fixture.setUp(hostCount);
            return fixture;
        } catch (IOException | RuntimeException e) {
            fixture.close();
            throw e;
        }
    }

    private void setUp(int hostCount) throws IOException {
        if (root) {
            // sshd's privilege separation directory; missing on container images that never started sshd.
            Files.createDirectories(Path.of("/run/sshd"));
        }
        Files.writeString(workDir.resolve("quiet-bashrc"), "");
        keygen(clientKey, "fleet-test-client");
        Path authorizedKeys = workDir.resolve("authorized_keys");
        Files.copy(pub(clientKey), authorizedKeys, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        boolean penaltiesOption = sshdSupportsPerSourcePenalties();
        for (int i = 1; i <= hostCount; i++) {
            String name = "host" + i;
            Path hostKey = workDir.resolve(name + "_ed25519");
            keygen(hostKey, "fleet-test-" + name);
            String pubLine = Files.readString(pub(hostKey)).trim();
            Path config = workDir.resolve(name + "_sshd_config");
            Path log = workDir.resolve(name + ".log");
            Server server = launchOnFreePort(name, address(i), pubLine, hostKey, authorizedKeys, config, log,
                    penaltiesOption);
            servers.put(name, server);
        }
        writeKnownHosts();
        writeInventory();
    }

    /** Picks a free port, starts sshd on it and waits for the banner; retries if another process took the port. */
    private Server launchOnFreePort(String name, String address, String pubLine, Path hostKey, Path authorizedKeys,
            Path config, Path log, boolean penaltiesOption) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket()) {
                probe.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
                port = probe.getLocalPort();
            } catch (IOException e) {
                last = e;
                continue;
            }
            Files.writeString(config, sshdConfig(name, address, port, hostKey, authorizedKeys, penaltiesOption));
            Server server = new Server(new LabHost(name, address, port, pubLine), config, log);
            try {
                launch(server);
                return server;
            } catch (IOException e) {
                last = e;
                kill(server);
            }
        }
        throw new IOException("could not start sshd for " + name + " on " + address + " after " + PORT_ATTEMPTS
                + " attempts; see " + log, last);
    }

    private String sshdConfig(String name, String address, int port, Path hostKey, Path authorizedKeys,
            boolean penaltiesOption) {
        StringBuilder c = new StringBuilder();
        c.append("# generated by SshdFixture for ").append(name).append('\n');
        c.append("ListenAddress ").append(address).append(':').append(port).append('\n');
        c.append("HostKey ").append(hostKey).append('\n');
        c.append("PidFile ").append(workDir.resolve(name + ".pid")).append('\n');
        c.append("AuthorizedKeysFile ").append(authorizedKeys).append('\n');
        c.append("AllowUsers ").append(user).append('\n');
        c.append("PubkeyAuthentication yes\n");
        c.append("PasswordAuthentication no\n");
        c.append("KbdInteractiveAuthentication no\n");
        // PAM needs root and may be slow or absent in containers; root's account is checked without it.
        c.append("UsePAM no\n");
        // The work dir is usually a JUnit temp dir whose parents sshd would otherwise reject.
        c.append("StrictModes no\n");
        if (root) {
            c.append("PermitRootLogin prohibit-password\n");
        }
        c.append("UseDNS no\n");
        c.append("PrintMotd no\n");
        c.append("PrintLastLog no\n");
        c.append("X11Forwarding no\n");
        // Tests open many connections and sessions at once (concurrency tests, reused connections).
        c.append("MaxStartups 200\n");
        c.append("MaxSessions 100\n");
        c.append("MaxAuthTries 20\n");
        c.append("LoginGraceTime 30\n");
        if (penaltiesOption) {
            // OpenSSH >= 9.8 would otherwise block 127.0.0.1 after the deliberate auth failures of some tests.
            c.append("PerSourcePenalties no\n");
        }
        c.append("Subsystem sftp internal-sftp\n");
        c.append("LogLevel VERBOSE\n");
        return c.toString();
    }

    /** Starts the sshd process of {@code server} and waits until it speaks SSH. */
    private void launch(Server server) throws IOException {
        List<String> command = new ArrayList<>();
        String sshdLine = sshd + " -D -e -f " + shellQuote(server.config.toString());
        if (overlay) {
            OverlayRoot.prepare(rootDir(server.host.name()), false);
            command.addAll(OverlayRoot.command(rootDir(server.host.name()), server.host.name(), workDir,
                    workDir.resolve("quiet-bashrc"), sshdLine));
        } else if (root && unshareWorks()) {
            // Private mount namespace: the bind mount over ~/.bashrc is invisible to the rest of the machine and
            // disappears with the sshd. A failing mount only costs speed, so it must not stop sshd from starting.
            String home = System.getProperty("user.home");
            String bashrc = home + "/.bashrc";
            String script = "if [ -f " + shellQuote(bashrc) + " ]; then mount --bind "
                    + shellQuote(workDir.resolve("quiet-bashrc").toString()) + " " + shellQuote(bashrc)
                    + " || echo 'SshdFixture: could not hide ~/.bashrc' >&2; fi; exec " + sshdLine;
            command.addAll(List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script));
        } else {
            command.addAll(List.of(sshd.toString(), "-D", "-e", "-f", server.config.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(server.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        server.process = pb.start();
        awaitBanner(server);
    }

    private void awaitBanner(Server server) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.process.isAlive()) {
                throw new IOException("sshd for " + server.host.name() + " on " + server.host.endpoint()
                        + " exited with " + server.process.exitValue() + "; log " + server.log + ":\n"
                        + tail(server.log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(server.host.address(), server.host.port()), 500);
                s.setSoTimeout(2000);
                String banner = readLine(s.getInputStream());
                if (banner.startsWith("SSH-")) {
                    return;
                }
                last = new IOException("unexpected banner '" + banner + "'");
            } catch (IOException e) {
                last = e;
            }
            sleep(50);
        }
        throw new IOException("sshd for " + server.host.name() + " on " + server.host.endpoint()
                + " did not print an SSH banner within " + READY_TIMEOUT.toSeconds() + "s; log " + server.log + ":\n"
                + tail(server.log), last);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) != -1 && b != '\n' && sb.length() < 256) {
            sb.append((char) b);
        }
        return sb.toString().trim();
    }

    private static Boolean unshareWorks;

    /** Probed once: containers without CAP_SYS_ADMIN cannot create mount namespaces even as root. */
    private static synchronized boolean unshareWorks() {
        if (unshareWorks == null) {
            try {
                Process p = new ProcessBuilder("unshare", "-m", "--propagation", "private", "true")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                unshareWorks = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                unshareWorks = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                unshareWorks = false;
            }
        }
        return unshareWorks;
    }

    private boolean sshdSupportsPerSourcePenalties() {
        try {
            Process p = new ProcessBuilder(sshd.toString(), "-V").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(5, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("OpenSSH_(\\d+)\\.(\\d+)").matcher(out);
            if (m.find()) {
                int major = Integer.parseInt(m.group(1));
                int minor = Integer.parseInt(m.group(2));
                return major > 9 || (major == 9 && minor >= 8);
            }
        } catch (IOException e) {
            // Unknown version: leave the option out, it is only a convenience.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private static void keygen(Path key, String comment) throws IOException {
        Files.deleteIfExists(key);
        Files.deleteIfExists(pub(key));
        String keygen = findExecutable(KEYGEN_CANDIDATES).map(Path::toString).orElse("ssh-keygen");
        run(List.of(keygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()));
        try {
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file system: ssh-keygen already did its best.
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 30s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new InterruptedIOException("interrupted while running " + command.get(0));
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed with exit " + p.exitValue() + ": " + out);
        }
    }

    private void writeKnownHosts() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Server s : servers.values()) {
            sb.append(s.host.knownHostsLine()).append('\n');
        }
        Files.writeString(knownHosts, sb.toString());
    }

    private void writeInventory() throws IOException {
        StringBuilder sb = new StringBuilder("[lab]\n");
        for (Server s : servers.values()) {
            sb.append(s.host.name())
                    .append(" ansible_host=").append(s.host.address())
                    .append(" ansible_port=").append(s.host.port())
                    .append(" ansible_user=").append(user)
                    .append(" ansible_ssh_private_key_file=").append(clientKey)
                    .append('\n');
        }
        Files.writeString(inventory, sb.toString());
    }

    /** The lab hosts in order host1..hostN. */
    public List<LabHost> hosts() {
        return servers.values().stream().map(s -> s.host).toList();
    }

    /** One lab host by inventory name ("host1"). */
    public LabHost host(String name) {
        return server(name).host;
    }

    /** The unencrypted ed25519 client private key (OpenSSH format) authorized on every host. */
    public Path privateKey() {
        return clientKey;
    }

    /** The AuthorizedKeysFile shared by all hosts; tests may append further public keys to it. */
    public Path authorizedKeys() {
        return workDir.resolve("authorized_keys");
    }

    /** The host's private host key file, e.g. to build a known_hosts with a wrong key from another host. */
    public Path hostKeyFile(String name) {
        server(name);
        return workDir.resolve(name + "_ed25519");
    }

    /** known_hosts with one {@code [addr]:port ssh-ed25519 ...} line per host. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** inventory.ini: group [lab] with ansible_host, ansible_port, ansible_user, ansible_ssh_private_key_file. */
    public Path inventory() {
        return inventory;
    }

    /** The login user: the user running the tests. */
    public String user() {
        return user;
    }

    public Path workDir() {
        return workDir;
    }

    /** The sshd log of one host (stderr of {@code sshd -e}). */
    public Path log(String name) {
        return server(name).log;
    }

    /** Stops one host's sshd and every session it serves; connections to it then fail with "refused". */
    public synchronized void stop(String name) {
        kill(server(name));
    }

    /** Starts a stopped host again, same address, port and host key. */
    public synchronized void restart(String name) {
        Server s = server(name);
        kill(s);
        try {
            launch(s);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart sshd for " + name, e);
        }
    }

    /**
     * Overlay hosts only: stops the host, throws away everything it wrote (its upper directory) and starts it
     * again on the same address, port and host key, as a fresh copy of this machine's root.
     */
    public synchronized void reset(String name) {
        if (!overlay) throw new IllegalStateException("reset is for overlay hosts (SshdFixture.startOverlay)");
        Server s = server(name);
        kill(s);
        try {
            OverlayRoot.prepare(rootDir(name), true);
            launch(s);
        } catch (IOException e) {
            throw new UncheckedIOException("could not reset overlay host " + name, e);
        }
    }

    /** Overlay hosts only: the directory holding what the host wrote over this machine's root. */
    public Path upperDir(String name) {
        server(name);
        return rootDir(name).resolve("upper");
    }

    private Path rootDir(String name) {
        return workDir.resolve(name + "-root");
    }

    /** Whether the host's sshd process is running. */
    public synchronized boolean running(String name) {
        Process p = server(name).process;
        return p != null && p.isAlive();
    }

    /** Kills every sshd and its sessions and waits for them to exit; overlay hosts' roots are deleted. */
    @Override
    public synchronized void close() {
        for (Server s : servers.values()) {
            kill(s);
            if (overlay) {
                try {
                    OverlayRoot.deleteTree(rootDir(s.host.name()));
                } catch (IOException e) {
                    // Left in the work dir, which the caller deletes or the OS cleans with /tmp.
                }
            }
        }
    }

    private Server server(String name) {
        Server s = servers.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no lab host '" + name + "'; hosts are " + servers.keySet());
        }
        return s;
    }

    /**
     * Kills the sessions first (the per-connection sshd children and the shells under them), then the listener:
     * killing only the listener would leave established sessions running, which is not what a "host went down"
     * test wants.
     */
    private static void kill(Server s) {
        Process p = s.process;
        if (p == null) {
            return;
        }
        // Freeze first, then look: a connection sshd accepts while we list its processes would otherwise get a
        // session process the list misses, which outlives the kill and keeps serving its client (seen in
        // RebootModuleTest: a reconnect racing stop() read the host as if it were still up). Stopped processes
        // cannot fork, so the second listing is complete.
        freeze(p.toHandle());
        p.descendants().forEach(SshdFixture::freeze);
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Best effort: a process we cannot wait for is reported by the next start failing to bind.
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        s.process = null;
    }

    /** SIGSTOP, best effort (Java has no SIGSTOP of its own); a process already gone is fine. */
    private static void freeze(ProcessHandle h) {
        try {
            Process k = new ProcessBuilder("kill", "-STOP", String.valueOf(h.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: the plain kill below still runs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String address(int index) {
        return "127.0.0." + (ADDRESS_BASE + index);
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static Optional<Path> findExecutable(List<String> candidates) {
        return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst();
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for sshd");
        }
    }
}
