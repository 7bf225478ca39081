package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code script}: runs a controller-side script on the host. The free form is the script's path (looked up under
 * {@code files/} along the search path, as Ansible does) followed by its arguments, which the host's shell reads
 * as written, as in Ansible. One round trip: the script travels on stdin into a {@code mktemp} file, which is made
 * executable, run (through {@code executable} if given, else by its #! line, in {@code chdir} if given, with stdin
 * at end of file) and removed whatever happened. {@code creates}/{@code removes} are tested on the host first, and
 * are the only way to see what check mode would do: without them check mode skips the task, as in Ansible.
 */
final class ScriptModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .freeForm("cmd")
            .add(Arg.str("cmd").required(), Arg.path("creates"), Arg.path("removes"), Arg.path("chdir"),
                    Arg.str("executable"),
                    // accepted for Ansible playbooks: fleet has no vault-encrypted files to decrypt
                    Arg.bool("decrypt").defaultsTo(true))
            .build();

    public String name() {
        return "script";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        String line = ctx.str("cmd").strip();
        String first;
        try {
            var words = ShellQuote.split(line);
            if (words.isEmpty()) throw new ModuleException("no script given");
            first = words.get(0);
        } catch (ShellQuote.UnbalancedQuote e) {
            throw new ModuleException(e.getMessage());
        }
        String rest = restAfterFirstWord(line);
        Path local = ctx.localFile(first, "files");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new ModuleException("cannot read script " + local + ": " + e.getMessage());
        }
        String creates = ctx.str("creates");
        String removes = ctx.str("removes");
        if (creates != null && exists(ctx, creates)) {
            return TaskOutcome.skipped(creates + " exists, matching creates option");
        }
        if (removes != null && !exists(ctx, removes)) {
            return TaskOutcome.skipped(removes + " does not exist, matching removes option");
        }
        if (ctx.check()) {
            return creates != null || removes != null ? TaskOutcome.changed("")
                    : TaskOutcome.skipped("Check mode is not supported for this task.");
        }
        String run = (ctx.has("executable") ? ShellQuote.quote(ctx.str("executable")) + " " : "") + "\"$t\""
                + (rest.isEmpty() ? "" : " " + rest);
        String s = "t=$(mktemp) || exit 1\n"
                + "cat > \"$t\" && chmod 700 \"$t\" || { rm -f \"$t\"; exit 1; }\n"
                + "(" + (ctx.has("chdir") ? "cd " + ShellQuote.quote(ctx.str("chdir")) + " && " : "")
                + run + " </dev/null)\n"
                + "rc=$?; rm -f \"$t\"; exit $rc\n";
        CommandResult r = RemoteFiles.sh(ctx, s, bytes);
        boolean ok = r.exitCode() == 0;
        return new TaskOutcome(ok ? TaskStatus.CHANGED : TaskStatus.FAILED, r.exitCode(), r.stdout(), r.stderr(),
                ok ? "" : "non-zero return code", OutputText.truncation(r));
    }

    private static boolean exists(ModuleContext ctx, String path) throws TransportException {
        return ctx.session().exec(CommandRunner.existsTest(path), ctx.timeout()).exitCode() == 0;
    }

    /** The text after the first shell word (the script path), as written. */
    static String restAfterFirstWord(String line) {
        int i = 0;
        char quote = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < line.length()) i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '\\' && i + 1 < line.length()) {
                i++;
            } else if (Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        return line.substring(i).strip();
    }
}
