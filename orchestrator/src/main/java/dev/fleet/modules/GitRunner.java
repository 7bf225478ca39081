package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code git} on the host for the {@code git} module: in a directory, in the C locale (its output is read),
 * with {@code GIT_SSH_COMMAND} built from accept_hostkey, key_file and ssh_opts as Ansible builds it, and the
 * few questions the module asks of a repository.
 */
final class GitRunner {
    private final ModuleContext ctx;
    private final String git;
    private final String env;

    /** @param umask a shell prelude that sets the umask, or empty */
    GitRunner(ModuleContext ctx, String git, String umask, String sshCommand) {
        this.ctx = ctx;
        this.git = git;
        this.env = umask + "LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND="
                + ShellQuote.quote(sshCommand) + " ";
    }

    /**
     * The ssh command git runs: ssh, then ssh_opts, a host key policy, BatchMode (never prompt), and the key file
     * with IdentitiesOnly, each unless ssh_opts already says it.
     */
    static String sshCommand(String sshOpts, boolean acceptHostkey, boolean acceptNewHostkey, String keyFile) {
        String opts = sshOpts == null ? "" : sshOpts;
        boolean policy = opts.contains("-o StrictHostKeyChecking=no")
                || opts.contains("-o StrictHostKeyChecking=accept-new");
        if (acceptHostkey && !policy) opts += " -o StrictHostKeyChecking=no";
        if (acceptNewHostkey && !policy) opts += " -o StrictHostKeyChecking=accept-new";
        if (!opts.contains("BatchMode=yes")) opts += " -o BatchMode=yes";
        if (keyFile != null) {
            String key = "-i " + ShellQuote.quote(keyFile);
            if (!opts.contains(key)) opts += " " + key;
            if (!opts.contains("IdentitiesOnly=yes")) opts += " -o IdentitiesOnly=yes";
        }
        return ("ssh " + opts.strip()).strip();
    }

    /** {@code git args...} run in {@code cwd} (null: the login directory). */
    CommandResult run(String cwd, String... args) throws TransportException {
        return run(cwd, List.of(args));
    }

    CommandResult run(String cwd, List<String> args) throws TransportException {
        List<String> argv = new ArrayList<>();
        argv.add(git);
        argv.addAll(args);
        String line = env + ShellQuote.join(argv);
        if (cwd != null) line = "cd " + ShellQuote.quote(cwd) + " && " + line;
        return ctx.session().exec(line, ctx.timeout());
    }

    /** As {@link #run}, failing the task with {@code what} and git's output when git fails. */
    CommandResult must(String what, String cwd, String... args) throws TransportException, GitFailure {
        CommandResult r = run(cwd, args);
        if (r.exitCode() != 0) throw new GitFailure(what, r);
        return r;
    }

    /** The commit {@code ref} names in {@code dest}, as {@code git rev-parse} prints it (empty if none). */
    String revParse(String dest, String ref) throws TransportException {
        return run(dest, "rev-parse", ref).stdout().strip();
    }

    boolean isRemoteBranch(String cwd, String remote, String version) throws TransportException, GitFailure {
        return must("list remote branches", cwd, "ls-remote", remote, "-h", "refs/heads/" + version).stdout()
                .contains(version);
    }

    boolean isRemoteTag(String cwd, String remote, String version) throws TransportException, GitFailure {
        return must("list remote tags", cwd, "ls-remote", remote, "-t", "refs/tags/" + version).stdout()
                .contains(version);
    }

    boolean isLocalBranch(String dest, String branch) throws TransportException {
        return run(dest, "show-ref", "--verify", "--quiet", "refs/heads/" + branch).exitCode() == 0;
    }

    /**
     * The branch HEAD is on; when HEAD is detached, the branch the remote's HEAD names (as Ansible reads
     * {@code refs/remotes/<remote>/HEAD}).
     */
    String headBranch(String dest, String remote) throws TransportException, GitFailure {
        CommandResult r = run(dest, "symbolic-ref", "-q", "HEAD");
        String ref = r.stdout().strip();
        if (r.exitCode() != 0 || ref.isEmpty()) {
            ref = must("find the remote's default branch", dest, "symbolic-ref", "refs/remotes/" + remote + "/HEAD")
                    .stdout().strip();
            ref = ref.replaceFirst("^refs/remotes/" + java.util.regex.Pattern.quote(remote) + "/", "");
        }
        return ref.replaceFirst("^refs/heads/", "");
    }

    /** A git command that failed: the task fails with this message and git's output. */
    static final class GitFailure extends Exception {
        final transient CommandResult result;

        GitFailure(String what, CommandResult result) {
            super("Failed to " + what + ": " + (result.stdout() + " " + result.stderr()).strip());
            this.result = result;
        }
    }
}
