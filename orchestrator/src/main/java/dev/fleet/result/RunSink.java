package dev.fleet.result;

/** Receives run events in order, on one thread at a time. Sinks must not block for long. */
public interface RunSink {
    void accept(RunEvent event);

    /** Called once after {@link RunEvent.RunFinished}; where file sinks flush. */
    default void close() throws Exception {}
}
