package dev.fleet.modules;

import dev.fleet.modules.GitModule.Request;
import dev.fleet.modules.GitRunner.GitFailure;
import dev.fleet.transport.TransportException;

/**
 * The {@code git} module's submodules (recursive, track_submodules): initialised and brought to the commits the
 * superproject records, or with track_submodules to their remote branches' heads; changed when any moved.
 */
final class GitSubmodules {
    private GitSubmodules() {}

    /** Updates the submodules of {@code q.dest()} when needed; whether any changed. */
    static boolean update(ModuleContext ctx, GitRunner git, Request q) throws TransportException, GitFailure {
        String dest = q.dest();
        if (ctx.session().exec(GitModule.testFile("-f", dest + "/.gitmodules"), ctx.timeout()).exitCode() != 0) {
            return false;
        }
        if (q.trackSubmodules()) {
            String before = heads(git, dest);
            sync(git, q, true);
            return !before.equals(heads(git, dest));
        }
        // A line not starting with a blank is a submodule not initialised, or not at the recorded commit.
        boolean stale = git.must("retrieve submodule status", dest, "submodule", "status", "--recursive").stdout()
                .lines().anyMatch(l -> !l.isEmpty() && l.charAt(0) != ' ');
        if (stale) sync(git, q, false);
        return stale;
    }

    private static String heads(GitRunner git, String dest) throws TransportException, GitFailure {
        return git.must("determine hashes of submodules", dest, "submodule", "foreach", "--recursive", "git",
                "rev-parse", "HEAD").stdout();
    }

    private static void sync(GitRunner git, Request q, boolean remote) throws TransportException, GitFailure {
        git.must("sync submodules", q.dest(), "submodule", "sync", "--recursive");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("submodule", "update", "--init",
                "--recursive"));
        if (remote) cmd.add("--remote");
        if (q.force()) cmd.add("--force");
        git.must("init/update submodules", q.dest(), cmd.toArray(String[]::new));
    }
}
