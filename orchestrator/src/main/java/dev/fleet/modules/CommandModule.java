package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.TransportException;
import java.util.List;

/**
 * {@code command}: runs a program with arguments, not through a shell: every word is quoted, so variables
 * templated into it can never change what runs. {@code creates}/{@code removes} make it idempotent.
 */
final class CommandModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm("cmd")
            .add(Arg.str("cmd"), Arg.list("argv", ArgType.STR))
            .add(CommandRunner.ARGS)
            .mutuallyExclusive("cmd", "argv")
            .requiredOneOf("cmd", "argv")
            .build();

    public String name() {
        return "command";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        List<String> argv;
        if (ctx.has("argv")) {
            argv = ctx.strings("argv");
        } else {
            try {
                argv = ShellQuote.split(ctx.str("cmd"));
            } catch (ShellQuote.UnbalancedQuote e) {
                throw new ModuleException(e.getMessage());
            }
        }
        if (argv.isEmpty()) throw new ModuleException("no command given");
        // Ansible registers a command's cmd as its argument list (shell's is the command line)
        return CommandRunner.run(ctx, ShellQuote.join(argv)).withData(java.util.Map.of("cmd", List.copyOf(argv)));
    }
}
