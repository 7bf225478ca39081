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

/** {@code set_stats}: returns {@code ansible_stats} for the engine to gather; never touches the host. */
class SetStatsHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @AfterEach
    void noCommandReachedTheHost() {
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void theDataAndOptionsComeBackAsAnsibleStatsWithAnsiblesDefaults() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "set_stats", args("data", args("deployed", 1, "apps", List.of("a"))));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("ansible_stats", args("data", args("deployed", 1, "apps", List.of("a")),
                "per_host", false, "aggregate", true));
    }

    @Test
    void perHostAndAggregateAreBooleansAsWritten() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "set_stats", args("data", args("x", "y"), "per_host", "yes",
                "aggregate", "no"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        @SuppressWarnings("unchecked")
        Map<String, Object> stats = (Map<String, Object>) o.data().get("ansible_stats");
        assertThat(stats).containsEntry("per_host", true).containsEntry("aggregate", false);
    }

    @Test
    void dataMustBeAMappingOfVariableNames() throws Exception {
        TaskOutcome notAMap = ModuleHarness.run(host, "set_stats", args("data", List.of(1)));
        assertThat(notAMap.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(notAMap.msg()).isEqualTo("The 'data' option needs to be a dictionary/hash");
        TaskOutcome badName = ModuleHarness.run(host, "set_stats", args("data", args("1st", 1)));
        assertThat(badName.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(badName.msg()).startsWith("The variable name '1st' is not valid.");
        assertThat(ModuleHarness.rejection(host, "set_stats", args("data", Map.of(), "per_host", "maybe")))
                .contains("per_host");
        assertThat(ModuleHarness.rejection(host, "set_stats", args("datum", Map.of()))).contains("datum");
    }
}
