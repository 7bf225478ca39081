package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** pause with a real sshd session: it waits, and the session is still usable afterwards. */
class PauseModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @Test
    void pausesOneSecondAndLeavesTheSessionUsable() throws Exception {
        long t0 = System.nanoTime();
        TaskOutcome o = host.run(new PauseModule(), Map.of("seconds", 1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.stdout()).isEqualTo("Paused for 1.0 seconds");
        assertThat(host.session().exec("echo still-here", ModuleLab.TIMEOUT).stdout().strip()).isEqualTo("still-here");
    }
}
