package dev.fleet.transport;

import java.time.Instant;

/** The result of one remote command: exit code, captured output, timing. */
public record CommandResult(int exitCode, String stdout, String stderr, Instant start, Instant end) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
