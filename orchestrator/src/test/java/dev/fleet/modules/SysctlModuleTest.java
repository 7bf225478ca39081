package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code sysctl} on an overlay host, whose /proc/sys is read-only (checked first): the file edits with reload
 * and sysctl_set off, and the failures when the kernel value would have to be set.
 */
class SysctlModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final SysctlModule sysctl = new SysctlModule();

    @BeforeAll
    static void connect() throws Exception {
        assertThat(host.exec("touch /proc/sys/vm/swappiness 2>&1; test -w /proc/sys/vm/swappiness || echo ro")
                .stdout()).as("/proc/sys must be read-only on the overlay host").contains("Read-only file system");
    }

    @Test
    void editsTheFileOnceAndCheckModeChangesNothing() throws Exception {
        String conf = "/etc/sysctl.d/90-fleet-test.conf";
        host.exec("printf 'kernel.panic = 3\\n# x\\n' > " + conf);
        var add = args("name", "vm.swappiness", "value", "15", "sysctl_file", conf, "reload", false);
        assertThat(host.run(sysctl, add, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("cat " + conf).stdout()).isEqualTo("kernel.panic = 3\n# x\n");
        assertThat(host.run(sysctl, add).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("cat " + conf).stdout()).isEqualTo("kernel.panic=3\n# x\nvm.swappiness=15\n");
        assertThat(host.run(sysctl, add).status()).isEqualTo(TaskStatus.OK);
        var remove = args("name", "kernel.panic", "state", "absent", "sysctl_file", conf, "reload", false);
        assertThat(host.run(sysctl, remove).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(sysctl, remove).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.exec("cat " + conf).stdout()).isEqualTo("# x\nvm.swappiness=15\n");
    }

    @Test
    void settingTheReadOnlyKernelFails() throws Exception {
        String current = host.exec("sysctl -n vm.swappiness").stdout().strip();
        String other = String.valueOf(Integer.parseInt(current) + 1);
        TaskOutcome set = host.run(sysctl, args("name", "vm.swappiness", "value", other, "sysctl_set", true,
                "reload", false, "sysctl_file", "/etc/sysctl.d/91-fleet-set.conf"));
        assertThat(set.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(set.msg()).startsWith("setting vm.swappiness failed: ").contains("vm.swappiness\"");
        TaskOutcome reload = host.run(sysctl, args("name", "vm.swappiness", "value", current,
                "sysctl_file", "/etc/sysctl.d/92-fleet-reload.conf"));
        assertThat(reload.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(reload.msg()).startsWith("Failed to reload sysctl: ");
        assertThat(host.exec("sysctl -n vm.swappiness").stdout().strip()).isEqualTo(current);
    }

    @Test
    void aMissingValueIsRefused() {
        assertThat(catchThrowable(() -> host.run(sysctl, args("name", "vm.swappiness"))))
                .hasMessageContaining("value");
    }
}
