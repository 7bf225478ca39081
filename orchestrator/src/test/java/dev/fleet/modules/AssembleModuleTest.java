package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** assemble against a real sshd: odd file names, idempotence, check mode, a bad argument. */
class AssembleModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @Test
    void assemblesOddNamesInOrderAndASecondRunChangesNothing() throws Exception {
        Path frags = Files.createDirectories(tmp.resolve("frag dir"));
        Files.writeString(frags.resolve("b it's\nnewline"), "two");
        Files.writeString(frags.resolve("a $(x)"), "one\n");
        Files.writeString(frags.resolve("c-ü"), "three\n");
        Files.createDirectories(frags.resolve("0 dir"));
        String dest = tmp.resolve("out.conf").toString();
        Map<String, Object> args = Map.of("src", frags.toString(), "dest", dest, "delimiter", "##", "mode", "0640");
        TaskOutcome o = host.run(new AssembleModule(), args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(Path.of(dest))).isEqualTo("one\n##\ntwo\n##\nthree\n");
        assertThat(ModuleLab.local("stat", "-c", "%a", dest)).isEqualTo("640");
        assertThat(host.run(new AssembleModule(), args).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void checkModeChangesNothingAndBadArgumentsAreNamed() throws Exception {
        Path frags = Files.createDirectories(tmp.resolve("frags"));
        Files.writeString(frags.resolve("a"), "one\n");
        String dest = tmp.resolve("out").toString();
        TaskOutcome o = new AssembleModule().run(host.ctx(Map.of("src", frags.toString(), "dest", dest), true,
                Duration.ofSeconds(30)));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(Path.of(dest)).doesNotExist();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.run(new AssembleModule(),
                Map.of("src", frags.toString(), "dest", dest, "ignore_hidden", "maybe")))
                .hasMessageContaining("ignore_hidden");
    }
}
