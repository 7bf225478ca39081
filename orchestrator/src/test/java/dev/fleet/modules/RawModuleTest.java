package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.SshdFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raw} against a real sshd: shell syntax passes through; check mode runs nothing. */
class RawModuleTest {
    @TempDir
    static Path labDir;
    static ModuleHost host;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(SshdFixture.sshdAvailable(), "OpenSSH sshd/ssh-keygen not installed");
        host = ModuleHost.start(labDir);
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
    }

    @Test
    void runsAsWrittenWithExecutableAndSkipsInCheckMode() throws Exception {
        Path made = tmp.resolve("made");
        TaskOutcome c = new RawModule().run(host.ctx(Map.of("free_form", "touch " + made), true, ModuleHost.TIMEOUT));
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
