package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.TransportException;
import java.util.Set;

/** {@code shell}: runs a command line through {@code /bin/sh} (or {@code executable}), pipes and all. */
final class ShellModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.of("cmd",
            Set.of("cmd", "chdir", "creates", "removes", "executable", "stdin"), ArgSpec.requires("cmd"));

    public String name() {
        return "shell";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
        String shell = ctx.string("executable", "/bin/sh");
        // Run the text under a known shell, not whatever the login shell is, as Ansible does.
        return CommandModule.runLine(ctx, ShellQuote.quote(shell) + " -c " + ShellQuote.quote(ctx.string("cmd")));
    }
}
