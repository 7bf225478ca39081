package dev.fleet.modules;

import dev.fleet.modules.GitModule.Request;
import dev.fleet.modules.GitRunner.GitFailure;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run of the {@code git} module, in Ansible's order: clone when {@code dest} holds no repository (or, in
 * check mode or with clone=no, ask the remote what it would get); with update=no report what is there; else
 * refuse or reset local modifications, point the remote at {@code repo}, fetch, switch to {@code version},
 * update submodules, and report the commit before and after.
 */
final class GitCheckout {
    private final ModuleContext ctx;
    private final GitRunner git;
    private final Request q;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    GitCheckout(ModuleContext ctx, GitRunner git, Request q) {
        this.ctx = ctx;
        this.git = git;
        this.q = q;
    }

    TaskOutcome run() throws TransportException, GitFailure, ModuleException {
        String repoPath = q.dest() == null ? null : repoPath();
        boolean hasRepo = repoPath != null && exists("-f", repoPath + "/config");
        if (q.separateGitDir() != null && hasRepo && !repoPath.equals(q.separateGitDir())) {
            throw new ModuleException("separate_git_dir: moving an existing repository to a separate git dir is"
                    + " not supported by fleet's git module");
        }
        String before = null;
        boolean localMods = false;
        boolean urlChanged = false;
        if (!hasRepo) {
            if (ctx.check() || !q.mayClone()) {
                return result(true, null, remoteHead(null, q.repo()));
            }
            cloneRepo();
        } else if (!q.update()) {
            before = git.revParse(q.dest(), "HEAD");
            TaskOutcome o = result(false, before, before);
            return q.archive() == null ? o : archive(o);
        } else {
            localMods = hasLocalMods();
            before = git.revParse(q.dest(), "HEAD");
            if (localMods) {
                if (!q.force()) {
                    return new TaskOutcome(TaskStatus.FAILED, null, "", "", "Local modifications exist in the"
                            + " destination: " + q.dest() + " (force=no).", GitModule.data(before, null, Map.of()));
                }
                if (!ctx.check()) git.must("reset the working tree", q.dest(), "reset", "--hard", "HEAD");
            }
            urlChanged = remoteUrlChanged();
            extra.put("remote_url_changed", urlChanged);
            if (ctx.check()) {
                String head = remoteHead(q.dest(), q.remote());
                // As Ansible 2.14: check mode compares commits and the URL only, not local modifications.
                return result(!head.equals(before) || urlChanged, before, head);
            }
            if (urlChanged) git.must("set a new url " + q.repo() + " for " + q.remote(), q.dest(), "remote",
                    "set-url", q.remote(), q.repo());
            fetch();
        }
        if (!q.bare()) switchVersion();
        boolean submodules = q.recursive() && !q.bare() && GitSubmodules.update(ctx, git, q);
        if (submodules) extra.put("submodules_changed", true);
        String after = git.revParse(q.dest(), "HEAD");
        boolean changed = before == null || !before.equals(after) || localMods || submodules || urlChanged;
        TaskOutcome o = result(changed, before, after);
        return q.archive() == null ? o : archive(o);
    }

    private TaskOutcome result(boolean changed, String before, String after) {
        return new TaskOutcome(changed ? TaskStatus.CHANGED : TaskStatus.OK, null, "", "", "",
                GitModule.data(before, after, extra));
    }

    /** Where the repository's files are: dest for a bare one, else .git, or what a .git file points to. */
    private String repoPath() throws TransportException, ModuleException {
        String dest = q.dest();
        if (q.bare()) return dest;
        String dotGit = dest + "/.git";
        CommandResult r = ctx.session().exec(GitModule.testFile("-f", dotGit) + " && head -n 1 "
                + ShellQuote.quote(dotGit), ctx.timeout());
        if (r.exitCode() != 0) return dotGit;
        String line = r.stdout().strip();
        if (!line.startsWith("gitdir: ")) {
            throw new ModuleException("Current repo does not have a valid reference to a separate Git dir or it"
                    + " refers to the invalid path");
        }
        String path = line.substring("gitdir: ".length()).strip();
        return path.startsWith("/") ? path : dest + "/" + path;
    }

    private boolean exists(String flag, String path) throws TransportException {
        return ctx.session().exec(GitModule.testFile(flag, path), ctx.timeout()).exitCode() == 0;
    }

    private void cloneRepo() throws TransportException, GitFailure {
        String dest = q.dest();
        String parent = dest.contains("/") ? dest.substring(0, Math.max(1, dest.lastIndexOf('/'))) : ".";
        ctx.session().exec("mkdir -p " + ShellQuote.quote(parent), ctx.timeout());
        List<String> cmd = new ArrayList<>(List.of("clone"));
        if (q.bare()) cmd.add("--bare");
        else cmd.addAll(List.of("--origin", q.remote()));
        String version = q.version();
        boolean branchOrTag = q.depth() != null || q.singleBranch()
                ? git.isRemoteBranch(null, q.repo(), version) || git.isRemoteTag(null, q.repo(), version) : false;
        if (q.depth() != null) {
            if ("HEAD".equals(version) || q.refspec() != null) {
                cmd.addAll(List.of("--depth", String.valueOf(q.depth())));
            } else if (branchOrTag) {
                cmd.addAll(List.of("--depth", String.valueOf(q.depth()), "--branch", version));
            } else {
                warn("Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in"
                        + " combination with refspec.");
            }
        }
        if (q.reference() != null) cmd.addAll(List.of("--reference", q.reference()));
        if (q.singleBranch()) {
            cmd.add("--single-branch");
            if (branchOrTag) cmd.addAll(List.of("--branch", version));
        }
        if (q.separateGitDir() != null) cmd.add("--separate-git-dir=" + q.separateGitDir());
        cmd.addAll(List.of(q.repo(), dest));
        git.must("clone " + q.repo(), parent, cmd.toArray(String[]::new));
        if (q.bare() && !"origin".equals(q.remote())) {
            git.must("add remote " + q.remote(), dest, "remote", "add", q.remote(), q.repo());
        }
        if (q.refspec() != null) {
            List<String> fetch = new ArrayList<>(List.of("fetch"));
            if (q.depth() != null) fetch.addAll(List.of("--depth", String.valueOf(q.depth())));
            fetch.addAll(List.of(q.remote(), q.refspec()));
            git.must("fetch " + q.refspec(), dest, fetch.toArray(String[]::new));
        }
    }

    @SuppressWarnings("unchecked")
    private void warn(String warning) {
        ((List<String>) extra.computeIfAbsent("warnings", k -> new ArrayList<String>())).add(warning);
    }

    private boolean hasLocalMods() throws TransportException {
        if (q.bare()) return false;
        String out = git.run(q.dest(), "status", "--porcelain").stdout();
        return out.lines().anyMatch(l -> !l.isEmpty() && !l.startsWith("??"));
    }

    /** Whether the remote's URL differs from repo (as given, or as the same path once resolved). */
    private boolean remoteUrlChanged() throws TransportException {
        CommandResult r = git.run(q.dest(), "ls-remote", "--get-url", q.remote());
        if (r.exitCode() != 0) return false;
        String url = r.stdout().strip();
        if (url.equals(q.repo())) return false;
        String both = "realpath -m -- " + ShellQuote.quote(url) + " " + ShellQuote.quote(q.repo());
        List<String> real = ctx.session().exec(both, ctx.timeout()).stdout().lines().toList();
        return real.size() != 2 || !real.get(0).equals(real.get(1));
    }

    /**
     * The commit the remote has for version: its HEAD (or the current branch's head) for HEAD, a branch's or a
     * tag's commit (the tagged commit for an annotated tag), or version itself when it looks like a commit.
     */
    private String remoteHead(String cwd, String remote) throws TransportException, GitFailure, ModuleException {
        String version = q.version();
        boolean cloning = cwd == null;
        List<String> cmd;
        boolean tag = false;
        if ("HEAD".equals(version)) {
            cmd = cloning ? List.of("ls-remote", remote, "-h", "HEAD")
                    : List.of("ls-remote", remote, "-h", "refs/heads/" + git.headBranch(cwd, q.remote()));
        } else if (git.isRemoteBranch(cwd, remote, version)) {
            cmd = List.of("ls-remote", remote, "-h", "refs/heads/" + version);
        } else if (git.isRemoteTag(cwd, remote, version)) {
            tag = true;
            cmd = List.of("ls-remote", remote, "-t", "refs/tags/" + version + "*");
        } else {
            return version;
        }
        String out = git.must("ask the remote for " + version, cwd, cmd.toArray(String[]::new)).stdout();
        if (out.isBlank()) throw new ModuleException("Could not determine remote revision for " + version);
        String line = out.lines().findFirst().orElse("");
        if (tag) {
            for (String l : out.lines().toList()) {
                if (l.endsWith(version + "^{}")) {
                    line = l;
                    break;
                }
                if (l.endsWith(version)) line = l;
            }
        }
        return line.split("\\s+")[0];
    }

    /** Fetches what version needs: everything (and tags), or with depth the fewest refs that check it out. */
    private void fetch() throws TransportException, GitFailure {
        String dest = q.dest();
        String version = q.version();
        List<String> cmd = new ArrayList<>(List.of("fetch"));
        List<String> refspecs = new ArrayList<>();
        if (q.depth() != null) {
            if (q.refspec() != null) {
                refspecs.add(q.refspec());
            } else if ("HEAD".equals(version)) {
                refspecs.add(git.headBranch(dest, q.remote()));
            } else if (git.isRemoteBranch(dest, q.repo(), version)) {
                if (!version.equals(git.headBranch(dest, q.remote()))) {
                    refspecs.add("+refs/heads/" + version + ":refs/heads/" + version);
                }
                refspecs.add("+refs/heads/" + version + ":refs/remotes/" + q.remote() + "/" + version);
            } else if (git.isRemoteTag(dest, q.repo(), version)) {
                refspecs.add("+refs/tags/" + version + ":refs/tags/" + version);
            }
            if (!refspecs.isEmpty()) cmd.addAll(List.of("--depth", String.valueOf(q.depth())));
        }
        if (q.depth() == null || refspecs.isEmpty()) {
            if (q.bare()) refspecs = new ArrayList<>(List.of("+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"));
            else cmd.add("--tags");
            if (q.refspec() != null) refspecs.add(q.refspec());
        }
        if (q.force()) cmd.add("--force");
        cmd.add(q.remote());
        cmd.addAll(refspecs);
        git.must("download remote objects and refs", dest, cmd.toArray(String[]::new));
    }

    /** Checks out version: the branch reset to its remote head, a new tracking branch, or a tag or commit. */
    private void switchVersion() throws TransportException, GitFailure {
        String dest = q.dest();
        String version = q.version();
        String remote = q.remote();
        if ("HEAD".equals(version)) {
            String branch = git.headBranch(dest, remote);
            git.must("checkout branch " + branch, dest, "checkout", "--force", branch);
            git.must("checkout branch " + branch, dest, "reset", "--hard", remote + "/" + branch, "--");
        } else if (git.isRemoteBranch(dest, remote, version)) {
            if (q.depth() != null && !git.isLocalBranch(dest, version)) {
                git.must("fetch branch from remote: " + version, dest, "fetch", "--depth=" + q.depth(), remote,
                        "+refs/heads/" + version + ":refs/heads/" + version,
                        "+refs/heads/" + version + ":refs/remotes/" + remote + "/" + version);
            }
            if (!git.isLocalBranch(dest, version)) {
                git.must("checkout " + version, dest, "checkout", "--track", "-b", version, remote + "/" + version);
            } else {
                git.must("checkout branch " + version, dest, "checkout", "--force", version);
                git.must("checkout " + version, dest, "reset", "--hard", remote + "/" + version);
            }
        } else {
            git.must("checkout " + version, dest, "checkout", "--force", version);
        }
    }

    /** archive: git archive of version into a file whose extension names the format; unchanged if the same. */
    private TaskOutcome archive(TaskOutcome o) throws TransportException, GitFailure {
        String archive = q.archive();
        String format = archive.endsWith(".zip") ? "zip" : archive.endsWith(".tar.gz") || archive.endsWith(".gz")
                ? "tar.gz" : archive.endsWith(".tgz") ? "tgz" : archive.endsWith(".tar") ? "tar" : null;
        if (format == null) {
            return TaskOutcome.failed("Unable to get file extension from archive file name : " + archive);
        }
        if (ctx.check()) return new TaskOutcome(TaskStatus.CHANGED, null, "", "", "", o.data());
        String fresh = archive + ".fleet-new";
        List<String> cmd = new ArrayList<>(List.of("archive", "--format", format, "--output", fresh));
        if (q.archivePrefix() != null) cmd.addAll(List.of("--prefix", q.archivePrefix()));
        cmd.add(q.version());
        git.must("perform archive operation", q.dest(), cmd.toArray(String[]::new));
        String a = ShellQuote.quote(archive);
        String f = ShellQuote.quote(fresh);
        boolean same = ctx.session().exec("cmp -s " + f + " " + a + " && rm -f " + f, ctx.timeout()).exitCode() == 0;
        if (same) return o;
        ctx.session().exec("mv -f " + f + " " + a, ctx.timeout());
        return new TaskOutcome(TaskStatus.CHANGED, null, "", "", "", o.data());
    }
}
