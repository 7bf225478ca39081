package dev.fleet.transport;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import java.util.EnumSet;

/**
 * One authenticated sshj connection. Commands without stdin run in the host's {@link RemoteShell} (one session
 * channel for all of them); a command with stdin, or one that arrives while the shell is busy with another thread's
 * command, opens its own exec channel, so different threads may still run commands on the same host concurrently
 * (sshj multiplexes channels and is thread-safe for that). If the shell cannot start on a host (no /bin/sh, a login
 * shell that cannot exec it), that host uses exec channels only.
 *
 * <p>No locks are held while waiting: the output drains block inside sshj's ChannelInputStream, which waits on a
 * monitor. That pins the carrier of a virtual thread on Java 21-23 (the JDK compensates with an extra carrier for
 * Object.wait); from Java 24 on (JEP 491) it does not pin at all. Waiting for the command uses Thread.join and sshj's
 * lock/condition based events, which never pin.
 */
final class SshHostSession implements HostSession {
    private static final int READ_CHUNK = 32 * 1024;
    /** How long to wait for the kill command on timeout; the host is responsive (a command merely ran long). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** Longest wait for a new persistent shell to report in (it is the login shell exec'ing /bin/sh). */
    private static final Duration SHELL_START = Duration.ofSeconds(30);

    private final ConnectionSpec spec;
    private final String label;
    private final SSHClient client;
    private final Duration defaultTimeout;
    private final int outputCap;
    private final Consumer<SshHostSession> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile SFTPClient sftp;
    private final boolean useShell;
    /** Held by the thread whose command runs in the shell; others do not wait for it (tryLock). */
    private final ReentrantLock shellLock = new ReentrantLock();
    private RemoteShell shell; // guarded by shellLock
    /** Why the shell could not start on this host (then every command uses an exec channel), or null. */
    private volatile String shellUnavailable;

    SshHostSession(ConnectionSpec spec, String label, SSHClient client, Duration defaultTimeout, int outputCap,
            boolean useShell, Consumer<SshHostSession> onClose) {
        this.spec = spec;
        this.label = label;
        this.client = client;
        this.defaultTimeout = defaultTimeout;
        this.outputCap = outputCap;
        this.useShell = useShell;
        this.onClose = onClose;
    }

    /** The underlying client, for tunnelling another connection through this one (jump hosts). */
    SSHClient client() {
        return client;
    }

    @Override
    public String host() {
        return spec.host();
    }

    /** Whether the connection is still up (it may have been lost since the last command). */
    public boolean isConnected() {
        return !closed.get() && client.isConnected() && client.getTransport().isRunning();
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        Duration limit = timeout == null ? defaultTimeout : timeout;
        if (closed.get()) {
            throw new IllegalStateException("session to " + label + " is closed");
        }
        if (!isConnected()) {
            throw lost("before the command started", null);
        }
        Instant start = Instant.now();
        long deadline = System.nanoTime() + limit.toNanos();
        if (useShell && (stdin == null || stdin.length == 0) && shellUnavailable == null && shellLock.tryLock()) {
            try {
                CommandResult r = execInShell(command, limit, deadline, start);
                if (r != null) return r;
            } finally {
                shellLock.unlock();
            }
        }
        String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);
        Session session = null;
        Session.Command cmd = null;
        PidMarker marker = null;
        try {
            try {
                session = client.startSession();
            } catch (IOException e) {
                if (!isConnected()) {
                    throw lost("opening a session", e);
                }
                throw new TransportException(host(), TransportException.Kind.UNREACHABLE, label
                        + " refused to open a session channel: " + SshTransport.rootMessage(e)
                        + " (sshd MaxSessions reached?)", e);
            }
            try {
                cmd = session.exec(PidMarker.preamble(nonce) + command);
                feedStdin(cmd, stdin);
            } catch (IOException e) {
                throw isConnected()
                        ? new TransportException(host(), TransportException.Kind.UNREACHABLE, label
                                + " refused to run the command: " + SshTransport.rootMessage(e), e)
                        : lost("starting the command", e);
            }
            OutputTail stdout = new OutputTail(outputCap);
            OutputTail stderr = new OutputTail(outputCap);
            marker = new PidMarker(nonce, stderr);
            Drain out = new Drain(cmd.getInputStream(), stdout);
            Drain err = new Drain(cmd.getErrorStream(), marker);
            Thread outThread = Thread.ofVirtual().name("fleet-stdout-" + host()).start(out);
            Thread errThread = Thread.ofVirtual().name("fleet-stderr-" + host()).start(err);

            boolean finished = join(outThread, deadline) && join(errThread, deadline) && awaitClose(cmd, deadline);
            if (!finished) {
                String how = stop(cmd, marker.pid());
                joinQuietly(outThread);
                joinQuietly(errThread);
                throw timedOut(limit, how);
            }
            if (out.failure != null || err.failure != null) {
                throw lost("while the command ran", out.failure != null ? out.failure : err.failure);
            }
            Integer status = cmd.getExitStatus();
            if (status == null && cmd.getExitSignal() == null && !isConnected()) {
                throw lost("while the command ran", null);
            }
            return OutputTail.result(exitCode(cmd), stdout, stderr, start);
        } catch (InterruptedException e) {
            // The run is being cancelled: do not leave the command running on the host.
            String how = cmd == null ? "it had not started" : stop(cmd, marker == null ? -1 : marker.pid());
            throw interrupted(how, e);
        } finally {
            if (session != null) {
                try {
                    session.close();
                } catch (IOException | RuntimeException ignored) {
                    // The channel is gone either way; a lost connection is reported by the next command.
                }
            }
        }
    }

    /** Why commands on this host use exec channels instead of the persistent shell, or null if they do not. */
    String shellUnavailable() {
        return shellUnavailable;
    }

    /**
     * Runs the command in the host's persistent shell, starting it first if needed. Returns null (and remembers
     * why) when the shell cannot be started on this host: the caller then uses an exec channel. Caller holds
     * shellLock.
     */
    private CommandResult execInShell(String command, Duration limit, long deadline, Instant start)
            throws TransportException {
        RemoteShell sh = shell;
        if (sh == null || sh.broken()) {
            if (sh != null) sh.close();
            shell = null;
            long wait = Math.min(deadline - System.nanoTime(), SHELL_START.toNanos());
            try {
                sh = RemoteShell.start(client, Duration.ofNanos(Math.max(1, wait)));
            } catch (IOException | TimeoutException e) {
                if (!isConnected()) throw lost("starting the remote shell", e);
                shellUnavailable = e instanceof TimeoutException ? "the shell did not start within "
                        + format(Duration.ofNanos(wait)) : SshTransport.rootMessage(e);
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(host(), TransportException.Kind.COMMAND_TIMEOUT,
                        "interrupted while starting a shell on " + label, e);
            }
            shell = sh;
        }
        OutputTail stdout = new OutputTail(outputCap);
        OutputTail stderr = new OutputTail(outputCap);
        try {
            int rc = sh.run(command, deadline, stdout, stderr);
            return OutputTail.result(rc, stdout, stderr, start);
        } catch (TimeoutException e) {
            shell = null;
            throw timedOut(limit, stop(sh.process(), sh.pid()));
        } catch (InterruptedException e) {
            shell = null;
            throw interrupted(stop(sh.process(), sh.pid()), e);
        } catch (IOException e) {
            // The shell's output ended mid-command: the connection died, or the command ended the shell itself
            // (killed its parent, say). The channel's exit status, if any, is the command's result.
            shell = null;
            try {
                sh.process().join(2, TimeUnit.SECONDS);
            } catch (IOException | RuntimeException ignored) {
                // no status: reported as 255 below
            }
            sh.close();
            // A shell that died on the host still reports how (exit-status or exit-signal); silence means the
            // connection went away, which sshj may notice a moment after the channel's streams ended.
            if (!isConnected() || !sh.reportedExit()) throw lost("while the command ran", e);
            return OutputTail.result(sh.exitCodeAfterClose(), stdout, stderr, start);
        }
    }

    /**
     * Remote stdin gets the given bytes, then EOF, so commands that read stdin finish instead of waiting forever.
     * Written from its own virtual thread: a large input must not deadlock against unread output.
     */
    private void feedStdin(Session.Command cmd, byte[] stdin) throws IOException {
        if (stdin == null || stdin.length == 0) {
            cmd.getOutputStream().close();
            return;
        }
        Thread.ofVirtual().name("fleet-stdin-" + host()).start(() -> {
            try (var os = cmd.getOutputStream()) {
                os.write(stdin);
                os.flush();
            } catch (IOException ignored) {
                // The command exited without reading all of its input; its exit status tells the story.
            }
        });
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        if (!isConnected()) throw lost("before an upload", null);
        try {
            SFTPClient sftp = sftp();
            try (RemoteFile f = sftp.open(remotePath, EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC),
                    new FileAttributes.Builder().withPermissions(mode).build());
                    var out = f.new RemoteFileOutputStream(0, 16)) {
                out.write(content);
            }
            sftp.setattr(remotePath, new FileAttributes.Builder().withPermissions(mode).build());
        } catch (IOException e) {
            if (!isConnected()) throw lost("uploading " + remotePath, e);
            throw new TransportException(host(), TransportException.Kind.FILE_TRANSFER, "cannot write " + remotePath
                    + " on " + label + " over SFTP: " + SshTransport.rootMessage(e), e);
        }
    }

    /** One SFTP subsystem channel per connection, opened on first use. */
    private SFTPClient sftp() throws IOException {
        SFTPClient c = sftp;
        if (c == null) {
            synchronized (this) {
                if (sftp == null) sftp = client.newSFTPClient();
                c = sftp;
            }
        }
        return c;
    }

    /** Reads one stream to its end into a sink; runs in its own virtual thread. */
    private static final class Drain implements Runnable {
        final InputStream in;
        final OutputSink sink;
        volatile IOException failure;

        Drain(InputStream in, OutputSink sink) {
            this.in = in;
            this.sink = sink;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[READ_CHUNK];
            try {
                for (int n; (n = in.read(chunk)) != -1; ) {
                    sink.write(chunk, 0, n);
                }
            } catch (IOException e) {
                failure = e;
            } finally {
                sink.finish();
            }
        }
    }

    private static boolean join(Thread t, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            return !t.isAlive();
        }
        return t.join(Duration.ofNanos(left));
    }

    /** Output EOF comes before exit-status and channel close; wait for those within what is left of the timeout. */
    private boolean awaitClose(Session.Command cmd, long deadline) {
        long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
            cmd.join(leftMs, TimeUnit.MILLISECONDS);
            return true;
        } catch (ConnectionException e) {
            // Timeout, or the connection died (then the caller sees it via isConnected()).
            return !SshTransport.hasCause(e, TimeoutException.class);
        }
    }

    /**
     * Kills the command and its children on the host, then closes the channel (closing alone would leave a command
     * without a pty running). Two ways, because each fails somewhere: the SSH "signal" request (sshd killpg()s the
     * session, but refuses for root logins), and {@code kill} of the process group and session whose id the command
     * reported through {@link PidMarker}, run over a second channel. Returns what was done, for the message.
     */
    private String stop(Session.Command cmd, long pid) {
        // Also used for the persistent shell: its pid is the session leader of every command it ran.
        try {
            cmd.signal(Signal.KILL);
        } catch (IOException | RuntimeException ignored) {
            // Refused or connection gone; the kill below does not depend on it.
        }
        String how;
        if (pid > 1) {
            how = "KILL sent to its process group " + pid + " on " + label;
            try (Session killer = client.startSession()) {
                Session.Command k = killer.exec("kill -KILL -- -" + pid + " 2>/dev/null; pkill -KILL -s " + pid
                        + " 2>/dev/null; true");
                k.join(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException | RuntimeException e) {
                how = "KILL requested but the kill command failed on " + label + ": " + SshTransport.rootMessage(e)
                        + "; process group " + pid + " may still be running";
            }
        } else {
            how = "its process id was not reported, so only the SSH KILL signal was sent; it may still be running "
                    + "on " + label + " if the login shell is not POSIX or the login is root";
        }
        try {
            cmd.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing an already closed or broken channel.
        }
        return how;
    }

    private static void joinQuietly(Thread t) throws InterruptedException {
        // Closing the channel gave both streams EOF; the drains end promptly.
        t.join(Duration.ofSeconds(5));
    }

    private TransportException timedOut(Duration limit, String how) {
        return new TransportException(host(), TransportException.Kind.COMMAND_TIMEOUT,
                "command did not finish within " + format(limit) + " and was stopped (" + how + ")");
    }

    /** The run is being cancelled; keeps the thread's interrupt status for the caller. */
    private TransportException interrupted(String how, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new TransportException(host(), TransportException.Kind.COMMAND_TIMEOUT,
                "interrupted while running a command on " + label + "; the command was stopped (" + how + ")", e);
    }

    /** A finished channel's result as a shell would give it: its exit status, else 128 + its signal. */
    static int exitCode(Session.Command cmd) {
        Integer status = cmd.getExitStatus();
        return status != null ? status : exitCodeForSignal(cmd.getExitSignal());
    }

    /** Like a shell: 128 + signal number; 255 (what ssh exits with) when the server said nothing. */
    static int exitCodeForSignal(Signal signal) {
        if (signal == null) {
            return 255;
        }
        int number = switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case USR1 -> 10;
            case SEGV -> 11;
            case USR2 -> 12;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            case UNKNOWN -> -1;
        };
        return number < 0 ? 255 : 128 + number;
    }

    private TransportException lost(String when, Throwable cause) {
        return new TransportException(host(), TransportException.Kind.UNREACHABLE,
                "connection to " + label + " was lost " + when
                        + (cause == null ? "" : ": " + SshTransport.rootMessage(cause)), cause);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            SshTransport.closeQuietly(client);
            onClose.accept(this);
        }
    }

    @Override
    public String toString() {
        return "SshHostSession[" + label + "]";
    }
}
