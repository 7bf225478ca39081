package dev.fleet.engine;

import dev.fleet.transport.CommandResult;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import java.time.Duration;

/**
 * A host's connection, opened when a module first runs a command or writes a file, as Ansible's action plugins
 * connect: a task that never touches the host ({@code debug}, {@code assert}, {@code set_fact}, {@code add_host},
 * ...) runs without it, also on a host that cannot be reached (which matters under {@code ignore_unreachable}).
 * A failed connect is not remembered: the next command tries again. Used by one host's tasks, one at a time.
 */
final class LazyConnection implements HostSession {
    private final Transport transport;
    private final ConnectionSpec spec;
    private volatile HostSession open;

    LazyConnection(Transport transport, ConnectionSpec spec) {
        this.transport = transport;
        this.spec = spec;
    }

    private synchronized HostSession open() throws TransportException {
        if (open == null) open = transport.connect(spec);
        return open;
    }

    @Override
    public String host() {
        return spec.host();
    }

    @Override
    public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
        return open().exec(command, stdin, timeout);
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) throws TransportException {
        open().upload(content, remotePath, mode);
    }

    /** Not synchronized: a watchdog may close the connection while a command holds it. */
    @Override
    public void close() {
        HostSession s = open;
        if (s != null) s.close();
    }
}
