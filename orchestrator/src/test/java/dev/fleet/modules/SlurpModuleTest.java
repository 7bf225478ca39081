package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code slurp} against a real sshd: binary content round-trips; runs the same in check mode. */
class SlurpModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @Test
    void readsBinaryContentAsBase64EvenInCheckMode() throws Exception {
        byte[] bytes = new byte[100_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
        Path f = Files.write(tmp.resolve("blob it's"), bytes);
        for (boolean check : new boolean[] {false, true}) {
            TaskOutcome o = new SlurpModule().run(host.ctx(Map.of("src", f.toString()), check, ModuleLab.TIMEOUT));
            assertThat(o.status()).isEqualTo(TaskStatus.OK);
            assertThat(Base64.getDecoder().decode((String) o.data().get("content"))).isEqualTo(bytes);
            assertThat(o.data()).containsEntry("encoding", "base64").containsEntry("source", f.toString());
        }
        TaskOutcome missing = host.run(new SlurpModule(), Map.of("src", tmp.resolve("nope").toString()));
        assertThat(missing.msg()).isEqualTo("file not found: " + tmp.resolve("nope"));
        TaskOutcome dir = host.run(new SlurpModule(), Map.of("src", tmp.toString()));
        assertThat(dir.msg()).isEqualTo("source is a directory and must be a file: " + tmp);
    }
}
