package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code wait_for_connection}: reconnect and test until the host answers, bounded by timeout. */
class WaitForConnectionHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1").on("echo pong", 0, "pong\n");

    @Test
    void anAnsweringHostIsOkAtTheFirstAttemptAfterAReconnect() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "wait_for_connection", args("connect_timeout", 3));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("elapsed", 0L);
        assertThat(host.reconnects()).containsExactly(Duration.ofSeconds(3));
        assertThat(host.commands()).containsExactly("echo pong");
    }

    @Test
    void failedConnectsAreRetriedEverySleepSeconds() throws Exception {
        host.failReconnects(2);
        long t0 = System.nanoTime();
        TaskOutcome o = ModuleHarness.run(host, "wait_for_connection", args("sleep", 1, "timeout", 10));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.reconnects()).hasSize(3);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat((long) o.data().get("elapsed")).isGreaterThanOrEqualTo(2L);
    }

    @Test
    void aHostThatNeverComesBackFailsAfterTheTimeoutWithTheLastError() throws Exception {
        host.failReconnects(1000);
        TaskOutcome o = ModuleHarness.run(host, "wait_for_connection", args("timeout", 2, "delay", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("timed out waiting for ping module test: connect to web1: connection refused"
                + " (scripted)");
        assertThat((long) o.data().get("elapsed")).isBetween(3L, 4L);
        assertThat(host.reconnects()).hasSizeBetween(2, 3);
    }

    @Test
    void aTestCommandThatDoesNotAnswerPongIsRetried() throws Exception {
        FakeHostSession odd = new FakeHostSession("web2").on("echo pong", 1, "", "sh: broken");
        TaskOutcome o = ModuleHarness.run(odd, "wait_for_connection", args("timeout", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).contains("ping test failed: exit 1 sh: broken");
    }

    @Test
    void checkModeSkipsWithoutTouchingTheHost() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "wait_for_connection", args());
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.reconnects()).isEmpty();
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void theTaskTimeoutBoundsTheWait() throws Exception {
        host.failReconnects(1000);
        TaskOutcome o = ModuleHarness.task("wait_for_connection", args("timeout", 600))
                .timeout(Duration.ofSeconds(2)).on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat((long) o.data().get("elapsed")).isLessThanOrEqualTo(3L);
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for_connection", args("foo", "bar"))).contains("foo");
        assertThat(ModuleHarness.rejection(host, "wait_for_connection", args("timeout", "soon"))).contains("timeout");
        assertThat(ModuleHarness.rejection(host, "wait_for_connection", args("delay", -1))).contains("delay");
    }
}
