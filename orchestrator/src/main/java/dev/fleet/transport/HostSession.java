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
    CommandResult exec(String command, Duration timeout) throws TransportException;

    @Override
    void close();
}
