package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;

/**
 * {@code raw}: the free-form text sent to the host exactly as written (no quoting, no chdir, no guards), or, with
 * {@code executable}, as {@code <executable> -c '<text>'}. Always a change; a non-zero exit fails the task.
 * Ansible's raw does not support check mode, so under {@code --check} it is skipped.
 */
final class RawModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm("free_form")
            .add(Arg.str("free_form").required(), Arg.path("executable"))
            .build();

    public String name() {
        return "raw";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String text = ctx.str("free_form");
        if (text.isBlank()) throw new ModuleException("argument 'free_form': no command given");
        if (ctx.check()) return TaskOutcome.skipped("check mode not supported for raw");
        String line = ctx.has("executable") ? ShellQuote.quote(ctx.str("executable")) + " -c " + ShellQuote.quote(text)
                : text;
        CommandResult r = ctx.session().exec(line, ctx.timeout());
        boolean ok = r.exitCode() == 0;
        return new TaskOutcome(ok ? TaskStatus.CHANGED : TaskStatus.FAILED, r.exitCode(), r.stdout(), r.stderr(),
                ok ? "" : "non-zero return code", OutputText.truncation(r));
    }
}
