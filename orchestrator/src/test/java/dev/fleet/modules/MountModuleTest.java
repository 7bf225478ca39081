package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code mount} on an overlay host: a tmpfs mounted and unmounted inside the host's own mount namespace (never
 * this machine's), its fstab line in the overlay's /etc/fstab.
 */
class MountModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final MountModule mount = new MountModule();

    private String findmnt(String path) throws Exception {
        return host.exec("findmnt -n -o FSTYPE " + path).stdout().strip();
    }

    @Test
    void mountsOnceUnmountsAndCheckModeChangesNothing() throws Exception {
        String mp = "/mnt/fleet-mount-test";
        var mounted = args("path", mp, "src", "tmpfs", "fstype", "tmpfs", "opts", "size=1m", "state", "mounted");
        assertThat(host.run(mount, mounted, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("test -e " + mp).exitCode()).isNotZero();
        TaskOutcome first = host.run(mount, mounted);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.data()).containsEntry("opts", "size=1m").containsEntry("boot", "yes");
        assertThat(findmnt(mp)).isEqualTo("tmpfs");
        assertThat(host.exec("grep ' " + mp + " ' /etc/fstab").stdout()).isEqualTo("tmpfs " + mp
                + " tmpfs size=1m 0 0\n");
        assertThat(host.run(mount, mounted).status()).isEqualTo(TaskStatus.OK);

        var unmounted = args("path", mp, "state", "unmounted");
        assertThat(host.run(mount, unmounted, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(findmnt(mp)).isEqualTo("tmpfs");
        assertThat(host.run(mount, unmounted).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(findmnt(mp)).isEmpty();
        assertThat(host.run(mount, unmounted).status()).isEqualTo(TaskStatus.OK);

        var absent = args("path", mp, "state", "absent");
        assertThat(host.run(mount, absent).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("test -e " + mp).exitCode()).isNotZero();
        assertThat(host.run(mount, absent).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aMountThatFailsLeavesFstabAsItWas() throws Exception {
        String before = host.exec("cat /etc/fstab").stdout();
        TaskOutcome o = host.run(mount, args("path", "/mnt/fleet-bad", "src", "/dev/fleet-no-such-disk",
                "fstype", "ext4", "state", "mounted"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Error mounting /mnt/fleet-bad: ");
        assertThat(host.exec("cat /etc/fstab").stdout()).isEqualTo(before);
        assertThat(host.exec("test -e /mnt/fleet-bad").exitCode()).isNotZero();
    }

    @Test
    void aMissingFstypeIsRefused() {
        assertThat(catchThrowable(() -> host.run(mount, args("path", "/mnt/x", "src", "tmpfs", "state", "present"))))
                .hasMessageContaining("fstype");
    }
}
