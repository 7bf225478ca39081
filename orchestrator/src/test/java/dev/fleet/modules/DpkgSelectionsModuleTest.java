package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dpkg_selections} on an overlay host: dpkg's own state changes there, never on this machine. */
class DpkgSelectionsModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final Module module = ModuleRegistry.builtin().get("dpkg_selections");

    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
    }

    @Test
    void holdsAndReleasesAPackageIdempotently() throws Exception {
        TaskOutcome o = host.run(module, args("name", "tzdata", "selection", "hold"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", "install").containsEntry("after", "hold");
        assertThat(host.sh("dpkg --get-selections tzdata").split("\\s+")).containsExactly("tzdata", "hold");
        assertThat(host.run(module, args("name", "tzdata", "selection", "hold")).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(module, args("name", "tzdata", "selection", "install")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("dpkg --get-selections tzdata").split("\\s+")).containsExactly("tzdata", "install");
    }

    @Test
    void checkModeChangesNothing() throws Exception {
        TaskOutcome o = host.run(module, args("name", "tzdata", "selection", "deinstall"), true, false);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("dpkg --get-selections tzdata").split("\\s+")).containsExactly("tzdata", "install");
        o = host.run(module, args("name", "fleet-no-such-package", "selection", "hold"), true, false);
        assertThat(o.data()).containsEntry("before", "not present");
    }

    @Test
    void aBadSelectionIsRefused() {
        assertThat(catchThrowable(() -> host.run(module, args("name", "tzdata", "selection", "keep"))))
                .hasMessageContaining("selection");
    }
}
