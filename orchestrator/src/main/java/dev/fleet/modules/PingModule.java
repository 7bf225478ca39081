package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.Map;

/** {@code ping}: proves the host can be logged into and can run a command. Never changes anything. */
final class PingModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder().add(Arg.str("data").defaultsTo("pong")).build();

    public String name() {
        return "ping";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String data = ctx.str("data");
        if (data.equals("crash")) throw new ModuleException("boom (ping data=crash, as Ansible's ping does)");
        CommandResult r = ctx.session().exec("echo " + ShellQuote.quote(data), ctx.timeout());
        if (r.exitCode() != 0) {
            return FailedCommand.outcome("the host could not run 'echo'", r);
        }
        return TaskOutcome.ok("").withData(Map.of("ping", OutputText.stripTrailingNewline(r.stdout())));
    }
}
