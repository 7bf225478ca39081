package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code raw} against a real sshd: shell syntax passes through; check mode runs nothing. */
class RawModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @Test
    void runsAsWrittenWithExecutableAndSkipsInCheckMode() throws Exception {
        Path made = tmp.resolve("made");
        TaskOutcome c = new RawModule().run(host.ctx(Map.of("free_form", "touch " + made), true, ModuleLab.TIMEOUT));
        assertThat(c.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(made).doesNotExist();

        TaskOutcome o = host.run(new RawModule(), Map.of("free_form", "echo a b | tr a-z A-Z; echo e >&2; touch "
                + made));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.stdout()).isEqualTo("A B\n");
        assertThat(o.stderr()).isEqualTo("e\n");
        assertThat(made).exists();

        TaskOutcome bash = host.run(new RawModule(), Map.of("free_form", "echo ${BASH_VERSION:+bash}",
                "executable", "/bin/bash"));
        assertThat(bash.stdout()).isEqualTo("bash\n");
        TaskOutcome failed = host.run(new RawModule(), Map.of("free_form", "exit 4"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.rc()).isEqualTo(4);
    }
}
