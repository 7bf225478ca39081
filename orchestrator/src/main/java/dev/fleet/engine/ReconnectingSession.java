package dev.fleet.engine;

import dev.fleet.transport.CommandResult;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import java.time.Duration;

/**
 * A host's connection that can be opened again ({@link HostSession#reconnect}): the engine keeps this one object
 * as the host's session for the whole run while the connection under it is replaced, so every view of it
 * ({@code become}, {@code environment}) and every later task uses the new connection. It may start unopened, for a
 * module that opens the connection itself; then the first command opens it.
 */
final class ReconnectingSession implements HostSession {
    private final Transport transport;
    private final ConnectionSpec spec;
    /** The open connection; null before the first connect and after a failed reconnect. */
    private volatile HostSession current;

    private ReconnectingSession(Transport transport, ConnectionSpec spec, HostSession current) {
        this.transport = transport;
        this.spec = spec;
        this.current = current;
    }

    /** Connects now; a host that cannot be reached fails here. */
    static ReconnectingSession open(Transport transport, ConnectionSpec spec) throws TransportException {
        return new ReconnectingSession(transport, spec, transport.connect(spec));
    }

    /** Connects at the first command or {@link #reconnect}. */
    static ReconnectingSession unopened(Transport transport, ConnectionSpec spec) {
        return new ReconnectingSession(transport, spec, null);
    }

    private HostSession connection() throws TransportException {
        HostSession c = current;
        if (c != null) return c;
        synchronized (this) {
            if (current == null) current = transport.connect(spec);
            return current;
        }
    }

    @Override
    public String host() {
        return spec.host();
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        return connection().exec(command, stdin, timeout);
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        connection().upload(content, remotePath, mode);
    }

    @Override
    public synchronized void reconnect(Duration connectTimeout) throws TransportException {
        HostSession old = current;
        current = null;
        if (old != null) old.close();
        current = transport.connect(connectTimeout == null ? spec : new ConnectionSpec(spec.host(), spec.address(),
                spec.port(), spec.user(), spec.privateKeys(), connectTimeout, spec.jump()));
    }

    @Override
    public void close() {
        HostSession c = current;
        if (c != null) c.close();
    }

    @Override
    public String toString() {
        return "ReconnectingSession[" + current + "]";
    }
}
