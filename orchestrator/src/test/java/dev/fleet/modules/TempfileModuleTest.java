package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code tempfile} against a real sshd. */
class TempfileModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @Test
    void makesAPrivateFileOrDirectoryEachRunAndNothingInCheckMode() throws Exception {
        Path d = Files.createDirectory(tmp.resolve("in here"));
        TaskOutcome c = new TempfileModule().run(host.ctx(Map.of("path", d.toString()), true, ModuleLab.TIMEOUT));
        assertThat(c.status()).isEqualTo(TaskStatus.SKIPPED);
        try (Stream<Path> s = Files.list(d)) {
            assertThat(s).isEmpty();
        }
        TaskOutcome f = host.run(new TempfileModule(), Map.of("path", d.toString(), "prefix", "x.", "suffix", ".log"));
        assertThat(f.status()).isEqualTo(TaskStatus.CHANGED);
        Path made = Path.of((String) f.data().get("path"));
        assertThat(made.getParent()).isEqualTo(d);
        assertThat(made.getFileName().toString()).startsWith("x.").endsWith(".log").hasSize(14);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rw-------");
        assertThat(f.data()).containsEntry("mode", "0600").containsEntry("state", "file");

        TaskOutcome dir = host.run(new TempfileModule(), Map.of("path", d.toString(), "state", "directory"));
        Path madeDir = Path.of((String) dir.data().get("path"));
        assertThat(madeDir).isDirectory();
        assertThat(madeDir.getFileName().toString()).startsWith("ansible.");
        assertThat(dir.data()).containsEntry("mode", "0700").containsEntry("state", "directory");

        TaskOutcome bad = host.run(new TempfileModule(), Map.of("path", tmp.resolve("nope").toString()));
        assertThat(bad.status()).isEqualTo(TaskStatus.FAILED);
    }
}
