package dev.fleet.transport;

import java.time.Duration;

/**
 * An open connection to one host, reused for all of its tasks. Blocking: call it from a virtual thread,
 * never from the event loop.
 */
public interface HostSession extends AutoCloseable {

    /** The inventory name of the host. */
    String host();

    /**
     * Runs a command line through the remote user's shell and waits for it.
     *
     * @param timeout after this the command is stopped on the host and {@code COMMAND_TIMEOUT} is thrown
     */
    default CommandResult exec(String command, Duration timeout) throws TransportException {
        return exec(command, null, timeout);
    }

    /** Like {@link #exec(String, Duration)}, with {@code stdin} (may be null) fed to the command's input. */
    CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException;

    /**
     * Writes a whole file on the host as the login user (SFTP), creating or truncating it, with the given
     * permission bits. Used by file modules, which handle {@code become} by moving the file afterwards.
     */
    void upload(byte[] content, String remotePath, int mode) throws TransportException;

    /**
     * Drops this connection and opens a new one to the same host, as Ansible's connection reset does, for the
     * modules that outlive a connection ({@code wait_for_connection}, {@code reboot}); {@code connectTimeout} bounds
     * the new connect (null: the connection's own connect timeout). Commands run afterwards go over the new
     * connection. A connection that cannot be opened again says so.
     */
    default void reconnect(Duration connectTimeout) throws TransportException {
        throw new TransportException(host(), TransportException.Kind.UNREACHABLE, "this connection to " + host()
                + " cannot be opened again");
    }

    /**
     * Whether commands run on the controller itself ({@code connection: local}, {@code delegate_to: localhost}):
     * what a module must never do there ({@code reboot}) it refuses.
     */
    default boolean isController() {
        return false;
    }

    @Override
    void close();
}
