package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code ansible.posix.sysctl} without a host: the file rewrite, {@code sysctl -w}/{@code -p}, results. */
class SysctlHostFreeTest {
    private static final String CONF = "/etc/sysctl.conf";
    private final FakeHostSession host = new FakeHostSession("web1");

    private void running(String key, int rc, String value) {
        host.when(c -> FakeFiles.script(c).contains("sysctl -e -n " + key), c -> FakeHostSession.result(rc, value,
                ""));
    }

    private String written() {
        return host.uploads().get(0).text();
    }

    @Test
    void aNewKeyIsAppendedEveryLineStrippedAndTheFileReloaded() throws Exception {
        running("vm.swappiness", 0, "60\n");
        FakeFiles.file(CONF, "# tuning\n  kernel.panic = 3\n\nkernel.panic=9\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "ansible.posix.sysctl", args("name", "vm.swappiness", "value", 10));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(written()).isEqualTo("# tuning\nkernel.panic=3\n\nvm.swappiness=10\n");
        assertThat(FakeFiles.scripts(host)).contains("LANG=C LC_ALL=C LC_MESSAGES=C sysctl -p /etc/sysctl.conf");
        assertThat(host.commandsContaining("sysctl -w")).isEmpty();
    }

    @Test
    void theSameValueInFileAndKernelIsNoChange() throws Exception {
        running("net.ipv4.ip_forward", 0, "1\n");
        FakeFiles.file(CONF, "net.ipv4.ip_forward = 1\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "sysctl", args("key", "net.ipv4.ip_forward", "val", "yes",
                "sysctl_set", true));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).isEmpty();
        assertThat(host.commandsContaining("sysctl -p")).isEmpty();
    }

    @Test
    void aKernelValueThatDiffersIsSetWithSysctlWAndReloaded() throws Exception {
        running("net.core.rmem_max", 0, "4096   87380\n");
        FakeFiles.file(CONF, "net.core.rmem_max=4096 87381\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "sysctl", args("name", "net.core.rmem_max",
                "value", "4096 87381", "sysctl_set", true, "ignoreerrors", true, "sysctl_file", CONF));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.scripts(host)).contains(
                "LANG=C LC_ALL=C LC_MESSAGES=C sysctl -e -w 'net.core.rmem_max=4096 87381'",
                "LANG=C LC_ALL=C LC_MESSAGES=C sysctl -e -p /etc/sysctl.conf");
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void valuesEqualWordByWordAreTheSame() {
        assertThat(SysctlModule.sameWords("4096\t87380\n", "4096 87380")).isTrue();
        assertThat(SysctlModule.sameWords("1", "1 0")).isFalse();
        assertThat(SysctlModule.sameWords(null, "1")).isFalse();
        assertThat(SysctlModule.parseValue("False")).isEqualTo("0");
        assertThat(SysctlModule.parseValue(" 5 ")).isEqualTo("5");
    }

    @Test
    void absentDropsEveryLineOfTheKey() throws Exception {
        running("kernel.panic", 0, "0\n");
        FakeFiles.file(CONF, "kernel.panic=3\nvm.swappiness=10\nkernel.panic=4\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "sysctl", args("name", "kernel.panic", "state", "absent",
                "reload", false));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(written()).isEqualTo("vm.swappiness=10\n");
        assertThat(host.commandsContaining("sysctl -p")).isEmpty();
    }

    @Test
    void checkModeReadsOnly() throws Exception {
        running("vm.swappiness", 0, "60\n");
        FakeFiles.missing(host, CONF);
        TaskOutcome o = ModuleHarness.check(host, "sysctl", args("name", "vm.swappiness", "value", "10",
                "sysctl_set", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
        assertThat(host.commandsContaining("sysctl -w")).isEmpty();
        assertThat(host.commandsContaining("sysctl -p")).isEmpty();
    }

    @Test
    void aReadOnlyKernelFailsAsTheCollectionSays() throws Exception {
        running("vm.swappiness", 0, "60\n");
        FakeFiles.file(CONF, "vm.swappiness=10\n").on(host);
        host.when(c -> c.contains("sysctl -w"), c -> FakeHostSession.result(0, "",
                "sysctl: setting key \"vm.swappiness\": Read-only file system\n"));
        host.when(c -> c.contains("sysctl -p"), c -> FakeHostSession.result(255, "",
                "sysctl: setting key \"vm.swappiness\": Read-only file system\n"));
        TaskOutcome set = ModuleHarness.run(host, "sysctl", args("name", "vm.swappiness", "value", "10",
                "sysctl_set", true));
        assertThat(set.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(set.msg()).isEqualTo("setting vm.swappiness failed: sysctl: setting key \"vm.swappiness\": "
                + "Read-only file system\n");
        TaskOutcome reload = ModuleHarness.run(host, "sysctl", args("name", "vm.swappiness", "value", "10"));
        assertThat(reload.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(reload.msg()).startsWith("Failed to reload sysctl: sysctl: setting key");
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "sysctl", args("name", "vm.swappiness")))
                .contains("value");
        assertThat(ModuleHarness.rejection(host, "sysctl", args("name", "a", "value", "1", "state", "on")))
                .contains("state");
        assertThat(ModuleHarness.run(host, "sysctl", args("name", " ", "value", "1")).msg())
                .isEqualTo("name cannot be blank");
        assertThat(ModuleHarness.run(host, "sysctl", args("name", "a", "value", " ")).msg())
                .isEqualTo("value cannot be blank");
    }
}
