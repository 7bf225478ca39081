package dev.fleet.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * SSH transport on sshj: one {@link SSHClient} (one TCP connection) per host, reused for all of its commands.
 *
 * <p>Resources per connection: sshj runs exactly one platform thread per connection ("sshj-Reader", it reads
 * and dispatches packets); its keep-alive thread is only started when a keep-alive interval is set, which fleet
 * does not do. Each running {@link HostSession#exec} adds two short-lived virtual threads that drain stdout and
 * stderr.
 *
 * <p>Thread-safe: connect may be called concurrently for different hosts, typically one virtual thread per host.
 */
public final class SshTransport implements Transport {

    /**
     * Per stream of one command; beyond this only the tail is kept (see OutputTail) and the rest is read and
     * dropped. 8 MiB is far more than people read of a command, and 256 commands in flight at once (the default
     * forks) could still hold 4 GiB between their two streams; {@code FLEET_OUTPUT_CAP_MIB} (1 to 512) changes it.
     */
    static final int DEFAULT_OUTPUT_CAP = 8 * 1024 * 1024;

    private final SshSettings settings;
    private final Path agentSocket;
    private final int outputCap;
    static final int MAX_CHANNEL_PACKET = 16 * 1024;
    /** Shared: DefaultConfig is only a set of algorithm factories, costly to build and safe to share. */
    private final Config config = new DefaultConfig();
    /** Parsed private keys by path, so a 500-host run parses each key file once. */
    private final Map<Path, LoadedKey> keyCache = new ConcurrentHashMap<>();
    private final Set<SshHostSession> open = ConcurrentHashMap.newKeySet();
    /** Parsed once for all connections (see KnownHostsCache for why it matters at 1000 hosts). */
    private final KnownHostsCache knownHosts;
    /**
     * Handshakes in flight at once. Key exchange is CPU work on both ends; starting 1000 at once on a small
     * controller makes all of them slow enough to hit the connect timeout (seen: 718 of 1000 hosts lost at -T 10).
     * A bounded rate of new connections finishes them all, and keeps servers' MaxStartups from dropping us. The
     * connect timeout starts when a handshake gets its turn, not while it waits for one.
     */
    private final Semaphore handshakes = new Semaphore(maxHandshakes());

    /**
     * Whether commands run in one persistent shell per host (see RemoteShell) rather than an exec channel each.
     * On by default; {@code FLEET_PERSISTENT_SHELL=0} turns it off (for comparison, or a host whose /bin/sh misbehaves).
     */
    private final boolean persistentShell;

    static int maxHandshakes() {
        String env = System.getenv("FLEET_MAX_HANDSHAKES");
        if (env != null && env.matches("\\d{1,5}") && Integer.parseInt(env) > 0) return Integer.parseInt(env);
        return Math.max(16, 16 * Runtime.getRuntime().availableProcessors());
    }

    /** The output cap: {@code FLEET_OUTPUT_CAP_MIB} when set to a whole number of MiB from 1 to 512. */
    static int outputCap(String env) {
        if (env == null || env.isBlank()) return DEFAULT_OUTPUT_CAP;
        String mib = env.strip();
        if (!mib.matches("\\d{1,3}") || Integer.parseInt(mib) < 1 || Integer.parseInt(mib) > 512) {
            throw new IllegalArgumentException("FLEET_OUTPUT_CAP_MIB must be a whole number of MiB from 1 to 512, "
                    + "not '" + env + "'");
        }
        return Integer.parseInt(mib) << 20;
    }

    static int outputCapFromEnvironment() {
        return outputCap(System.getenv("FLEET_OUTPUT_CAP_MIB"));
    }

    public SshTransport(SshSettings settings) {
        this(settings, agentSocketFromEnvironment(), outputCapFromEnvironment());
    }

    /** For tests: an explicit agent socket (null = none) and output cap. */
    SshTransport(SshSettings settings, Path agentSocket, int outputCap) {
        this(settings, agentSocket, outputCap, !"0".equals(System.getenv("FLEET_PERSISTENT_SHELL")));
    }

    /** For tests: also whether to use the persistent shell. */
    SshTransport(SshSettings settings, Path agentSocket, int outputCap, boolean persistentShell) {
        this.persistentShell = persistentShell;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.agentSocket = agentSocket;
        this.outputCap = outputCap;
        this.knownHosts = new KnownHostsCache(settings.knownHosts());
    }

    private static Path agentSocketFromEnvironment() {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return sock == null || sock.isBlank() ? null : Path.of(sock);
    }

    public SshSettings settings() {
        return settings;
    }

    /** For tests: the parsed known_hosts shared by this transport's connections. */
    KnownHostsCache knownHostsCache() {
        return knownHosts;
    }

    /**
     * Connects and authenticates. A connect that fails transiently before authentication (refused, reset, or closed
     * by the server before or during the key exchange, as an sshd that is restarting or at MaxStartups does) is tried
     * again up to {@link SshSettings#connectRetries()} times with exponential backoff and jitter. Timeouts, DNS and
     * routing errors, host key and authentication failures are final at once: retrying cannot fix them, and a
     * timeout retried would multiply how long an unreachable host holds up its slot.
     */
    @Override
    public HostSession connect(ConnectionSpec spec) throws TransportException {
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                handshakes.acquire();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new TransportException(spec.host(), TransportException.Kind.UNREACHABLE,
                        "interrupted while waiting to connect to " + spec.address() + ":" + spec.port());
            }
            TransientConnectFailure e;
            try {
                return connectOnce(spec);
            } catch (TransientConnectFailure failure) {
                e = failure;
            } finally {
                handshakes.release();
            }
            if (attempt > settings.connectRetries()) {
                String tries = attempt == 1 ? "" : " (gave up after " + attempt + " attempts)";
                throw new TransportException(spec.host(), e.kind(), e.getMessage() + tries, e.getCause());
            }
            Duration wait = settings.backoffBefore(attempt, ThreadLocalRandom.current());
            try {
                Thread.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new TransportException(spec.host(), TransportException.Kind.UNREACHABLE,
                        e.getMessage() + " (interrupted while waiting to retry)", e.getCause());
            }
        }
    }

    @Override
    public Duration connectBudget(Duration connectTimeout) {
        return settings.connectBudget(connectTimeout);
    }

    /** An UNREACHABLE failure that another attempt may well not have; only ever seen inside {@link #connect}. */
    private static final class TransientConnectFailure extends TransportException {
        TransientConnectFailure(TransportException e) {
            super(e.host(), e.kind(), e.getMessage(), e.getCause());
        }
    }

    private HostSession connectOnce(ConnectionSpec spec) throws TransportException {
        String label = spec.host() + " (" + spec.address() + ":" + spec.port() + ")";
        int timeoutMs = (int) Math.max(1, Math.min(Integer.MAX_VALUE, spec.connectTimeout().toMillis()));
        SSHClient client = new SSHClient(config);
        // Both the TCP connect and, via SO_TIMEOUT and the transport timeout, the banner, key exchange,
        // authentication and channel opens are bounded by the connect timeout.
        client.setConnectTimeout(timeoutMs);
        client.setTimeout(timeoutMs);
        client.getTransport().setTimeoutMs(timeoutMs);
        client.getConnection().setTimeoutMs(timeoutMs);
        // Channel packets of at most 16 KiB instead of sshj's 32 KiB: every channel's input buffers start at this
        // size (and grow only for output that needs it), and a host's shell keeps two open for the whole play:
        // 32 KiB less per host. The window (how much may be in flight) is unchanged, so throughput is too.
        client.getConnection().setMaxPacketSize(MAX_CHANNEL_PACKET);
        KnownHostsVerifier verifier = new KnownHostsVerifier(knownHosts, settings.hostKeyChecking(), label);
        client.addHostKeyVerifier(verifier);
        // A jump host is connected first, without a handshake permit of its own: the caller holds one, and nested
        // permits could deadlock when every permit waits for a jump connection. One jump connection per target.
        SshHostSession jump = spec.jump() == null ? null : (SshHostSession) connectOnce(spec.jump());
        boolean ok = false;
        try {
            try {
                if (jump == null) {
                    client.connect(spec.address(), spec.port());
                } else {
                    client.connectVia(jump.client().newDirectConnection(spec.address(), spec.port()));
                }
            } catch (IOException e) {
                if (verifier.failure() != null) {
                    throw new TransportException(spec.host(), TransportException.Kind.HOST_KEY, verifier.failure(), e);
                }
                TransportException failure = unreachable(spec, label, client, e);
                throw isTransient(e, serverVersion(client)) ? new TransientConnectFailure(failure) : failure;
            }
            authenticate(client, spec, label);
            SshHostSession session = new SshHostSession(spec, label, client, settings.commandTimeout(), outputCap,
                    persistentShell, jump == null ? open::remove : s -> {
                        open.remove(s);
                        jump.close();
                    });
            open.add(session);
            ok = true;
            return session;
        } finally {
            if (!ok) {
                closeQuietly(client);
                if (jump != null) jump.close();
            }
        }
    }

    /**
     * Whether a failed connect is worth another attempt: refused or reset, or the server hung up before or during
     * the key exchange. Not: timeouts (the host or network is slow or silent), names or routes that do not resolve.
     */
    static boolean isTransient(IOException e, String bannerSeen) {
        if (e instanceof UnknownHostException || e instanceof NoRouteToHostException) {
            return false;
        }
        if (hasCause(e, SocketTimeoutException.class) || hasCause(e, TimeoutException.class)) {
            return false;
        }
        if (e instanceof ConnectException || hasCause(e, java.io.EOFException.class)
                || hasCause(e, java.net.SocketException.class)) {
            return true;
        }
        if (bannerSeen == null) {
            return true; // closed before the banner: sshd starting up, MaxStartups, a load balancer without backend
        }
        String m = rootMessage(e).toLowerCase(java.util.Locale.ROOT);
        return m.contains("eof") || m.contains("reset") || m.contains("broken pipe");
    }

    /** Closes every session still open. */
    @Override
    public void close() {
        for (SshHostSession s : List.copyOf(open)) {
            s.close();
        }
    }

    private TransportException unreachable(ConnectionSpec spec, String label, SSHClient client, IOException e) {
        String endpoint = spec.address() + ":" + spec.port();
        long secs = Math.max(1, spec.connectTimeout().toSeconds());
        String timeoutText = spec.connectTimeout().toMillis() % 1000 == 0 ? secs + "s"
                : spec.connectTimeout().toMillis() + "ms";
        String bannerSeen = serverVersion(client);
        String msg;
        if (e instanceof UnknownHostException) {
            msg = "cannot resolve " + spec.address() + " (host " + spec.host() + "); check ansible_host in the inventory";
        } else if (e instanceof ConnectException) {
            msg = "connect to " + endpoint + " (" + spec.host() + ") refused: nothing listens there; is sshd running "
                    + "and is ansible_port right?";
        } else if (e instanceof NoRouteToHostException) {
            msg = "no route to " + endpoint + " (" + spec.host() + ")";
        } else if (e instanceof SocketTimeoutException) {
            // Thrown unwrapped only by the TCP connect itself.
            msg = "connect to " + endpoint + " (" + spec.host() + ") timed out after " + timeoutText;
        } else if (bannerSeen == null && hasCause(e, SocketTimeoutException.class)) {
            msg = "no SSH banner from " + endpoint + " (" + spec.host() + ") within " + timeoutText
                    + ": the port accepts connections but does not speak SSH (wrong port, or sshd overloaded)";
        } else if (bannerSeen == null) {
            msg = endpoint + " (" + spec.host() + ") closed the connection before sending an SSH banner ("
                    + rootMessage(e) + "); is it an SSH server, and does it allow this client (MaxStartups, "
                    + "tcp wrappers)?";
        } else if (hasCause(e, TimeoutException.class)) {
            msg = "SSH handshake with " + endpoint + " (" + spec.host() + ", " + bannerSeen + ") did not complete "
                    + "within " + timeoutText;
        } else {
            msg = "SSH handshake with " + endpoint + " (" + spec.host() + ", " + bannerSeen + ") failed: "
                    + rootMessage(e);
        }
        return new TransportException(spec.host(), TransportException.Kind.UNREACHABLE, msg, e);
    }

    // ---- authentication -----------------------------------------------------------------------------------

    /** A private key file, parsed, or why it could not be used. */
    private record LoadedKey(Path path, KeyProvider provider, String description, String problem) {}

    private void authenticate(SSHClient client, ConnectionSpec spec, String label) throws TransportException {
        List<AuthMethod> methods = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        List<Path> candidates = new ArrayList<>();
        spec.privateKeys().forEach(p -> candidates.add(expandHome(p)));
        settings.defaultKeys().forEach(p -> candidates.add(expandHome(p)));
        for (Path path : candidates) {
            if (!seen.add(path.toAbsolutePath().normalize())) {
                continue;
            }
            // Not computeIfAbsent: that would parse the file inside the map's bin lock (pinning virtual threads);
            // two threads parsing the same key at once is harmless.
            Path normalized = path.toAbsolutePath().normalize();
            LoadedKey key = keyCache.get(normalized);
            if (key == null) {
                key = load(client, normalized);
                keyCache.putIfAbsent(normalized, key);
            }
            if (key.problem() != null) {
                skipped.add(path + " (" + key.problem() + ")");
            } else {
                methods.add(new AuthPublickey(key.provider()));
                offered.add(path + " (" + key.description() + ")");
            }
        }
        if (settings.useAgent() && agentSocket != null) {
            SshAgentClient agent = new SshAgentClient(agentSocket);
            try {
                for (SshAgentClient.Identity id : agent.identities()) {
                    try {
                        PublicKey pub = new net.schmizz.sshj.common.Buffer.PlainBuffer(id.blob()).readPublicKey();
                        methods.add(new AgentAuthPublickey(agent, id, pub));
                        offered.add("agent key " + SshKeyFormat.describe(pub)
                                + (id.comment().isEmpty() ? "" : " (" + id.comment() + ")"));
                    } catch (net.schmizz.sshj.common.Buffer.BufferException | RuntimeException e) {
                        skipped.add("agent key " + SshKeyFormat.fingerprint(id.blob()) + " (unsupported type)");
                    }
                }
            } catch (IOException e) {
                skipped.add("ssh-agent at " + agentSocket + " (" + e.getMessage() + ")");
            }
        } else if (settings.useAgent()) {
            skipped.add("ssh-agent (SSH_AUTH_SOCK is not set)");
        }

        String who = spec.user() + "@" + spec.address() + ":" + spec.port() + " (" + spec.host() + ")";
        if (methods.isEmpty()) {
            throw new TransportException(spec.host(), TransportException.Kind.AUTH, "cannot log in as " + who
                    + ": no usable private key to offer" + (skipped.isEmpty() ? "" : "; skipped: "
                    + String.join(", ", skipped)) + ". Set ansible_ssh_private_key_file for the host, create "
                    + "~/.ssh/id_ed25519, or load a key into ssh-agent");
        }
        try {
            client.auth(spec.user(), methods);
        } catch (UserAuthException e) {
            String allowed = String.join(",", client.getUserAuth().getAllowedMethods());
            String msg = "authentication as " + who + " failed: the server accepted none of the offered keys: "
                    + String.join(", ", offered)
                    + (skipped.isEmpty() ? "" : "; not offered: " + String.join(", ", skipped))
                    + (allowed.isEmpty() ? "" : "; server allows: " + allowed)
                    + ". Check that the matching public key is in ~" + spec.user()
                    + "/.ssh/authorized_keys on the host, or set ansible_ssh_private_key_file";
            throw new TransportException(spec.host(), TransportException.Kind.AUTH, msg, e);
        } catch (net.schmizz.sshj.transport.TransportException e) {
            throw new TransportException(spec.host(), TransportException.Kind.UNREACHABLE, "connection to " + who
                    + " failed during authentication: " + rootMessage(e), e);
        }
    }

    private static LoadedKey load(SSHClient client, Path path) {
        if (!Files.exists(path)) {
            return new LoadedKey(path, null, null, "no such file");
        }
        if (!Files.isReadable(path)) {
            return new LoadedKey(path, null, null, "not readable");
        }
        try {
            KeyProvider provider = client.loadKeys(path.toString());
            PublicKey pub = provider.getPublic();
            // Parse the private half now: an encrypted key would otherwise fail in the middle of authentication.
            provider.getPrivate();
            return new LoadedKey(path, provider, SshKeyFormat.describe(pub), null);
        } catch (IOException | RuntimeException e) {
            String why = String.valueOf(e.getMessage()).toLowerCase();
            String problem = why.contains("password") || why.contains("passphrase") || why.contains("encrypt")
                    ? "encrypted; fleet cannot ask for passphrases, add it to ssh-agent instead"
                    : "cannot be read as a private key: " + e.getMessage();
            return new LoadedKey(path, null, null, problem);
        }
    }

    private static Path expandHome(Path p) {
        String s = p.toString();
        if (s.equals("~") || s.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + s.substring(1));
        }
        return p;
    }

    /** sshj's getServerVersion() throws instead of returning null when no banner arrived. */
    private static String serverVersion(SSHClient client) {
        try {
            String v = client.getTransport().getServerVersion();
            return v == null || v.isEmpty() ? null : v;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m;
    }

    static void closeQuietly(SSHClient client) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException ignored) {
            // Already broken: nothing left to release but the socket, which disconnect closed or never had.
        }
    }
}
