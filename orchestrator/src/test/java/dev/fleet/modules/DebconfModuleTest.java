package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code debconf} on an overlay host: tzdata's answers are read and set with debconf's own tools. */
class DebconfModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final Module module = ModuleRegistry.builtin().get("debconf");

    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
    }

    @Test
    void readsSetsAndLeavesAnAnswerAlone() throws Exception {
        TaskOutcome o = host.run(module, args("name", "tzdata"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        @SuppressWarnings("unchecked")
        Map<String, Object> current = (Map<String, Object>) o.data().get("current");
        String before = host.sh("debconf-show tzdata | sed -n 's/^[* ] tzdata\\/Areas: //p'").strip();
        assertThat(current).containsEntry("tzdata/Areas", before);
        String other = before.equals("Europe") ? "Asia" : "Europe";
        o = host.run(module, args("name", "tzdata", "question", "tzdata/Areas", "vtype", "select", "value", other));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("current", Map.of("tzdata/Areas", other))
                .containsEntry("previous", Map.of("tzdata/Areas", before));
        assertThat(host.sh("debconf-show tzdata")).contains("tzdata/Areas: " + other);
        o = host.run(module, args("name", "tzdata", "question", "tzdata/Areas", "vtype", "select", "value", other));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void checkModeSetsNothing() throws Exception {
        // debconf-show lists in no fixed order.
        String before = host.sh("debconf-show tzdata | sort");
        TaskOutcome o = host.run(module, args("name", "tzdata", "question", "tzdata/Areas", "vtype", "select",
                "value", "Antarctica"), true, false);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("debconf-show tzdata | sort")).isEqualTo(before);
    }

    @Test
    void aQuestionWithoutVtypeAndValueIsRefused() {
        assertThat(catchThrowable(() -> host.run(module, args("name", "tzdata", "question", "tzdata/Areas"))))
                .hasMessageContaining("required together");
    }
}
