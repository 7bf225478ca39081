package net.schmizz.sshj.transport;

import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;

/**
 * fleet's replacement for sshj 0.40's transport reader thread (same name, package and behaviour; this class comes
 * first on fleet's class path and in its jar, so sshj's own copy is never loaded).
 *
 * <p>Why: sshj's reader allocates a receive buffer of the largest packet the decoder accepts (256 KiB) for every
 * connection and keeps it for the connection's life, although a read may return any number of bytes and the
 * decoder takes them piecewise. fleet keeps one connection per host for a whole play, so at 5000 hosts those
 * buffers alone held 1.2 GiB. This reader reads at most {@link #CHUNK} bytes at a time into the same decoder:
 * identical packets, about 240 KiB less per host. {@code SshjReaderShadowTest} checks this copy is the one loaded.
 *
 * <p>Behaviour kept from sshj: a daemon thread named "sshj-Reader" (TransportImpl renames it per remote address),
 * socket timeouts are retried until the thread is interrupted, end of stream is a broken transport, any other
 * failure kills the transport unless the reader was interrupted (a normal close).
 */
public final class Reader extends Thread {
    /** Read size: big enough that a 32 KiB channel packet takes a few reads, small enough to keep per host. */
    static final int CHUNK = 8 * 1024;

    private final Logger log;
    private final TransportImpl trans;

    public Reader(TransportImpl trans) {
        this.trans = trans;
        this.log = trans.getConfig().getLoggerFactory().getLogger(getClass());
        setName("sshj-Reader");
        setDaemon(true);
    }

    @Override
    public void run() {
        try {
            Decoder decoder = trans.getDecoder();
            InputStream in = trans.getConnInfo().in;
            byte[] buf = new byte[CHUNK];
            int needed = 1;
            while (!isInterrupted()) {
                int read;
                try {
                    read = in.read(buf, 0, Math.min(needed, CHUNK));
                } catch (SocketTimeoutException e) {
                    if (isInterrupted()) throw e;
                    continue;
                }
                if (read == -1) throw new TransportException("Broken transport; encountered EOF");
                needed = decoder.received(buf, read);
            }
        } catch (Exception e) {
            if (!isInterrupted()) trans.die(e);
        }
        log.debug("Stopping");
    }
}
