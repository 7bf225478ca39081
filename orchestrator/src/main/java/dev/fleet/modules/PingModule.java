package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.Map;
import java.util.Set;

/** {@code ping}: proves the host can be logged into and can run a command. Never changes anything. */
final class PingModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of(null, Set.of("data"), java.util.List.of());

    public String name() {
        return "ping";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        String data = ctx.string("data", "pong");
        if (data.equals("crash")) throw new ModuleException("boom (ping data=crash, as Ansible's ping does)");
        CommandResult r = ctx.session().exec("echo " + ShellQuote.quote(data), ctx.timeout());
        if (r.exitCode() != 0) {
            return new TaskOutcome(TaskStatus.FAILED, r.exitCode(), r.stdout(), r.stderr(),
                    "the host could not run 'echo'", Map.of());
        }
        return TaskOutcome.ok("").withData(Map.of("ping", CommandModule.stripTrailingNewline(r.stdout())));
    }
}
