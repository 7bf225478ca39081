package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code raw} without a host. */
class RawHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void theTextIsSentExactlyAsWritten() throws Exception {
        host.on("echo", 0, "hi\n", "err\n");
        TaskOutcome o = ModuleHarness.task("raw", args()).freeForm("echo $HOME | tr a b; echo err >&2").on(host);
        assertThat(host.commands()).containsExactly("echo $HOME | tr a b; echo err >&2");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.rc()).isZero();
        assertThat(o.stdout()).isEqualTo("hi\n");
        assertThat(o.stderr()).isEqualTo("err\n");
    }

    @Test
    void executableRunsTheTextThroughIt() throws Exception {
        ModuleHarness.task("raw", args("executable", "/bin/bash")).freeForm("echo $0").on(host);
        assertThat(host.commands()).containsExactly("/bin/bash -c 'echo $0'");
    }

    @Test
    void aNonZeroExitFailsAndCheckModeSkips() throws Exception {
        host.on("exit 3", 3, "");
        TaskOutcome o = ModuleHarness.task("raw", args()).freeForm("exit 3").on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("non-zero return code");
        assertThat(o.rc()).isEqualTo(3);
        TaskOutcome c = ModuleHarness.task("raw", args()).freeForm("rm -rf /x").check().on(host);
        assertThat(c.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).containsExactly("exit 3");
    }

    @Test
    void anUnknownArgumentIsNamed() throws Exception {
        assertThat(ModuleHarness.rejection(host, "raw", args("free_form", "ls", "chdir", "/tmp")))
                .contains("chdir");
    }
}
