package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pause with a real sshd session: it waits, and the session is still usable afterwards. */
class PauseModuleTest {
    @TempDir
    static Path labDir;
    static ModuleHost host;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(dev.fleet.testing.SshdFixture.sshdAvailable(), "OpenSSH sshd not installed");
        host = ModuleHost.start(labDir);
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
    }

    @Test
    void pausesOneSecondAndLeavesTheSessionUsable() throws Exception {
        long t0 = System.nanoTime();
        TaskOutcome o = host.run(new PauseModule(), Map.of("seconds", 1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.stdout()).isEqualTo("Paused for 1.0 seconds");
        assertThat(host.session.exec("echo still-here", ModuleHost.TIMEOUT).stdout().strip()).isEqualTo("still-here");
    }
}
