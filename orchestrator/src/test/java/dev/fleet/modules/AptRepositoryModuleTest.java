package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code apt_repository} on an overlay host whose only apt source is an empty local repository made here (a
 * directory with an empty {@code Packages} file), so {@code apt-get update} runs for real and never leaves the
 * machine.
 */
class AptRepositoryModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final Module module = ModuleRegistry.builtin().get("apt_repository");
    private Path repoDir;
    private String line;
    private String file;

    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
        host.sh("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*"); // apt-get update stays local
        repoDir = Files.createTempDirectory("fleet-aptrepo-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(repoDir.resolve("Packages"), "");
        line = "deb [trusted=yes] file:" + repoDir + " ./";
        file = "/etc/apt/sources.list.d/" + ("file:" + repoDir).replaceAll("[^a-zA-Z0-9]+", "_") + ".list";
    }

    @AfterEach
    void close() throws Exception {
        Files.deleteIfExists(repoDir.resolve("Packages"));
        Files.deleteIfExists(repoDir);
    }

    @Test
    void addsTheSourceUpdatesTheCacheAndIsIdempotent() throws Exception {
        TaskOutcome o = host.run(module, args("repo", line));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("sources_added", List.of(file));
        assertThat(host.sh("cat " + file + "; stat -c %a " + file)).isEqualTo(line + "\n644\n");
        assertThat(host.sh("ls /var/lib/apt/lists")).contains(repoDir.toString().substring(1).replace('/', '_'));
        assertThat(host.run(module, args("repo", line.replace(" ./", "   ./"))).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.lab().upperDir("host1").resolve(file.substring(1))).exists();
        assertThat(Path.of(file)).doesNotExist();
    }

    @Test
    void checkModeWritesNothingAndDiffShowsTheNewFile() throws Exception {
        TaskOutcome o = host.run(module, args("repo", line, "filename", "mine"), true, true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("diff")).isEqualTo(List.of(Map.of("before", "", "after", line + "\n",
                "before_header", "/dev/null", "after_header", "/etc/apt/sources.list.d/mine.list")));
        assertThat(host.test("test -e /etc/apt/sources.list.d/mine.list")).isFalse();
    }

    @Test
    void reEnablesACommentedCopyAndRemovesWithAbsent() throws Exception {
        host.sh("printf '# mirror\\n#%s\\n' '" + line + "' > /etc/apt/sources.list; chmod 0640 /etc/apt/sources.list");
        TaskOutcome o = host.run(module, args("repo", line, "update_cache", false, "mode", "0600"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/apt/sources.list; stat -c %a /etc/apt/sources.list"))
                .isEqualTo("# mirror\n" + line + "\n640\n");
        o = host.run(module, args("repo", line, "state", "absent", "update_cache", false));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/apt/sources.list")).isEqualTo("# mirror\n");
        assertThat(host.run(module, args("repo", line, "state", "absent")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void modeAppliesToANewFileAndAFileLeftEmptyIsRemoved() throws Exception {
        assertThat(host.run(module, args("repo", line, "filename", "mine", "mode", "0600", "update_cache", false))
                .status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("stat -c %a /etc/apt/sources.list.d/mine.list")).isEqualTo("600\n");
        assertThat(host.run(module, args("repo", line, "state", "absent", "update_cache", false)).data())
                .containsEntry("sources_removed", List.of("/etc/apt/sources.list.d/mine.list"));
        assertThat(host.test("test -e /etc/apt/sources.list.d/mine.list")).isFalse();
    }

    @Test
    void aFailingCacheUpdatePutsTheSourcesBack() throws Exception {
        String missing = "deb [trusted=yes] file:" + repoDir + "/nosuch ./";
        TaskOutcome o = host.run(module, args("repo", missing, "update_cache_retries", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Failed to update apt cache: ");
        assertThat(host.sh("ls -A /etc/apt/sources.list.d")).isEmpty();
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(host.run(module, args("repo", "not a source")).msg())
                .isEqualTo("Invalid repository string: not a source");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> host.run(module, args("repo", line,
                "update_cache_retries", "many")))).hasMessageContaining("update_cache_retries");
    }
}
