package dev.fleet.engine;

import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.time.Duration;

/**
 * A view of a host's session that changes how commands run ({@code become}, {@code environment}) and passes the
 * rest through to the session under it. The connection belongs to the host, not to the view: closing a view
 * leaves it open.
 */
abstract class SessionView implements HostSession {
    protected final HostSession inner;

    SessionView(HostSession inner) {
        this.inner = inner;
    }

    @Override
    public String host() {
        return inner.host();
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        inner.upload(content, remotePath, mode);
    }

    @Override
    public boolean isController() {
        return inner.isController();
    }

    @Override
    public void reconnect(Duration connectTimeout) throws TransportException {
        inner.reconnect(connectTimeout);
    }

    @Override
    public void close() {
        // the connection belongs to the host, not to this view of it
    }
}
