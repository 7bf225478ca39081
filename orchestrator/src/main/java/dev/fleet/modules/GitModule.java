package dev.fleet.modules;

import dev.fleet.modules.GitRunner.GitFailure;
import dev.fleet.result.TaskOutcome;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.TransportException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code git}: makes {@code dest} a checkout of {@code repo} at {@code version}, as Ansible's git module does, by
 * running git on the host: clone when there is no repository, else fetch and switch; report the commit
 * {@code before} and {@code after}. {@code --check} asks the remote ({@code git ls-remote}) and changes nothing.
 * Left out: {@code verify_commit}/{@code gpg_whitelist} (refused when asked for), relocating an existing
 * repository to {@code separate_git_dir} (refused; cloning with it works).
 */
final class GitModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("dest"), Arg.str("repo").required().aliases("name"), Arg.str("version").defaultsTo("HEAD"),
                    Arg.str("remote").defaultsTo("origin"), Arg.str("refspec"), Arg.str("reference"),
                    Arg.bool("force").defaultsTo(false), Arg.integer("depth"), Arg.bool("clone").defaultsTo(true),
                    Arg.bool("update").defaultsTo(true), Arg.bool("verify_commit").defaultsTo(false),
                    Arg.list("gpg_whitelist", ArgType.STR),
                    Arg.bool("accept_hostkey").defaultsTo(false), Arg.bool("accept_newhostkey").defaultsTo(false),
                    Arg.path("key_file"), Arg.str("ssh_opts"), Arg.path("executable"),
                    Arg.bool("bare").defaultsTo(false), Arg.bool("recursive").defaultsTo(true),
                    Arg.bool("single_branch").defaultsTo(false), Arg.bool("track_submodules").defaultsTo(false),
                    Arg.raw("umask"), Arg.path("archive"), Arg.str("archive_prefix"), Arg.path("separate_git_dir"))
            .mutuallyExclusive("separate_git_dir", "bare")
            .mutuallyExclusive("accept_hostkey", "accept_newhostkey")
            .requiredBy("archive_prefix", "archive")
            .build();

    public String name() {
        return "git";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    /** The arguments, read once. */
    record Request(String dest, String repo, String version, String remote, String refspec, String reference,
            boolean force, Integer depth, boolean mayClone, boolean update, boolean bare, boolean recursive,
            boolean singleBranch, boolean trackSubmodules, String archive, String archivePrefix,
            String separateGitDir) {}

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        if (ctx.bool("verify_commit")) {
            throw new ModuleException("verify_commit: GPG verification is not supported by fleet's git module");
        }
        String umask = "";
        if (ctx.has("umask")) {
            if (!(ctx.raw("umask") instanceof String u)) {
                return TaskOutcome.failed("umask must be defined as a quoted octal integer");
            }
            if (!u.matches("[0-7]+")) return TaskOutcome.failed("umask must be an octal integer");
            umask = "umask " + u + " && ";
        }
        String repo = ctx.str("repo");
        // Depth and friends need a URL for a local path, so Ansible makes one.
        if (repo.startsWith("/")) repo = "file://" + repo;
        Request q = new Request(ctx.str("dest"), repo, ctx.str("version"), ctx.str("remote"), ctx.str("refspec"),
                ctx.str("reference"), ctx.bool("force"), ctx.has("depth") ? ctx.integer("depth") : null,
                ctx.bool("clone"), ctx.bool("update"), ctx.bool("bare"), ctx.bool("recursive"),
                ctx.bool("single_branch"), ctx.bool("track_submodules"), ctx.str("archive"),
                ctx.str("archive_prefix"), ctx.str("separate_git_dir"));
        if (q.dest() == null && q.mayClone()) {
            return TaskOutcome.failed("the destination directory must be specified unless clone=no");
        }
        String git = ctx.has("executable") ? ctx.str("executable") : "git";
        GitRunner runner = new GitRunner(ctx, git, umask, GitRunner.sshCommand(ctx.str("ssh_opts"),
                ctx.bool("accept_hostkey"), ctx.bool("accept_newhostkey"), ctx.str("key_file")));
        try {
            return new GitCheckout(ctx, runner, q).run();
        } catch (GitFailure e) {
            return FailedCommand.outcome(e.getMessage(), e.result);
        }
    }

    /** {@code before}/{@code after} and friends, in Ansible's keys. */
    static Map<String, Object> data(String before, String after, Map<String, Object> more) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", before);
        d.put("after", after);
        d.putAll(more);
        return d;
    }

    /** The shell test for a file on the host. */
    static String testFile(String flag, String path) {
        return "test " + flag + " " + ShellQuote.quote(path);
    }
}
