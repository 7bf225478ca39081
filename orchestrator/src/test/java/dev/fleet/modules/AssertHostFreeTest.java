package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code assert}: conditions evaluated on the controller as Ansible's {@code when}; the host is never used. */
class AssertHostFreeTest {
    private static final Map<String, Object> VARS = Map.of("status", 200, "healthy", true, "down", false,
            "result", Map.of("rc", 0, "stdout", "active"));

    private final FakeHostSession host = new FakeHostSession("web1");

    private TaskOutcome assertion(Map<String, Object> args) throws Exception {
        return ModuleHarness.task("assert", args).vars(VARS).on(host);
    }

    @AfterEach
    void noCommandReachedTheHost() {
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void allTrueConditionsPassWithAnsiblesMessage() throws Exception {
        TaskOutcome o = assertion(args("that", List.of("status == 200", "healthy", "result.rc == 0")));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("All assertions passed");
        assertThat(o.data()).containsEntry("msg", "All assertions passed");
    }

    @Test
    void aSingleStringConditionIsOneAssertion() throws Exception {
        assertThat(assertion(args("that", "result.stdout == 'active'")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void theFirstFalseConditionFailsAndIsNamed() throws Exception {
        TaskOutcome o = assertion(args("that", List.of("healthy", "down", "status == 500")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.data()).containsEntry("assertion", "down").containsEntry("evaluated_to", false);
    }

    @Test
    void theDefaultFailureMessageIsAnsibles() throws Exception {
        assertThat(assertion(args("that", "down")).msg()).isEqualTo("Assertion failed");
    }

    @Test
    void failMsgReplacesTheFailureMessage() throws Exception {
        assertThat(assertion(args("that", "down", "fail_msg", "nginx is down")).msg()).isEqualTo("nginx is down");
    }

    @Test
    void msgIsAnAliasOfFailMsg() throws Exception {
        assertThat(assertion(args("that", "down", "msg", "via msg")).msg()).isEqualTo("via msg");
    }

    @Test
    void failMsgWinsOverMsg() throws Exception {
        assertThat(assertion(args("that", "down", "fail_msg", "first", "msg", "second")).msg()).isEqualTo("first");
    }

    @Test
    void successMsgReplacesThePassMessage() throws Exception {
        assertThat(assertion(args("that", "healthy", "success_msg", "all good")).msg()).isEqualTo("all good");
    }

    @Test
    void quietPassesWithoutPrintingButKeepsMsgInData() throws Exception {
        TaskOutcome o = assertion(args("that", "healthy", "quiet", true));
        assertThat(o.msg()).isEmpty();
        assertThat(o.data()).containsEntry("msg", "All assertions passed");
    }

    @Test
    void aConditionInBracesIsEvaluatedAsTheBareExpression() throws Exception {
        assertThat(assertion(args("that", "{{ status == 200 }}")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void anUndefinedVariableFailsNamingTheCondition() throws Exception {
        TaskOutcome o = assertion(args("that", "missing_var == 1"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("The conditional check 'missing_var == 1' failed.");
        assertThat(o.data()).containsEntry("assertion", "missing_var == 1");
    }

    @Test
    void isDefinedTestsWork() throws Exception {
        assertThat(assertion(args("that", List.of("status is defined", "missing_var is not defined"))).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void withoutThatTheTaskIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "assert", args("msg", "x")))
                .contains("missing required arguments: that");
    }
}
