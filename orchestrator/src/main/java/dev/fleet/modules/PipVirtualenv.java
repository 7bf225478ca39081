package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the {@code pip} module's virtualenv with {@code virtualenv_command}, as Ansible does: inheriting the
 * system's packages with virtualenv_site_packages, and for a virtualenv tool (not {@code -m venv} nor
 * {@code pyvenv}) the Python given by virtualenv_python, else {@code python3}.
 */
final class PipVirtualenv {
    private PipVirtualenv() {}

    /** Creates {@code env}, adding the tool's output to {@code out}/{@code err}; the failure, or null. */
    static TaskOutcome create(ModuleContext ctx, PipModule.Shell sh, String env, StringBuilder out,
            StringBuilder err) throws TransportException, ModuleException {
        String command = ctx.str("virtualenv_command");
        List<String> cmd;
        try {
            cmd = new ArrayList<>(ShellQuote.split(command));
        } catch (ShellQuote.UnbalancedQuote e) {
            throw new ModuleException("virtualenv_command: " + e.getMessage());
        }
        if (cmd.isEmpty()) throw new ModuleException("virtualenv_command: no command given");
        if (!cmd.get(0).contains("/")) {
            String found = sh.run("command -v " + ShellQuote.quote(cmd.get(0))).stdout().strip();
            if (found.isEmpty()) {
                return TaskOutcome.failed("Failed to find required executable \"" + cmd.get(0) + "\" in paths: "
                        + sh.run("printf %s \"$PATH\"").stdout().strip());
            }
            cmd.set(0, found);
        }
        if (ctx.bool("virtualenv_site_packages")) cmd.add("--system-site-packages");
        String python = ctx.str("virtualenv_python");
        if (!command.contains("pyvenv") && !command.contains("-m venv")) {
            cmd.add("-p" + (python == null ? "python3" : python));
        } else if (python != null) {
            return TaskOutcome.failed("virtualenv_python should not be used when using the venv module or pyvenv as"
                    + " virtualenv_command");
        }
        cmd.add(env);
        CommandResult r = sh.run(ShellQuote.join(cmd));
        out.append(r.stdout());
        err.append(r.stderr());
        return r.exitCode() == 0 ? null : PipModule.failure(cmd, out.toString(), err.toString());
    }
}
