package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.TransportException;

/** {@code shell}: runs a command line through {@code /bin/sh} (or {@code executable}), pipes and all. */
final class ShellModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm("cmd")
            .add(Arg.str("cmd").required(), Arg.path("executable").defaultsTo("/bin/sh"))
            .add(CommandRunner.ARGS)
            .build();

    public String name() {
        return "shell";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException {
        // Run the text under a known shell, not whatever the login shell is, as Ansible does.
        return CommandRunner.run(ctx,
                ShellQuote.quote(ctx.str("executable")) + " -c " + ShellQuote.quote(ctx.str("cmd")));
    }
}
