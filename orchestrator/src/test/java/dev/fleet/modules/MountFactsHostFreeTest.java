package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code mount_facts}: the mount tables read in one round trip, /etc/mtab and /proc/mounts read once, fstab's
 * UUID= devices resolved, device and type filters, sizes from statvfs, aggregate mounts and Ansible's warnings.
 */
class MountFactsHostFreeTest {
    private static final String TABLES = """
            @@source /etc/mtab /proc/4242/mounts
            /dev/sda1 / ext4 rw,relatime 0 0
            tmpfs /run tmpfs rw,nosuid,size=10m 0 0
            tmpfs /run tmpfs rw,nosuid,size=20m 0 0
            server:/export /mnt/nfs\\040share nfs4 rw,vers=4.2 0 0

            @@source /proc/mounts /proc/4243/mounts
            /dev/sda1 / ext4 rw,relatime 0 0

            @@source /etc/fstab /etc/fstab
            # a comment
            UUID=1234-abcd / ext4 errors=remount-ro 0 1
            /swapfile none swap sw 0 0

            @@uuids
            /dev/sda1 1234-abcd
            """;

    private final FakeHostSession host = new FakeHostSession("web1");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> facts(TaskOutcome o) {
        return (Map<String, Object>) o.data().get("ansible_facts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> point(TaskOutcome o, String mount) {
        return (Map<String, Object>) ((Map<String, Object>) facts(o).get("mount_points")).get(mount);
    }

    @Test
    void firstDefinitionPerMountPointWithSizesContextAndUuid() throws Exception {
        host.on("@@source", 0, TABLES);
        // in table order: / and /run twice from mtab, the NFS share (cannot be read), then fstab's / and swap
        host.on("stat -f", 0, "@@0 4096 4096 1000 250 500 400\n@@1 4096 4096 10 10 100 99\n@@2 4096 4096 8 8 8 8\n"
                + "@@3 failed 1\n@@4 4096 4096 1000 250 500 400\n@@5 4096 4096 1 1 1 1\n");
        TaskOutcome o = ModuleHarness.run(host, "mount_facts", args("include_aggregate_mounts", true));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        Map<String, Object> root = point(o, "/");
        assertThat(root).containsEntry("device", "/dev/sda1").containsEntry("fstype", "ext4")
                .containsEntry("options", "rw,relatime").containsEntry("dump", 0).containsEntry("passno", 0)
                .containsEntry("size_total", 4096L * 1000).containsEntry("size_available", 4096L * 250)
                .containsEntry("block_used", 750L).containsEntry("inode_used", 100L)
                .containsEntry("uuid", "1234-abcd")
                .containsEntry("ansible_context", Map.of("source", "/etc/mtab",
                        "source_data", "/dev/sda1 / ext4 rw,relatime 0 0"));
        assertThat(List.copyOf(root.keySet())).endsWith("ansible_context", "uuid");
        // the first of two mounts on /run wins; octal escapes are decoded
        assertThat(point(o, "/run")).containsEntry("options", "rw,nosuid,size=10m");
        assertThat(point(o, "/mnt/nfs share")).containsEntry("device", "server:/export")
                .doesNotContainKey("size_total");
        // /proc/mounts is /etc/mtab (both are /proc/self/mounts): read once; fstab's UUID= resolved to the device
        List<?> aggregate = (List<?>) facts(o).get("aggregate_mounts");
        assertThat(aggregate).hasSize(6);
        assertThat(o.data()).doesNotContainKey("warnings");
    }

    @Test
    void filtersByDeviceAndTypePatternsAndWarnsAboutRepeatsUnlessToldNotTo() throws Exception {
        host.on("@@source", 0, TABLES);
        TaskOutcome o = ModuleHarness.run(host, "mount_facts", args("fstypes", List.of("tmpfs", "nfs*")));
        @SuppressWarnings("unchecked")
        Map<String, Object> points = (Map<String, Object>) facts(o).get("mount_points");
        assertThat(points).containsOnlyKeys("/run", "/mnt/nfs share");
        assertThat(facts(o).get("aggregate_mounts")).isEqualTo(List.of());
        assertThat((List<?>) o.data().get("warnings")).singleElement().asString()
                .startsWith("mount_facts: ignoring repeat mounts in the following sources: /etc/mtab (['/run', "
                        + "'/run', '/mnt/nfs share'])");
        TaskOutcome remote = ModuleHarness.run(host, "mount_facts", args("devices", List.of("[!/]*"),
                "include_aggregate_mounts", false));
        @SuppressWarnings("unchecked")
        Map<String, Object> remotePoints = (Map<String, Object>) facts(remote).get("mount_points");
        assertThat(remotePoints).containsOnlyKeys("/run", "/mnt/nfs share");
        assertThat(remote.data()).doesNotContainKey("warnings");
    }

    @Test
    void timeoutsFailWarnOrAreIgnoredAndBadArgumentsAreRefused() throws Exception {
        host.on("@@source", 0, "@@source /proc/mounts /proc/1/mounts\nsrv:/x /mnt/x nfs rw 0 0\n@@uuids\n");
        host.on("stat -f", 0, "@@0 failed 124\n");
        TaskOutcome error = ModuleHarness.run(host, "mount_facts", args("timeout", 2, "sources",
                List.of("/proc/mounts")));
        assertThat(error.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(error.msg()).isEqualTo("Timed out getting mount size for mount /mnt/x (type nfs)");
        assertThat(host.execs().get(host.execs().size() - 1).command()).contains("timeout 2.0 stat -f");
        TaskOutcome warn = ModuleHarness.run(host, "mount_facts", args("timeout", 2, "on_timeout", "warn",
                "sources", List.of("/proc/mounts")));
        assertThat(warn.status()).isEqualTo(TaskStatus.OK);
        assertThat(warn.data().get("warnings")).isEqualTo(List.of(
                "Timed out getting mount size for mount /mnt/x (type nfs)"));
        assertThat(ModuleHarness.run(host, "mount_facts", args("timeout", 0)).msg())
                .isEqualTo("argument 'timeout' must be a positive number or null, not 0.0");
        assertThat(ModuleHarness.run(host, "mount_facts", args("sources", List.of(""))).msg())
                .isEqualTo("sources contains an empty string");
        assertThat(ModuleHarness.rejection(host, "mount_facts", args("on_timeout", "panic")))
                .contains("on_timeout").contains("error, warn, ignore");
    }

    @Test
    void theMountCommandIsTheFallbackWhenNoDynamicTableIsReadable() throws Exception {
        host.on("@@source", 0, "@@uuids\n");
        host.on("LC_ALL=C mount", 0, "/dev/sda1 on / type ext4 (rw,relatime)\nproc on /proc type proc (rw)\n");
        TaskOutcome o = ModuleHarness.run(host, "mount_facts", args("sources", List.of("dynamic")));
        assertThat(point(o, "/")).containsEntry("fstype", "ext4").containsEntry("options", "rw,relatime")
                .containsEntry("ansible_context", Map.of("source", "mount",
                        "source_data", "/dev/sda1 on / type ext4 (rw,relatime)"));
        assertThat(MountTables.fromMountOutput("not a mount line\n")).isEmpty();
        assertThat(MountTables.fromFstab("/etc/fstab", List.of("too few"))).isEmpty();
    }
}
