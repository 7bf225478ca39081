package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** unarchive against a real sshd with the host's GNU tar and unzip: odd names, idempotence, check mode. */
class UnarchiveModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private Path tree() throws Exception {
        Path tree = Files.createDirectories(tmp.resolve("tree/dir it's"));
        Files.writeString(tree.resolve("café $(x).txt"), "one\n");
        Files.writeString(tmp.resolve("tree/top.txt"), "two\n");
        return tmp.resolve("tree");
    }

    @Test
    void tarGzUnpacksOnceWithOddNamesAndModes() throws Exception {
        Path tree = tree();
        String archive = tmp.resolve("a.tar.gz").toString();
        ModuleLab.local("tar", "-C", tree.toString(), "-czf", archive, "dir it's", "top.txt");
        Path dest = Files.createDirectories(tmp.resolve("out"));
        Map<String, Object> args = Map.of("src", archive, "dest", dest.toString(), "remote_src", true,
                "list_files", true, "mode", "0750");
        TaskOutcome o = host.run(new UnarchiveModule(), args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("handler", "TgzArchive");
        assertThat(o.data().get("files")).asInstanceOf(InstanceOfAssertFactories.list(String.class))
                .contains("dir it's/café $(x).txt", "top.txt");
        assertThat(Files.readString(dest.resolve("dir it's/café $(x).txt"))).isEqualTo("one\n");
        assertThat(ModuleLab.local("stat", "-c", "%a", dest.resolve("top.txt").toString())).isEqualTo("750");
        TaskOutcome again = host.run(new UnarchiveModule(), args);
        assertThat(again.status()).as(again.msg()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void zipUnpacksOnceAndCheckModeWritesNothing() throws Exception {
        Path tree = tree();
        String archive = tmp.resolve("a.zip").toString();
        new ProcessBuilder("zip", "-qr", archive, "dir it's", "top.txt").directory(tree.toFile()).start().waitFor();
        Path dest = Files.createDirectories(tmp.resolve("out"));
        Map<String, Object> args = Map.of("src", archive, "dest", dest.toString(), "remote_src", true);
        TaskOutcome checked = new UnarchiveModule().run(host.ctx(args, true, ModuleLab.TIMEOUT));
        assertThat(checked.status()).as(checked.msg()).isEqualTo(TaskStatus.CHANGED);
        try (var entries = Files.list(dest)) {
            assertThat(entries).isEmpty();
        }
        assertThat(host.run(new UnarchiveModule(), args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(dest.resolve("top.txt"))).isEqualTo("two\n");
        assertThat(host.run(new UnarchiveModule(), args).status()).isEqualTo(TaskStatus.OK);
        assertThatThrownBy(() -> host.run(new UnarchiveModule(), Map.of("src", archive, "dest", dest.toString(),
                "list_files", "sometimes"))).hasMessageContaining("list_files");
    }
}
