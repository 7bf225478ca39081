package dev.fleet.result;

import java.time.Duration;
import java.time.Instant;

/**
 * One task's result on one host, with timing: the unit every report is built from.
 *
 * @param ignored a failure the task allowed with {@code ignore_errors}
 * @param source  the task's {@code file:line:column}
 */
public record TaskResult(String host, String play, String task, String module, String source, TaskOutcome outcome,
        boolean ignored, Instant start, Instant end) {

    public TaskStatus status() {
        return outcome.status();
    }

    public Duration duration() {
        return Duration.between(start, end);
    }
}
