package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code community.general.timezone} without a host: both strategies' reading, commands and results. */
class TimezoneHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void probeAnswers(String answer) {
        host.when(c -> c.contains("command -v timedatectl"), c -> FakeHostSession.result(0, answer, ""));
    }

    private static String debian(String zone, String link) {
        return "debian=yes\ntimezone=" + b64(zone + "\n") + "\nlink=" + b64(link + "\n") + "\nresolves=yes\n"
                + "zonefile=yes\nhwclock=/usr/sbin/hwclock\n";
    }

    @Test
    void debianWithoutSystemdWritesEtcTimezoneLinksLocaltimeAndReconfiguresTzdata() throws Exception {
        host.when(c -> c.contains("command -v timedatectl"), c -> FakeHostSession.result(0,
                host.commandsContaining("noninteractive tzdata").isEmpty()
                        ? debian("Etc/UTC", "/usr/share/zoneinfo/Etc/UTC")
                        : debian("Asia/Tokyo", "/usr/share/zoneinfo/Asia/Tokyo"), ""));
        TaskOutcome o = ModuleHarness.run(host, "community.general.timezone", args("name", "Asia/Tokyo"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("Added 1 line and deleted 1 line(s) on /etc/timezone");
        assertThat(o.data().get("diff")).isEqualTo(Map.of("before", Map.of("name", "Etc/UTC"),
                "after", Map.of("name", "Asia/Tokyo")));
        assertThat(FakeFiles.scripts(host)).anyMatch(s -> s.equals("printf '%s' 'Asia/Tokyo\n' > /etc/timezone"))
                .anyMatch(s -> s.startsWith("ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime && ")
                        && s.contains("dpkg-reconfigure --frontend noninteractive tzdata"));
    }

    @Test
    void theSameZoneIsNoChangeButAnotherLinkTargetIs() throws Exception {
        probeAnswers(debian("UTC", "/usr/share/zoneinfo/UTC"));
        assertThat(ModuleHarness.run(host, "timezone", args("name", "UTC")).status()).isEqualTo(TaskStatus.OK);
        FakeHostSession other = new FakeHostSession("web2");
        other.when(c -> c.contains("command -v timedatectl"), c -> FakeHostSession.result(0,
                debian("UTC", "/usr/share/zoneinfo/Etc/UTC"), ""));
        TaskOutcome checked = ModuleHarness.check(other, "timezone", args("name", "UTC"));
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(checked.data().get("diff")).isEqualTo(Map.of("before", Map.of("name", "Etc/UTC"),
                "after", Map.of("name", "UTC")));
        assertThat(other.commands()).hasSize(1);
    }

    @Test
    void systemdHostsUseTimedatectl() throws Exception {
        host.when(c -> c.contains("command -v timedatectl"), c -> FakeHostSession.result(0,
                "timedatectl=/usr/bin/timedatectl\nstatus=" + b64("               Time zone: "
                        + (host.commandsContaining("set-timezone").isEmpty() ? "Etc/UTC" : "Europe/Paris")
                        + " (UTC, +0000)\n RTC in local TZ: no\n") + "\nzonefile=yes\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "timezone", args("name", "Europe/Paris", "hwclock", "UTC"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("executed `/usr/bin/timedatectl set-timezone Europe/Paris`");
        assertThat(host.commandsContaining("set-local-rtc")).isEmpty();
    }

    @Test
    void errorsAreTheCollections() throws Exception {
        probeAnswers("debian=yes\nhwclock=/usr/sbin/hwclock\n");
        assertThat(ModuleHarness.run(host, "timezone", args("name", "Mars/Olympus")).msg())
                .isEqualTo("Error message:\ngiven timezone \"Mars/Olympus\" is not available");
        assertThat(ModuleHarness.run(host, "timezone", args("hwclock", "local")).msg())
                .contains("no hardware clock");
        assertThat(ModuleHarness.rejection(host, "timezone", args())).contains("hwclock").contains("name");
        assertThat(ModuleHarness.rejection(host, "timezone", args("hwclock", "utc"))).contains("hwclock");
    }
}
