package dev.fleet.result;

import java.util.Map;

/**
 * What a module reports for one host: a status, the command's output where there was one, a message for
 * people, and module-specific values ({@code data}) that a later task can read when the result is registered.
 */
public record TaskOutcome(TaskStatus status, Integer rc, String stdout, String stderr, String msg,
        Map<String, Object> data) {

    public TaskOutcome {
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
        msg = msg == null ? "" : msg;
        // A null value is kept: some return keys are None in Ansible (git's before, after a clone).
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
    }

    public static TaskOutcome ok(String msg) {
        return new TaskOutcome(TaskStatus.OK, null, "", "", msg, Map.of());
    }

    public static TaskOutcome changed(String msg) {
        return new TaskOutcome(TaskStatus.CHANGED, null, "", "", msg, Map.of());
    }

    public static TaskOutcome failed(String msg) {
        return new TaskOutcome(TaskStatus.FAILED, null, "", "", msg, Map.of());
    }

    public static TaskOutcome skipped(String msg) {
        return new TaskOutcome(TaskStatus.SKIPPED, null, "", "", msg, Map.of());
    }

    public static TaskOutcome unreachable(String msg) {
        return new TaskOutcome(TaskStatus.UNREACHABLE, null, "", "", msg, Map.of());
    }

    public TaskOutcome withData(Map<String, Object> more) {
        var merged = new java.util.LinkedHashMap<>(data);
        merged.putAll(more);
        return new TaskOutcome(status, rc, stdout, stderr, msg, merged);
    }
}
