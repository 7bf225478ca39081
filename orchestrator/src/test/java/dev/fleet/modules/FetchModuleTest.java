package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.SimpleTemplater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** fetch against a real sshd: binary content arrives intact, and a second fetch changes nothing. */
class FetchModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private TaskOutcome fetch(Map<String, Object> args) throws Exception {
        return new FetchModule().run(new ModuleContext(host.session(), args, false, false, ModuleLab.TIMEOUT,
                Map.of("inventory_hostname", "node1"), new SimpleTemplater(), tmp));
    }

    @Test
    void fetchesBinaryContentIntactAndIsIdempotent() throws Exception {
        byte[] bytes = new byte[70_000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
        Path remote = Files.createDirectories(tmp.resolve("remote dir")).resolve("data.bin");
        Files.write(remote, bytes);
        TaskOutcome o = fetch(Map.of("src", remote.toString(), "dest", "out"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        Path local = tmp.resolve("out/node1").resolve(remote.toString().substring(1));
        assertThat(Files.readAllBytes(local)).isEqualTo(bytes);
        assertThat(o.data()).containsEntry("dest", local.toString())
                .containsEntry("checksum", ModuleLab.local("sha1sum", remote.toString()).substring(0, 40));
        TaskOutcome again = fetch(Map.of("src", remote.toString(), "dest", "out"));
        assertThat(again.status()).isEqualTo(TaskStatus.OK);
        Files.write(remote, new byte[] {1, 2, 3});
        assertThat(fetch(Map.of("src", remote.toString(), "dest", "out")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readAllBytes(local)).containsExactly(1, 2, 3);
    }

    @Test
    void aMissingRemoteFileFails() throws Exception {
        TaskOutcome o = fetch(Map.of("src", tmp.resolve("nope").toString(), "dest", "out", "flat", true));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).contains("does not exist");
    }
}
