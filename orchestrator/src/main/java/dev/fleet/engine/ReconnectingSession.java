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
 * ({@code become}, {@code environment}) and every later task uses the new connection. It starts unopened: the first
 * command opens it, so tasks that never touch the host need no connection. A connection found lost is dropped, so the
 * next command opens a new one: a host that stays in the play after a lost connection (a {@code rescue_unreachable}
 * rescue, a retry, {@code ignore_unreachable}) reconnects lazily, as Ansible connects for every task.
 */
final class ReconnectingSession implements HostSession {
    private final Transport transport;
    private final ConnectionSpec spec;
    /** The open connection; null before the first connect and after a failed reconnect. */
    private volatile HostSession current;

    /** Not connected yet: the first command (or {@link #reconnect}) opens the connection. */
    ReconnectingSession(Transport transport, ConnectionSpec spec) {
        this.transport = transport;
        this.spec = spec;
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
        HostSession c = connection();
        try {
            return c.exec(command, stdin, timeout);
        } catch (TransportException e) {
            throw dropIfLost(c, e);
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        HostSession c = connection();
        try {
            c.upload(content, remotePath, mode);
        } catch (TransportException e) {
            throw dropIfLost(c, e);
        }
    }

    /** A connection that lost its host is closed and forgotten (unless replaced meanwhile); returns {@code e}. */
    private TransportException dropIfLost(HostSession c, TransportException e) {
        if (!e.hostLost()) return e;
        synchronized (this) {
            if (current == c) current = null;
        }
        c.close();
        return e;
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
        HostSession c;
        synchronized (this) {
            c = current;
            current = null; // a host kept in the play (rescue_unreachable) connects again at its next command
        }
        if (c != null) c.close();
    }

    @Override
    public String toString() {
        return "ReconnectingSession[" + current + "]";
    }
}
