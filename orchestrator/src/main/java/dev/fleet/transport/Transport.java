package dev.fleet.transport;

/** Opens sessions to hosts. One implementation per connector (SSH now; local later). */
public interface Transport extends AutoCloseable {
    /** Connects and authenticates; blocking. */
    HostSession connect(ConnectionSpec spec) throws TransportException;

    /**
     * Longest {@link #connect} may take for a spec with this connect timeout, retries included; callers that guard
     * a connect with a watchdog add it to their budget.
     */
    default java.time.Duration connectBudget(java.time.Duration connectTimeout) {
        return connectTimeout;
    }

    @Override
    default void close() {}
}
