package dev.fleet.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.SshdFixture.LabHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Overlay lab hosts keep system changes off this machine: files under /etc, users and the hostname land in the
 * host's own overlay (its upper directory), the kernel's settings cannot be written, and a reset throws all of it
 * away. Runs OpenSSH's own client against the hosts, as a user would.
 */
class OverlayRootTest {
    @RegisterExtension
    static final SshdLab lab = SshdLab.overlay(2);

    @Test
    void writesLandInTheOverlayAndAResetDropsThem() throws Exception {
        String marker = "/etc/fleet-overlay-test-" + ProcessHandle.current().pid();
        String out = ssh("host1", "echo written > " + marker + " && useradd fleetovl && hostname && cat " + marker
                + " && id -u fleetovl >/dev/null && echo user-ok");
        assertThat(out).contains("host1", "written", "user-ok");
        assertThat(Path.of(marker)).doesNotExist();
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("fleetovl");
        assertThat(lab.upperDir("host1").resolve(marker.substring(1))).exists();
        assertThat(ssh("host2", "test -e " + marker + " && echo leaked || echo clean")).contains("clean");

        lab.reset("host1");
        assertThat(ssh("host1", "test -e " + marker + " && echo kept || echo gone; id fleetovl || true"))
                .contains("gone").contains("no such user");
    }

    @Test
    void kernelSettingsAndTheMachinesHostnameAreOutOfReach() throws Exception {
        String before = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        String out = ssh("host2", "hostname fleet-renamed && hostname; echo 1 > /proc/sys/net/ipv4/ip_forward"
                + " 2>&1 || echo refused; echo x > /sys/kernel/fleet 2>&1 || echo sys-refused");
        assertThat(out).contains("fleet-renamed", "refused", "sys-refused");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim()).isEqualTo(before);
        lab.reset("host2");
        assertThat(ssh("host2", "hostname")).contains("host2");
    }

    @Test
    void theMachinesTmpIsShared() throws Exception {
        Path f = Files.createTempFile("fleet-overlay-", ".txt");
        try {
            ssh("host1", "echo from-host > " + f);
            assertThat(Files.readString(f)).isEqualTo("from-host\n");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static String ssh(String host, String command) throws Exception {
        LabHost h = lab.host(host);
        List<String> cmd = new ArrayList<>(List.of("ssh", "-o", "BatchMode=yes", "-o",
                "UserKnownHostsFile=" + lab.knownHosts(), "-o", "StrictHostKeyChecking=yes", "-i",
                lab.privateKey().toString(), "-p", String.valueOf(h.port()), lab.user() + "@" + h.address(), command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ssh finished").isTrue();
        return out;
    }
}
