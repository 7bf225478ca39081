package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code git}: the git commands run for a clone, check mode, the ssh command, and argument errors. */
class GitHostFreeTest {
    private static final String SHA = "0123456789012345678901234567890123456789";
    private final FakeHostSession host = new FakeHostSession("web1");

    {
        host.on("test -f", 1, "");
        host.on("ls-remote", 0, SHA + "\tHEAD\n");
        host.on("rev-parse HEAD", 0, SHA + "\n");
    }

    @Test
    void checkModeOnAMissingCheckoutOnlyAsksTheRemote() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "git", args("repo", "/srv/repo", "dest", "/opt/app"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", null).containsEntry("after", SHA);
        assertThat(host.commandsContaining(" git ")).hasSize(1).allMatch(c -> c.endsWith(
                "git ls-remote file:///srv/repo -h HEAD"));
        assertThat(host.commandsContaining("clone")).isEmpty();
    }

    @Test
    void aCloneQuotesEveryValueAndPassesDepthRemoteAndSingleBranch() throws Exception {
        host.on("ls-remote 'ssh://h/r p' -h refs/heads/rel", 0, SHA + "\trefs/heads/rel\n");
        TaskOutcome o = ModuleHarness.run(host, "git", args("repo", "ssh://h/r p", "dest", "/opt/my app",
                "version", "rel", "depth", 1, "remote", "up", "single_branch", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining(" clone ")).singleElement().satisfies(c -> assertThat(c)
                .startsWith("cd /opt && ").contains("git clone --origin up --depth 1 --branch rel --single-branch"
                        + " --branch rel 'ssh://h/r p' '/opt/my app'"));
        assertThat(host.commands()).anyMatch(c -> c.equals("mkdir -p /opt"));
    }

    @Test
    void sshOptionsAreBuiltAsAnsibleBuildsThem() throws Exception {
        assertThat(GitRunner.sshCommand(null, false, false, null)).isEqualTo("ssh -o BatchMode=yes");
        assertThat(GitRunner.sshCommand("-p 2222", true, false, "/k ey")).isEqualTo(
                "ssh -p 2222 -o StrictHostKeyChecking=no -o BatchMode=yes -i '/k ey' -o IdentitiesOnly=yes");
        assertThat(GitRunner.sshCommand(null, false, true, null))
                .isEqualTo("ssh -o StrictHostKeyChecking=accept-new -o BatchMode=yes");
        ModuleHarness.check(host, "git", args("repo", "git@h:r", "dest", "/d", "accept_hostkey", true));
        assertThat(host.commandsContaining("ls-remote")).allMatch(c -> c.contains(
                "GIT_SSH_COMMAND='ssh -o StrictHostKeyChecking=no -o BatchMode=yes' "));
    }

    @Test
    void trackSubmodulesUpdatesThemToTheirRemoteBranchesAndReportsAMove() throws Exception {
        host.on("test -f /d/.git/config", 0, "");
        host.on("test -f /d/.gitmodules", 0, "");
        host.on("symbolic-ref -q HEAD", 0, "refs/heads/main\n");
        host.on("ls-remote --get-url", 0, "file:///r\n");
        host.when(c -> c.contains("rev-parse HEAD") && c.contains("foreach"), new java.util.function.Function<>() {
            private int calls;

            public Object apply(String c) {
                return FakeHostSession.result(0, "Entering 'lib'\n" + (calls++ == 0 ? "aaa" : "bbb") + "\n", "");
            }
        });
        TaskOutcome o = ModuleHarness.run(host, "git", args("repo", "/r", "dest", "/d", "track_submodules", true,
                "force", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("submodules_changed", true);
        assertThat(host.commandsContaining("submodule update")).singleElement().satisfies(c -> assertThat(c)
                .endsWith("git submodule update --init --recursive --remote --force"));
    }

    @Test
    void umaskPrecedesEveryGitCommand() throws Exception {
        ModuleHarness.check(host, "git", args("repo", "/r", "dest", "/d", "umask", "0027"));
        assertThat(host.commandsContaining(" git ")).isNotEmpty().allMatch(c -> c.startsWith("umask 0027 && LANG=C"));
        assertThat(ModuleHarness.run(host, "git", args("repo", "/r", "dest", "/d", "umask", "9")).msg())
                .isEqualTo("umask must be an octal integer");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "git", args("dest", "/d"))).contains("repo");
        assertThat(ModuleHarness.rejection(host, "git", args("repo", "r", "dest", "/d", "depth", "x")))
                .contains("depth");
        assertThat(ModuleHarness.rejection(host, "git", args("repo", "r", "dest", "/d", "accept_hostkey", true,
                "accept_newhostkey", true))).contains("accept_hostkey|accept_newhostkey");
        assertThat(ModuleHarness.rejection(host, "git", args("repo", "r", "dest", "/d", "verify_commit", true)))
                .contains("verify_commit");
        assertThat(ModuleHarness.run(host, "git", args("repo", "r")).msg())
                .isEqualTo("the destination directory must be specified unless clone=no");
        assertThat(host.commands()).isEmpty();
    }
}
