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

    @Override
    void close();
}
