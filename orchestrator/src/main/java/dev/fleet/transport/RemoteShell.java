package dev.fleet.transport;

import dev.fleet.shell.ShellQuote;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * One long-lived {@code /bin/sh} on a host that runs fleet's commands one after another, each framed by a random
 * end marker, instead of a new SSH session channel per command.
 *
 * <p>Why: a channel per command costs a round trip to open it and, on the host, a fork of sshd's session process
 * plus a fresh login shell (reading ~/.bashrc) per task. At fleet scale that host-side work competes for the same
 * CPUs as everything else; one shell per host pays it once, as plain {@code ssh host 'cmd1; cmd2; ...'} does.
 *
 * <p>Protocol, per command: fleet writes
 * <pre>
 * /bin/sh -c 'COMMAND' &lt;/dev/null
 * printf '%s%d\n' TOKEN "$?"; printf '%s\n' TOKEN &gt;&amp;2
 * </pre>
 * where TOKEN is random for every command, and reads stdout up to TOKEN (the output), the exit status after it,
 * and stderr up to TOKEN. The command gets a shell of its own, as with an exec channel: {@code exit}, {@code cd} or
 * {@code set -e} in it never touch the persistent shell, {@code $$} is its own (unique per command, and
 * {@code kill $$} ends only the command); stdin is /dev/null, so it cannot read the next command. Output is passed on
 * byte for byte: nothing is added, a missing final newline stays missing.
 *
 * <p>One difference from an exec channel: a background process that a command leaves running with the shell's
 * stdout or stderr ({@code daemon &} without redirection) may later write into another command's output. On an
 * exec channel the same task would instead hang until that process exits; redirect such processes either way
 * ({@code nohup daemon >/dev/null 2>&1 &}).
 *
 * <p>Not thread-safe: one command at a time; {@link SshHostSession} guards it and uses an exec channel when the
 * shell is busy. A command that outlives its timeout is killed together with this shell (the caller kills the
 * shell's session, {@link #pid()}); the shell is then {@link #broken()} and the next command starts a new one.
 */
final class RemoteShell implements AutoCloseable {
    private static final int READ_CHUNK = 32 * 1024;
    /** The login shell execs this; /bin/sh is what Ansible runs modules with, and it exists everywhere. */
    static final String START = "exec /bin/sh";

    private final Session session;
    private final Session.Command proc;
    private final OutputStream input;
    private final FrameReader stdout;
    private final FrameReader stderr;
    private volatile long pid = -1;
    private volatile boolean broken;

    private RemoteShell(Session session, Session.Command proc) {
        this.session = session;
        this.proc = proc;
        this.input = proc.getOutputStream();
        this.stdout = new FrameReader(proc.getInputStream());
        this.stderr = new FrameReader(proc.getErrorStream());
    }

    /**
     * Opens a session channel, starts the shell through the login shell and waits (at most {@code timeout}) for it
     * to report its PID; whatever the login shell printed first (~/.bashrc noise) is discarded.
     */
    static RemoteShell start(SSHClient client, Duration timeout)
            throws IOException, TimeoutException, InterruptedException {
        Session session = client.startSession();
        RemoteShell shell = null;
        try {
            shell = new RemoteShell(session, session.exec(START));
            String token = newToken();
            shell.send("printf '%s%d\\n' " + token + " \"$$\"; printf '%s\\n' " + token + " >&2\n");
            String[] tails = shell.readBoth(token, OutputSink.DISCARD, OutputSink.DISCARD,
                    System.nanoTime() + timeout.toNanos());
            if (!tails[0].matches("\\d{1,10}")) {
                throw new IOException("the remote shell reported no process id (got '" + tails[0] + "')");
            }
            shell.pid = Long.parseLong(tails[0]);
            return shell;
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            if (shell != null) shell.broken = true;
            closeQuietly(session);
            throw e;
        }
    }

    /** The shell's PID; sshd made it a session leader, so every command it runs is in session {@code pid}. */
    long pid() {
        return pid;
    }

    /** Whether the shell can take no more commands (it timed out, was killed, or its channel closed). */
    boolean broken() {
        return broken || !session.isOpen();
    }

    /** The channel, for the caller's kill path (SSH signal request) when a command times out. */
    Session.Command process() {
        return proc;
    }

    /**
     * Runs one command and returns its exit status; output goes to the sinks.
     *
     * @throws TimeoutException when the deadline passes first; the shell is then broken and the caller must kill it
     * @throws IOException      when the shell's streams end before the command's end marker (the shell or the
     *                          connection died); the shell is broken
     */
    int run(String command, long deadlineNanos, OutputSink out, OutputSink err)
            throws IOException, TimeoutException, InterruptedException {
        if (broken()) throw new IllegalStateException("remote shell is broken");
        String token = newToken();
        try {
            send("/bin/sh -c " + ShellQuote.quote(command) + " </dev/null\n"
                    + "printf '%s%d\\n' " + token + " \"$?\"; printf '%s\\n' " + token + " >&2\n");
            String[] tails = readBoth(token, out, err, deadlineNanos);
            if (!tails[0].matches("\\d{1,3}")) {
                throw new IOException("unexpected exit status from the remote shell: '" + tails[0] + "'");
            }
            return Integer.parseInt(tails[0]);
        } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /** Whether the host said how the shell ended (exit-status or exit-signal), as it does unless the link broke. */
    boolean reportedExit() {
        return proc.getExitStatus() != null || proc.getExitSignal() != null;
    }

    /** The exit status or signal of the shell's channel, once it has closed (for "the shell died" results). */
    int exitCodeAfterClose() {
        return SshHostSession.exitCode(proc);
    }

    private void send(String script) throws IOException {
        input.write(script.getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    /**
     * Reads stdout and stderr up to the token, each on its own virtual thread (either stream may fill its window
     * while the other is read), and returns what followed the token on each stream's marker line. On timeout the
     * readers are left blocked; the caller kills the shell, and the channel's close gives them EOF.
     */
    private String[] readBoth(String token, OutputSink out, OutputSink err, long deadlineNanos)
            throws IOException, TimeoutException, InterruptedException {
        byte[] t = token.getBytes(StandardCharsets.US_ASCII);
        String[] tails = new String[2];
        IOException[] failures = new IOException[2];
        Thread outThread = Thread.ofVirtual().name("fleet-shell-stdout").start(() -> read(stdout, t, out, tails, failures, 0));
        Thread errThread = Thread.ofVirtual().name("fleet-shell-stderr").start(() -> read(stderr, t, err, tails, failures, 1));
        for (Thread th : new Thread[] {outThread, errThread}) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 ? th.isAlive() : !th.join(Duration.ofNanos(left))) {
                throw new TimeoutException();
            }
        }
        // join() orders the readers' writes before these reads.
        if (failures[0] != null) throw failures[0];
        if (failures[1] != null) throw failures[1];
        return tails;
    }

    private static void read(FrameReader reader, byte[] token, OutputSink sink, String[] tails, IOException[] failures,
            int slot) {
        try {
            tails[slot] = reader.readFrame(token, sink);
        } catch (IOException e) {
            failures[slot] = e;
        } finally {
            sink.finish();
        }
    }

    /** Channel close makes both readers see EOF, which ends any reader still waiting. */
    @Override
    public void close() {
        broken = true;
        closeQuietly(session);
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // Already closed or the connection is gone.
        }
    }

    /** 128 random bits: a command cannot print the marker by accident. */
    private static String newToken() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "fleet-end-" + Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE)
                + ":";
    }

    /**
     * One output stream of the shell, read frame by frame. Bytes read past a frame's marker line (output of a
     * background process the previous command left behind) stay buffered for the next frame.
     */
    static final class FrameReader {
        private final InputStream in;
        /** Starts small (a shell is kept per host for the whole play) and doubles while reads fill it. */
        private byte[] buf = new byte[1024];
        private int len;

        FrameReader(InputStream in) {
            this.in = in;
        }

        /**
         * Copies bytes to the sink up to {@code token}, consumes the marker line and returns what followed the
         * token on it. Blocks until then: the caller bounds the wait and closes the channel to end it.
         */
        String readFrame(byte[] token, OutputSink sink) throws IOException {
            int scanned = 0; // bytes of buf[0..len) known not to start a match
            while (true) {
                int at = indexOf(buf, len, token, scanned);
                if (at >= 0) {
                    int nl = -1;
                    for (int i = at + token.length; i < len; i++) {
                        if (buf[i] == '\n') {
                            nl = i;
                            break;
                        }
                    }
                    if (nl >= 0) {
                        sink.write(buf, 0, at);
                        String tail = new String(buf, at + token.length, nl - at - token.length,
                                StandardCharsets.US_ASCII);
                        consume(nl + 1);
                        return tail;
                    }
                    if (len - at - token.length > 64) {
                        throw new IOException("malformed end marker from the remote shell");
                    }
                    scanned = at; // marker seen, its line not complete: keep it, read more
                } else {
                    // Everything except a possible start of the token at the very end is output.
                    int keep = Math.min(len, token.length - 1);
                    int flush = len - keep;
                    if (flush > 0) {
                        sink.write(buf, 0, flush);
                        consume(flush);
                    }
                    scanned = 0;
                }
                if (len == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    sink.write(buf, 0, len); // the command's last words before the shell went away
                    len = 0;
                    throw new EOFException("the remote shell's output ended before the command's end marker");
                }
                len += n;
                if (len == buf.length && buf.length < READ_CHUNK) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
        }

        private void consume(int n) {
            System.arraycopy(buf, n, buf, 0, len - n);
            len -= n;
        }

        /** First {@code token} in {@code buf[from..len)}, or -1. Also PidMarker's search. */
        static int indexOf(byte[] buf, int len, byte[] token, int from) {
            outer:
            for (int i = from; i <= len - token.length; i++) {
                for (int j = 0; j < token.length; j++) {
                    if (buf[i + j] != token[j]) continue outer;
                }
                return i;
            }
            return -1;
        }
    }
}
