package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code git} against a real sshd, on repositories the test makes under a temporary directory (no network). */
class GitModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;
    Path upstream;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(!ModuleLab.local("sh", "-c", "command -v git").isEmpty(), "git not installed");
    }

    /** Runs a shell script in the temporary directory, returning its output. */
    private String sh(String script) throws Exception {
        return ModuleLab.local("sh", "-c", "cd '" + tmp + "' && export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t"
                + " GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t && " + script);
    }

    private String commit(String file, String text) throws Exception {
        return sh("cd up && printf '" + text + "' > " + file + " && git add -A && git commit -qm " + file
                + " && git rev-parse HEAD");
    }

    @BeforeEach
    void makeUpstream() throws Exception {
        upstream = tmp.resolve("up");
        sh("git init -q -b main up");
        commit("a", "one\\n");
    }

    private TaskOutcome git(boolean check, Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) args.put((String) kv[i], kv[i + 1]);
        try {
            return new GitModule().run(host.ctx(args, check, ModuleLab.TIMEOUT));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clonesThenUpdatesIdempotentlyAndCheckModeAsksTheRemoteOnly() throws Exception {
        String first = sh("git -C up rev-parse HEAD");
        String dest = tmp.resolve("co").toString();
        TaskOutcome o = git(true, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", null).containsEntry("after", first);
        assertThat(Path.of(dest)).doesNotExist();

        o = git(false, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", null).containsEntry("after", first);
        assertThat(Files.readString(Path.of(dest, "a"))).isEqualTo("one\n");
        o = git(false, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("before", first).containsEntry("after", first)
                .containsEntry("remote_url_changed", false);

        String second = commit("b", "two\\n");
        o = git(true, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", first).containsEntry("after", second);
        assertThat(Path.of(dest, "b")).doesNotExist();
        o = git(false, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("after", second);
        assertThat(Path.of(dest, "b")).exists();
    }

    @Test
    void versionTakesATagABranchOrACommit() throws Exception {
        String first = sh("git -C up rev-parse HEAD");
        sh("git -C up tag -a v1 -m v1 && git -C up checkout -qb dev");
        String dev = commit("d", "dev\\n");
        sh("git -C up checkout -q main");
        String dest = tmp.resolve("co").toString();
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "version", "dev").data())
                .containsEntry("after", dev);
        assertThat(sh("git -C co rev-parse --abbrev-ref HEAD")).isEqualTo("dev");
        TaskOutcome o = git(true, "repo", upstream.toString(), "dest", dest, "version", "v1");
        assertThat(o.data()).containsEntry("after", first);
        o = git(false, "repo", upstream.toString(), "dest", dest, "version", "v1");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", dev).containsEntry("after", first);
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "version", "v1").status())
                .isEqualTo(TaskStatus.OK);
        o = git(false, "repo", upstream.toString(), "dest", dest, "version", dev);
        assertThat(o.data()).containsEntry("after", dev);
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "version", dev).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void localModificationsNeedForce() throws Exception {
        String dest = tmp.resolve("co").toString();
        git(false, "repo", upstream.toString(), "dest", dest);
        Files.writeString(Path.of(dest, "a"), "mine\n");
        TaskOutcome o = git(false, "repo", upstream.toString(), "dest", dest);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Local modifications exist in the destination: " + dest + " (force=no).");
        o = git(true, "repo", upstream.toString(), "dest", dest, "force", true);
        assertThat(o.status()).as("Ansible's check compares commits only").isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(Path.of(dest, "a"))).isEqualTo("mine\n");
        o = git(false, "repo", upstream.toString(), "dest", dest, "force", true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(Path.of(dest, "a"))).isEqualTo("one\n");
    }

    @Test
    void depthBareCloneNoUpdateNoRemoteUrlAndArchive() throws Exception {
        String second = commit("b", "two\\n");
        String dest = tmp.resolve("shallow").toString();
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "depth", 1).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(sh("git -C shallow rev-list --count HEAD")).isEqualTo("1");
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "depth", 1).status())
                .isEqualTo(TaskStatus.OK);

        TaskOutcome o = git(false, "repo", upstream.toString(), "dest", tmp.resolve("b.git").toString(),
                "bare", true);
        assertThat(o.data()).containsEntry("after", second);
        assertThat(tmp.resolve("b.git/HEAD")).exists();
        assertThat(git(false, "repo", upstream.toString(), "dest", tmp.resolve("b.git").toString(), "bare", true)
                .status()).isEqualTo(TaskStatus.OK);

        o = git(false, "repo", upstream.toString(), "clone", false, "dest", tmp.resolve("none").toString());
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("after", second);
        assertThat(tmp.resolve("none")).doesNotExist();

        commit("c", "three\\n");
        o = git(false, "repo", upstream.toString(), "dest", dest, "update", false);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("before", second).containsEntry("after", second);

        sh("cp -r up up2");
        o = git(false, "repo", tmp.resolve("up2").toString(), "dest", dest, "depth", 1);
        assertThat(o.data()).containsEntry("remote_url_changed", true);
        assertThat(sh("git -C shallow remote get-url origin")).isEqualTo("file://" + tmp.resolve("up2"));

        String zip = tmp.resolve("a.zip").toString();
        o = git(false, "repo", upstream.toString(), "dest", dest, "archive", zip);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Path.of(zip)).exists();
        assertThat(git(false, "repo", upstream.toString(), "dest", dest, "archive", zip).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void badArgumentsAndAMissingRepositoryFailClearly() throws Exception {
        assertThatThrownBy(() -> new GitModule().run(host.ctx(Map.of("repo", upstream.toString(), "dest",
                tmp.resolve("x").toString(), "depth", "deep")))).isInstanceOf(ModuleException.class)
                .hasMessageContaining("depth");
        assertThatThrownBy(() -> new GitModule().run(host.ctx(Map.of("repo", "r", "dest", "/d", "bare", true,
                "separate_git_dir", "/g")))).hasMessageContaining("mutually exclusive: separate_git_dir|bare");
        TaskOutcome o = git(false, "repo", tmp.resolve("nope").toString(), "dest", tmp.resolve("x").toString());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Failed to clone file://" + tmp.resolve("nope"));
    }
}
