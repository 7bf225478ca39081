package dev.fleet.transport;

/** Where a drained output stream goes. */
interface OutputSink {
    /** Drops everything (login shell noise before the remote shell's first marker). */
    OutputSink DISCARD = (b, off, len) -> { };

    void write(byte[] b, int off, int len);

    /** Called once at end of stream. */
    default void finish() {}
}
