package dev.fleet.transport;

/** Opens sessions to hosts. One implementation per connector (SSH now; local later). */
public interface Transport extends AutoCloseable {
    /** Connects and authenticates; blocking. */
    HostSession connect(ConnectionSpec spec) throws TransportException;

    @Override
    default void close() {}
}
