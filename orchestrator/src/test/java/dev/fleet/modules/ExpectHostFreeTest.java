package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code expect}: the script handed to the host's expect tool, the guards, and how its outcome is read. */
class ExpectHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private String script() {
        return host.execs().stream().filter(e -> e.command().contains("expect -")).findFirst().orElseThrow()
                .stdinText();
    }

    @Test
    void answersTravelInTheScriptOnStandardInputNeverOnTheCommandLine() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "expect", args("command", "passwd bob",
                "responses", Map.of("(?i)password:", "s3cr$t [x]")));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).hasSize(1).noneMatch(c -> c.contains("s3cr"));
        assertThat(script()).contains("spawn -noecho passwd bob\n")
                .contains("set answers0 [list s3cr\\$t\\ \\[x\\]\\n]")
                .contains("-re \\(\\?i\\)password\\: {").contains("set stty_init -echo").contains("set timeout 30");
        assertThat(o.msg()).doesNotContain("s3cr");
    }

    @Test
    void aListIsAnsweredInTurnAndRunsOutEchoAndTimeoutAreSet() throws Exception {
        ModuleHarness.run(host, "expect", args("command", "/bin/ask 'a b'", "echo", true, "timeout", 5,
                "responses", Map.of("Q", List.of("one", "two\n"))));
        assertThat(script()).contains("spawn -noecho \\/bin\\/ask a\\ b\n").contains("[list one\\n two\\n]")
                .contains("incr next0").doesNotContain("stty_init").contains("set timeout 5");
    }

    @Test
    void runningOutOfAnswersTimeoutsAndFailuresAreReportedAsAnsible() throws Exception {
        host.on("expect -", 254, "Q?\r\n", "fleet-expect: no response 0 Q?\r\n");
        TaskOutcome o = ModuleHarness.run(host, "expect", args("command", "ask", "responses",
                Map.of("Q", List.of("x"))));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("No remaining responses for 'Q', output was 'Q?'");
        host.on("expect -", 254, "Q?\r\n", "fleet-expect: timeout\n");
        o = ModuleHarness.run(host, "expect", args("command", "ask", "responses", Map.of("Q", "x")));
        assertThat(o.msg()).isEqualTo("command exceeded timeout");
        assertThat(o.rc()).isNull();
        assertThat(o.stdout()).isEqualTo("Q?");
        host.on("expect -", 3, "done\r\n", "");
        o = ModuleHarness.run(host, "expect", args("command", "ask", "responses", Map.of("Q", "x")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(3);
        assertThat(o.msg()).isEqualTo("non-zero return code");
        host.on("expect -", 254, "", "fleet-expect: no expect\n");
        o = ModuleHarness.run(host, "expect", args("command", "ask", "responses", Map.of("Q", "x")));
        assertThat(o.msg()).contains("needs the 'expect' tool on the host");
    }

    @Test
    void createsRemovesChdirAndCheckMode() throws Exception {
        host.on("test -e made", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "expect", args("command", "ask", "chdir", "/srv/x y",
                "creates", "made", "responses", Map.of("Q", "x")));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.stdout()).isEqualTo("skipped, since made exists");
        assertThat(host.commands()).containsExactly("cd '/srv/x y' && test -e made");
        o = ModuleHarness.task("expect", args("command", "ask", "responses", Map.of("Q", "x"))).check().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "expect", args("command", "ask")))
                .contains("responses");
        assertThat(ModuleHarness.rejection(host, "expect", args("command", "ask", "responses", "x")))
                .contains("responses");
        assertThat(ModuleHarness.rejection(host, "expect", args("command", "ask", "responses", Map.of(),
                "timeout", "soon"))).contains("timeout");
        assertThat(ModuleHarness.run(host, "expect", args("command", " ", "responses", Map.of())).msg())
                .isEqualTo("no command given");
    }
}
