package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code fail}: always fails the host, with a message; runs nothing there. */
class FailHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void withoutMsgFailsWithAnsiblesDefaultMessage() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "fail", Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Failed as requested from task");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void msgIsTheFailureMessage() throws Exception {
        assertThat(ModuleHarness.run(host, "fail", args("msg", "disk almost full")).msg())
                .isEqualTo("disk almost full");
    }

    @Test
    void aNonStringMsgIsShownAsText() throws Exception {
        assertThat(ModuleHarness.run(host, "fail", args("msg", List.of("a", "b"))).msg()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void failFailsInCheckModeToo() throws Exception {
        assertThat(ModuleHarness.check(host, "fail", Map.of()).status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void failTakesOnlyMsg() throws Exception {
        assertThat(ModuleHarness.rejection(host, "fail", args("message", "x")))
                .contains("unsupported argument 'message'");
    }
}
