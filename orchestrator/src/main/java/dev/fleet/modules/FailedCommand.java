package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.CommandResult;
import java.util.Map;

/**
 * A task failed by a command it ran: the result carries the command's rc, stdout and stderr beside the message,
 * as Ansible's {@code fail_json(msg=..., rc=..., stdout=..., stderr=...)} reports them.
 */
final class FailedCommand {
    private FailedCommand() {}

    static TaskOutcome outcome(String msg, CommandResult r) {
        return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), r.stderr(), msg, Map.of());
    }
}
