package dev.fleet.transport;

/** Where a drained output stream goes. */
interface OutputSink {
    void write(byte[] b, int off, int len);

    /** Called once at end of stream. */
    default void finish() {}
}
