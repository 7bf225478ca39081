package dev.fleet.transport;

import java.time.Instant;

/**
 * The result of one remote command: exit code, captured output, timing. Output past the transport's cap is read
 * and thrown away while the command runs; {@code stdoutDropped} and {@code stderrDropped} count those bytes (0
 * when the stream was kept whole), and the kept text then starts with a line saying so.
 */
public record CommandResult(int exitCode, String stdout, String stderr, Instant start, Instant end,
        long stdoutDropped, long stderrDropped) {

    /** A result whose output was kept whole. */
    public CommandResult(int exitCode, String stdout, String stderr, Instant start, Instant end) {
        this(exitCode, stdout, stderr, start, end, 0, 0);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }
}
