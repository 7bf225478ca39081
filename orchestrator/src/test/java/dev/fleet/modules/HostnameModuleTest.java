package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hostname on an overlay host (its own UTS namespace, no systemd): the Debian file strategy writes /etc/hostname
 * and keeps the kernel's name, as Ansible does there; use: alpine sets the kernel's name too.
 */
class HostnameModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final HostnameModule hostname = new HostnameModule();

    @Test
    @SuppressWarnings("unchecked")
    void writesEtcHostnameOnceAndCheckModeChangesNothing() throws Exception {
        String before = host.sh("cat /etc/hostname").stripTrailing();
        Map<String, Object> args = Map.of("name", "web7.example.com");
        assertThat(host.check(hostname, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/hostname").stripTrailing()).isEqualTo(before);

        TaskOutcome o = host.run(hostname, args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/hostname").stripTrailing()).isEqualTo("web7.example.com");
        assertThat(host.sh("hostname").stripTrailing()).isEqualTo("host1");
        Map<String, Object> facts = (Map<String, Object>) o.data().get("ansible_facts");
        assertThat(facts).containsEntry("ansible_hostname", "web7").containsEntry("ansible_nodename",
                "web7.example.com");
        assertThat((Map<String, Object>) o.data().get("diff")).containsEntry("before", "hostname = " + before + "\n");
        assertThat(host.run(hostname, args).status()).isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(Path.of("/etc/hostname")).strip()).isEqualTo(before);

        TaskOutcome alpine = host.run(hostname, Map.of("name", "web8", "use", "alpine"));
        assertThat(alpine.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("hostname; cat /etc/hostname").stripTrailing()).isEqualTo("web7.example.com\nweb8");
    }

    @Test
    void systemdWithoutSystemdFailsAndABadStrategyIsRefused() throws Exception {
        TaskOutcome o = host.run(hostname, Map.of("name", "x1", "use", "systemd"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Command failed rc=1");
        assertThatThrownBy(() -> host.run(hostname, Map.of("name", "x1", "use", "windows")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("use");
        assertThatThrownBy(() -> host.run(hostname, Map.of("use", "alpine")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("name");
    }
}
