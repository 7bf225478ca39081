package dev.fleet.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Strips the line {@code fleet-pid-NONCE:PID} from the start of a command's stderr and remembers the PID.
 *
 * <p>Why: on timeout the command must be killed on the host. The SSH "signal" request would do it, but OpenSSH
 * refuses it for root logins ("session signalling requires privilege separation": sshd drops privilege separation
 * after a root login), and root is the common case for fleet. So every command is prefixed with
 * {@code echo fleet-pid-NONCE:$$ >&2;} and the transport kills that process group over a second channel. The shell
 * started by sshd is a session and process group leader (sshd calls setsid), and {@code $$} keeps its value even if
 * the shell execs the last command.
 *
 * <p>Shell startup files may print to stderr before the marker, so it is searched in the first 64 KiB rather than
 * expected at offset 0; whatever surrounds it is passed through unchanged.
 */
final class PidMarker implements OutputSink {
    private static final int SEARCH_LIMIT = 64 * 1024;

    private final byte[] prefix;
    private final OutputSink sink;
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private volatile long pid = -1;

    PidMarker(String nonce, OutputSink sink) {
        this.prefix = ("fleet-pid-" + nonce + ":").getBytes(StandardCharsets.US_ASCII);
        this.sink = sink;
    }

    /** The shell command that prints the marker; to be put in front of the user's command. */
    static String preamble(String nonce) {
        return "echo fleet-pid-" + nonce + ":$$ >&2; ";
    }

    /** The PID of the remote shell (= its process group and session id), or -1 if not seen (yet). */
    long pid() {
        return pid;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (pending == null) {
            sink.write(b, off, len);
            return;
        }
        pending.write(b, off, len);
        byte[] buf = pending.toByteArray();
        for (int at = indexOf(buf, 0); at >= 0; at = indexOf(buf, at + 1)) {
            if (at > 0 && buf[at - 1] != '\n') {
                continue; // not at a line start: something else that happens to contain the text
            }
            int end = at + prefix.length;
            int nl = end;
            while (nl < buf.length && buf[nl] >= '0' && buf[nl] <= '9') {
                nl++;
            }
            if (nl == buf.length) {
                break; // line not complete yet: wait for more bytes
            }
            if (buf[nl] == '\n' && nl > end) {
                pid = Long.parseLong(new String(buf, end, nl - end, StandardCharsets.US_ASCII));
                sink.write(buf, 0, at);
                sink.write(buf, nl + 1, buf.length - nl - 1);
                pending = null;
                return;
            }
        }
        if (buf.length > SEARCH_LIMIT) {
            finish();
        }
    }

    /** End of stream (or search given up): whatever was held back is output after all. */
    @Override
    public void finish() {
        if (pending != null) {
            byte[] buf = pending.toByteArray();
            pending = null;
            sink.write(buf, 0, buf.length);
        }
    }

    private int indexOf(byte[] buf, int from) {
        return RemoteShell.FrameReader.indexOf(buf, buf.length, prefix, from);
    }
}
