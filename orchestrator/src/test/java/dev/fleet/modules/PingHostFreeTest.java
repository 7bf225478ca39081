package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ping} against an in-memory host. */
class PingHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void pingEchoesPongAndReportsItOk() throws Exception {
        host.on("echo pong", 0, "pong\n");
        TaskOutcome o = ModuleHarness.run(host, "ping", Map.of());
        assertThat(host.commands()).containsExactly("echo pong");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("ping", "pong");
    }

    @Test
    void dataIsEchoedBackQuoted() throws Exception {
        host.on("echo", 0, "hi there $x\n");
        TaskOutcome o = ModuleHarness.run(host, "ping", args("data", "hi there $x"));
        assertThat(host.commands()).containsExactly("echo 'hi there $x'");
        assertThat(o.data()).containsEntry("ping", "hi there $x");
    }

    @Test
    void dataCrashFailsTheModuleAsAnsiblesDoes() throws Exception {
        assertThat(ModuleHarness.rejection(host, "ping", args("data", "crash"))).startsWith("boom");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aHostThatCannotRunEchoFails() throws Exception {
        host.on("echo", 127, "", "sh: echo: not found");
        TaskOutcome o = ModuleHarness.run(host, "ping", Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(127);
        assertThat(o.msg()).isEqualTo("the host could not run 'echo'");
    }

    @Test
    void pingIsNeverChangedEvenInCheckMode() throws Exception {
        host.on("echo pong", 0, "pong\n");
        assertThat(ModuleHarness.check(host, "ping", Map.of()).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void pingTakesOnlyData() throws Exception {
        assertThat(ModuleHarness.rejection(host, "ping", args("msg", "x"))).contains("unsupported argument 'msg'");
    }
}
