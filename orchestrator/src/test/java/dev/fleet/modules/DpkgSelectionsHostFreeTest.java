package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code dpkg_selections}: dpkg --get-selections read, dpkg --set-selections fed on stdin when it differs. */
class DpkgSelectionsHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void aDifferentSelectionIsSetOnStandardInput() throws Exception {
        host.on("dpkg --get-selections", 0, "hello\t\t\t\t\tinstall\n");
        TaskOutcome o = ModuleHarness.run(host, "dpkg_selections", args("name", "hello", "selection", "hold"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", "install").containsEntry("after", "hold");
        assertThat(host.commands()).containsExactly("dpkg --get-selections hello", "dpkg --set-selections");
        assertThat(host.execs().get(1).stdinText()).isEqualTo("hello hold");
    }

    @Test
    void theSameSelectionChangesNothing() throws Exception {
        host.on("dpkg --get-selections", 0, "hello\t\t\t\t\thold\n");
        TaskOutcome o = ModuleHarness.run(host, "dpkg_selections", args("name", "hello", "selection", "hold"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void checkModeAndUnknownPackages() throws Exception {
        host.on("dpkg --get-selections", 0, "", "dpkg: no packages found matching nosuch\n");
        TaskOutcome o = ModuleHarness.check(host, "dpkg_selections", args("name", "no such;pkg", "selection",
                "purge"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("before", "not present").containsEntry("after", "purge");
        assertThat(host.commands()).containsExactly("dpkg --get-selections 'no such;pkg'");
    }

    @Test
    void failuresAndBadArguments() throws Exception {
        host.on("dpkg --get-selections", 2, "", "dpkg: error: cannot access archive\n");
        assertThat(ModuleHarness.run(host, "dpkg_selections", args("name", "a", "selection", "hold")).msg())
                .contains("cannot access archive");
        assertThat(ModuleHarness.rejection(host, "dpkg_selections", args("name", "a", "selection", "keep")))
                .contains("selection").contains("hold");
        assertThat(ModuleHarness.rejection(host, "dpkg_selections", args("selection", "hold"))).contains("name");
    }
}
