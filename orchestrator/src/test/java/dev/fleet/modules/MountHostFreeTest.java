package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ansible.posix.mount} without a host: fstab lines, mount command lines, mountinfo reading, results. */
class MountHostFreeTest {
    private static final String FSTAB = "/etc/fstab";
    private final FakeHostSession host = new FakeHostSession("web1");

    private static FstabLines.Entry entry(String src, String path, String type, String opts) {
        return new FstabLines.Entry(src, path, type, opts, "0", "0");
    }

    @Test
    void aNewEntryIsAppendedInTheCollectionsFormatWithEscapes() {
        FstabLines.Edit e = FstabLines.set("# static\nUUID=1 / ext4 errors=remount-ro 0 1",
                entry("tmpfs", "/mnt/my data", "tmpfs", "size=1m&x"));
        assertThat(e.changed()).isTrue();
        assertThat(e.text()).isEqualTo("# static\nUUID=1 / ext4 errors=remount-ro 0 1\n"
                + "tmpfs /mnt/my\\040data tmpfs size=1m\\046x 0 0\n");
    }

    @Test
    void aMatchingEntryIsRewrittenOnlyWhenAFieldDiffers() {
        String text = "tmpfs  /mnt/a  tmpfs  defaults  0  0\n";
        assertThat(FstabLines.set(text, entry("tmpfs", "/mnt/a", "tmpfs", "defaults")))
                .isEqualTo(new FstabLines.Edit(text, false));
        assertThat(FstabLines.set(text, entry("tmpfs", "/mnt/a", "tmpfs", "size=1m")).text())
                .isEqualTo("tmpfs /mnt/a tmpfs size=1m 0 0\n");
        assertThat(FstabLines.set("tmpfs /mnt/a tmpfs defaults\n", entry("tmpfs", "/mnt/a", "tmpfs", "defaults")))
                .isEqualTo(new FstabLines.Edit("tmpfs /mnt/a tmpfs defaults 0 0\n", true));
    }

    @Test
    void unsetDropsOnlySixFieldEntriesAndSwapIsMatchedBySource() {
        String text = "/dev/sdb1 none swap sw 0 0\n/dev/sdc1 none swap sw 0 0\ntmpfs /mnt/a tmpfs defaults\n";
        assertThat(FstabLines.unset(text, entry("/dev/sdc1", "none", null, "defaults")).text())
                .isEqualTo("/dev/sdb1 none swap sw 0 0\ntmpfs /mnt/a tmpfs defaults\n");
        assertThat(FstabLines.unset(text, entry(null, "/mnt/a", null, "defaults")).changed()).isFalse();
    }

    @Test
    void mountinfoSourcesAreDevicesOrBindPaths() {
        MountTable t = MountTable.parse("""
                20 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
                30 20 0:50 / /mnt/t rw - tmpfs tmpfs rw
                31 20 8:1 /srv/data /mnt/bind rw - ext4 /dev/sda1 rw
                """);
        assertThat(t.mounted("/", "/dev/sda1")).isTrue();
        assertThat(t.mounted("/mnt/bind", "/srv/data")).isTrue();
        assertThat(t.mounted("/mnt/t", null)).isTrue();
        assertThat(t.mounted("/mnt/t", "tmpfs")).isFalse();
        assertThat(t.mounted("/mnt/none", null)).isFalse();
    }

    @Test
    void commandLinesAreTheCollections() {
        ModuleContextStub c = new ModuleContextStub();
        MountCommands eph = new MountCommands(c.ctx(), entry("tmpfs", "/mnt/e", "tmpfs", "size=1m"), FSTAB,
                "ephemeral");
        assertThat(eph.mountArgv()).isEqualTo(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", "/mnt/e"));
        assertThat(eph.remountArgv()).isEqualTo(List.of("mount", "-o", "remount", "-t", "tmpfs", "-o", "size=1m",
                "tmpfs", "/mnt/e"));
        MountCommands other = new MountCommands(c.ctx(), entry("tmpfs", "/mnt/o", "tmpfs", "ro"), "/tmp/fstab",
                "remounted");
        assertThat(other.mountArgv()).isEqualTo(List.of("mount", "-T", "/tmp/fstab", "/mnt/o"));
        assertThat(other.remountArgv()).isEqualTo(List.of("mount", "-o", "remount,ro", "-T", "/tmp/fstab",
                "/mnt/o"));
        assertThat(new MountCommands(c.ctx(), entry("tmpfs", "/mnt/d", "tmpfs", "defaults"), FSTAB, "mounted")
                .mountArgv()).isEqualTo(List.of("mount", "/mnt/d"));
    }

    @Test
    void presentWritesTheEntryAndReturnsTheCollectionsKeys() throws Exception {
        FakeFiles.file(FSTAB, "# empty\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "ansible.posix.mount", args("path", "/mnt/x", "src", "tmpfs",
                "fstype", "tmpfs", "state", "present", "boot", false));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads().get(0).text()).isEqualTo("# empty\ntmpfs /mnt/x tmpfs defaults 0 0\n");
        assertThat(o.data()).containsEntry("name", "/mnt/x").containsEntry("opts", "defaults")
                .containsEntry("boot", "no").containsEntry("fstab", FSTAB).containsEntry("backup_file", "")
                .containsEntry("dump", "0").containsEntry("passno", "0").containsEntry("src", "tmpfs")
                .containsEntry("warnings", List.of("Ignore the 'boot' due to 'opts' contains 'defaults'."));
        assertThat(host.commandsContaining("mount ")).isEmpty();
    }

    @Test
    void bootFalseAddsNoauto() throws Exception {
        FakeFiles.file(FSTAB, "").on(host);
        TaskOutcome o = ModuleHarness.check(host, "mount", args("path", "/mnt/x", "src", "tmpfs",
                "fstype", "tmpfs", "opts", "size=1m", "state", "mounted", "boot", false));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("opts", "size=1m,noauto");
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).noneMatch(s -> s.startsWith("mount") || s.contains("mkdir"));
    }

    @Test
    void mountedMountsWhenNotMountedAndRestoresFstabWhenMountFails() throws Exception {
        FakeFiles.file(FSTAB, "# t\n").on(host);
        host.when(c -> FakeFiles.script(c).equals("mount /mnt/x"), c -> FakeHostSession.result(32, "",
                "mount: /mnt/x: special device nosuch does not exist.\n"));
        TaskOutcome o = ModuleHarness.run(host, "mount", args("path", "/mnt/x", "src", "nosuch",
                "fstype", "ext4", "state", "mounted"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Error mounting /mnt/x: mount: /mnt/x: special device nosuch does not exist.\n");
        assertThat(host.uploads()).extracting(FakeHostSession.Upload::text)
                .containsExactly("# t\nnosuch /mnt/x ext4 defaults 0 0\n", "# t\n");
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "mount", args("path", "/mnt/x", "state", "mounted")))
                .contains("src").contains("fstype");
        assertThat(ModuleHarness.rejection(host, "mount", args("path", "/mnt/x", "state", "gone")))
                .contains("state");
        assertThat(ModuleHarness.rejection(host, "mount", args("src", "tmpfs", "state", "unmounted")))
                .contains("path");
    }

    /** A context for building command lines only. */
    private record ModuleContextStub() {
        ModuleContext ctx() {
            return new ModuleContext(new FakeHostSession("stub"), java.util.Map.of(), false, false,
                    ModuleHarness.TIMEOUT, java.util.Map.of(), null, java.nio.file.Path.of("."));
        }
    }
}
