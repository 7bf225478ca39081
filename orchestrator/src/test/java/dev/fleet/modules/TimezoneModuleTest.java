package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.SshdLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code timezone} on an overlay host (no systemd there): /etc/timezone and /etc/localtime change once. */
class TimezoneModuleTest {
    @RegisterExtension
    static final SshdLab lab = SshdLab.overlay(1);

    static SettingsLabHost host;

    @BeforeAll
    static void connect() throws Exception {
        host = new SettingsLabHost(lab, "host1");
    }

    @AfterAll
    static void disconnect() {
        if (host != null) host.close();
    }

    @Test
    void setsTheZoneOnceAndCheckModeChangesNothing() throws Exception {
        TimezoneModule m = new TimezoneModule();
        String before = host.sh("readlink /etc/localtime");
        assertThat(host.run(m, true, "name", "Asia/Tokyo").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("readlink /etc/localtime")).isEqualTo(before);

        TaskOutcome first = host.run(m, false, "name", "Asia/Tokyo");
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/timezone; readlink /etc/localtime"))
                .isEqualTo("Asia/Tokyo\n/usr/share/zoneinfo/Asia/Tokyo\n");
        assertThat(host.run(m, false, "name", "Asia/Tokyo").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void anUnknownZoneAndABadArgumentAreErrors() throws Exception {
        TimezoneModule m = new TimezoneModule();
        assertThat(host.run(m, false, "name", "Nowhere/Land").msg()).contains("is not available");
        assertThat(catchThrowable(() -> host.run(m, false, "hwclock", "sometimes"))).hasMessageContaining("hwclock");
    }
}
