package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code timezone} on an overlay host (no systemd there): /etc/timezone and /etc/localtime change once. */
class TimezoneModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @Test
    void setsTheZoneOnceAndCheckModeChangesNothing() throws Exception {
        TimezoneModule m = new TimezoneModule();
        String before = host.sh("readlink /etc/localtime");
        assertThat(host.run(m, Map.of("name", "Asia/Tokyo"), true, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("readlink /etc/localtime")).isEqualTo(before);

        TaskOutcome first = host.run(m, Map.of("name", "Asia/Tokyo"), false, true);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/timezone; readlink /etc/localtime"))
                .isEqualTo("Asia/Tokyo\n/usr/share/zoneinfo/Asia/Tokyo\n");
        assertThat(host.run(m, Map.of("name", "Asia/Tokyo"), false, true).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void anUnknownZoneAndABadArgumentAreErrors() throws Exception {
        TimezoneModule m = new TimezoneModule();
        assertThat(host.run(m, Map.of("name", "Nowhere/Land"), false, true).msg()).contains("is not available");
        assertThat(catchThrowable(() -> host.run(m, Map.of("hwclock", "sometimes"), false, true)))
                .hasMessageContaining("hwclock");
    }
}
