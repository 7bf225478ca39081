package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * systemd on an overlay lab host of this machine, which is not booted with systemd (as Ansible's lab is not):
 * systemctl edits unit-file links offline, so enabled and masked work, in the overlay only; a state fails as it
 * does under Ansible.
 */
class SystemdModuleTest {
    private static final String UNIT = "fleet-systemd-test";
    private static final String UNIT_FILE = """
            [Unit]
            Description=fleet systemd module test
            [Service]
            ExecStart=/bin/sleep 600
            [Install]
            WantedBy=multi-user.target
            """;
    private static final String WANTS = "/etc/systemd/system/multi-user.target.wants/" + UNIT + ".service";

    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @BeforeEach
    void connect() throws Exception {
        assumeTrue(!Files.readString(Path.of("/proc/1/comm")).contains("systemd"), "this machine runs systemd");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemctl")), "no systemctl");
        host.reset();
        host.session().upload(UNIT_FILE.getBytes(StandardCharsets.UTF_8), "/usr/lib/systemd/system/" + UNIT
                + ".service", 0644);
    }

    private TaskOutcome run(Map<String, Object> args) throws Exception {
        return host.run(new SystemdModule("systemd"), args, false);
    }

    private boolean linked() throws Exception {
        return host.sh("test -L " + WANTS + " && echo yes || echo no").strip().equals("yes");
    }

    @Test
    void enablingAndDisablingEditLinksInTheOverlayIdempotently() throws Exception {
        TaskOutcome check = host.run(new SystemdModule("systemd"), Map.of("name", UNIT, "enabled", true), true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(linked()).isFalse();
        TaskOutcome enable = run(Map.of("name", UNIT, "enabled", true));
        assertThat(enable.status()).as(enable.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(enable.data()).containsEntry("enabled", true).containsEntry("status", Map.of());
        assertThat(linked()).isTrue();
        assertThat(Path.of(WANTS)).doesNotExist();
        assertThat(Files.isSymbolicLink(host.lab().upperDir("host1").resolve(WANTS.substring(1)))).isTrue();
        assertThat(run(Map.of("name", UNIT, "enabled", true)).status()).isEqualTo(TaskStatus.OK);
        assertThat(run(Map.of("name", UNIT, "enabled", false)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(linked()).isFalse();
        assertThat(run(Map.of("name", UNIT, "enabled", false)).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void maskingIsIdempotent() throws Exception {
        assertThat(run(Map.of("name", UNIT, "masked", true)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("readlink /etc/systemd/system/" + UNIT + ".service").strip()).isEqualTo("/dev/null");
        assertThat(run(Map.of("name", UNIT, "masked", true)).status()).isEqualTo(TaskStatus.OK);
        assertThat(run(Map.of("name", UNIT, "masked", false)).status()).isEqualTo(TaskStatus.CHANGED);
    }

    @Test
    void aStateCannotBeReachedWithoutSystemdAndAnUnknownUnitFails() throws Exception {
        TaskOutcome start = run(Map.of("name", UNIT, "state", "started"));
        assertThat(start.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(start.msg()).isEqualTo("Service is in unknown state");
        TaskOutcome unknown = run(Map.of("name", "fleet-no-such-unit", "state", "started"));
        assertThat(unknown.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(unknown.msg()).contains("System has not been booted with systemd");
        assertThat(unknown.data()).containsEntry("cmd", "/usr/bin/systemctl");
    }

    @Test
    void aBadArgumentIsRefused() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> run(Map.of("name", UNIT, "scope", "machine"))))
                .isInstanceOf(ModuleException.class).hasMessageContaining("argument 'scope' must be one of");
    }
}
