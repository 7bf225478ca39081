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

/** {@code set_fact}: its arguments become host variables under {@code ansible_facts}; the host is not used. */
class SetFactHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @AfterEach
    void noCommandReachedTheHost() {
        assertThat(host.commands()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> facts(TaskOutcome o) {
        return (Map<String, Object>) o.data().get("ansible_facts");
    }

    @Test
    void eachArgumentBecomesAFactAndTheTaskIsOk() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "set_fact", args("php_version", "8.2", "workers", 4));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(facts(o)).containsExactlyEntriesOf(args("php_version", "8.2", "workers", 4));
    }

    @Test
    void listsAndMapsKeepTheirStructure() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "set_fact", args("pools", List.of(Map.of("name", "www"))));
        assertThat(facts(o)).containsEntry("pools", List.of(Map.of("name", "www")));
    }

    @Test
    void keyValueFreeFormSetsFacts() throws Exception {
        TaskOutcome o = ModuleHarness.task("set_fact", Map.of()).freeForm("a=1 b='two words'").on(host);
        assertThat(facts(o)).containsEntry("a", "1").containsEntry("b", "two words");
    }

    @Test
    void cacheableIsNotAFact() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "set_fact", args("x", 1, "cacheable", true));
        assertThat(facts(o)).containsOnlyKeys("x");
    }

    @Test
    void anInvalidVariableNameIsRefusedWithAnsiblesMessage() throws Exception {
        assertThat(ModuleHarness.rejection(host, "set_fact", args("1st", "x")))
                .isEqualTo("The variable name '1st' is not valid. Variables must start with a letter or underscore"
                        + " character, and contain only letters, numbers and underscores.");
    }

    @Test
    void noArgumentsFailsWithAnsiblesMessage() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "set_fact", Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg())
                .isEqualTo("No key/value pairs provided, at least one is required for this action to succeed");
    }

    @Test
    void onlyCacheableIsNoFactAtAll() throws Exception {
        assertThat(ModuleHarness.run(host, "set_fact", args("cacheable", true)).status())
                .isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void yesNoTrueFalseStringsBecomeBooleans() throws Exception {
        TaskOutcome o = ModuleHarness.task("set_fact", Map.of()).freeForm("enabled=yes debug=False").on(host);
        assertThat(facts(o)).containsEntry("enabled", true).containsEntry("debug", false);
    }
}
