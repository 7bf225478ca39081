package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code hostname}: the strategy Ansible picks, what each reads and writes, facts and diff. */
class HostnameHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private void detect(String answer) {
        host.when(c -> FakeFiles.script(c).contains("/run/systemd/system/"), c -> FakeHostSession.result(0,
                answer + "\n", ""));
    }

    private List<String> writes() {
        return FakeFiles.scripts(host).stream().filter(s -> s.contains("> /etc/") || s.contains("set-hostname")
                || s.startsWith("hostname -F")).toList();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDebianFamilyWritesEtcHostnameAndLeavesTheKernelAlone() throws Exception {
        detect("ubuntu");
        host.when(c -> FakeFiles.script(c).contains("cat \"$f\""), c -> FakeHostSession.result(0, "old\n", ""));
        host.when(c -> FakeFiles.script(c).startsWith("n=$(hostname)"), c -> FakeHostSession.result(0,
                "web1.lan\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "hostname", args("name", "db1.example.com"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(writes()).containsExactly("printf '%s\\n' db1.example.com > /etc/hostname");
        assertThat((Map<String, Object>) o.data().get("ansible_facts")).containsEntry("ansible_hostname", "db1")
                .containsEntry("ansible_nodename", "db1.example.com").containsEntry("ansible_fqdn", "web1.lan")
                .containsEntry("ansible_domain", "lan");
        assertThat(o.data()).containsEntry("name", "db1.example.com").containsEntry("diff",
                Map.of("before", "hostname = old\n", "after", "hostname = db1.example.com\n"));
    }

    @Test
    void theSameNameChangesNothingAndCheckModeWritesNothing() throws Exception {
        detect("debian");
        host.when(c -> FakeFiles.script(c).contains("cat \"$f\""), c -> FakeHostSession.result(0, "db1\n", ""));
        TaskOutcome same = ModuleHarness.run(host, "hostname", args("name", "db1"));
        assertThat(same.status()).isEqualTo(TaskStatus.OK);
        assertThat(same.data()).doesNotContainKey("diff");
        assertThat(ModuleHarness.check(host, "hostname", args("name", "db2")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(writes()).isEmpty();
    }

    @Test
    void aHostBootedWithSystemdUsesHostnamectlPermanentNameFirst() throws Exception {
        detect("systemd");
        host.on("hostnamectl --transient status", 0, "old\n");
        host.on("hostnamectl --static status", 0, "old\n");
        assertThat(ModuleHarness.run(host, "hostname", args("name", "db1")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(writes()).containsExactly("hostnamectl --pretty --static set-hostname db1",
                "hostnamectl --transient set-hostname db1");
        String longName = "a".repeat(65);
        assertThat(ModuleHarness.run(host, "hostname", args("name", longName)).msg())
                .startsWith("name cannot be longer than 64 characters");
    }

    @Test
    void alpineLoadsTheKernelNameFromTheFileBeforeRewritingIt() throws Exception {
        host.when(c -> FakeFiles.script(c).contains("cat \"$f\""), c -> FakeHostSession.result(0, "old\n", ""));
        ModuleHarness.run(host, "hostname", args("name", "db1", "use", "alpine"));
        assertThat(writes()).containsExactly("hostname -F /etc/hostname",
                "printf '%s\\n' db1 > /etc/hostname");
    }

    @Test
    void anUnknownPlatformAndABadStrategyAreClearErrors() throws Exception {
        detect("arch");
        assertThat(ModuleHarness.run(host, "hostname", args("name", "db1")).msg())
                .startsWith("hostname module cannot be used on platform Linux (arch)");
        assertThat(ModuleHarness.run(host, "hostname", args("name", "db1", "use", "openbsd")).msg())
                .contains("not supported by fleet");
        assertThat(ModuleHarness.rejection(host, "hostname", args("name", "db1", "use", "beos"))).contains("use");
        assertThat(writes()).isEmpty();
    }
}
