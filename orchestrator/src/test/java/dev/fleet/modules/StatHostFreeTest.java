package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code stat}: one look at the host, parsed into Ansible's {@code stat} dictionary. */
class StatHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stat(TaskOutcome o) {
        return (Map<String, Object>) o.data().get("stat");
    }

    private Map<String, Object> statOf(String path) throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", path));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        return stat(o);
    }

    @Test
    void aMissingPathHasOnlyExistsFalse() throws Exception {
        FakeFiles.missing(host, "/etc/nope");
        assertThat(statOf("/etc/nope")).containsExactly(Map.entry("exists", false));
    }

    @Test
    void aRegularFileReportsTypeModeOwnerAndSize() throws Exception {
        FakeFiles.file("/etc/hosts", "127.0.0.1 localhost\n").mode(0640).owner(0, "root").group(4, "adm").on(host);
        Map<String, Object> s = statOf("/etc/hosts");
        assertThat(s).containsEntry("exists", true).containsEntry("path", "/etc/hosts")
                .containsEntry("isreg", true).containsEntry("isdir", false).containsEntry("islnk", false)
                .containsEntry("mode", "0640").containsEntry("uid", 0L).containsEntry("gid", 4L)
                .containsEntry("pw_name", "root").containsEntry("gr_name", "adm").containsEntry("size", 20L);
    }

    @Test
    void permissionBitsAreSplitIntoAnsiblesFlags() throws Exception {
        FakeFiles.file("/usr/bin/x", "x").mode(0750).on(host);
        assertThat(statOf("/usr/bin/x")).containsEntry("rusr", true).containsEntry("wusr", true)
                .containsEntry("xusr", true).containsEntry("rgrp", true).containsEntry("wgrp", false)
                .containsEntry("xgrp", true).containsEntry("roth", false).containsEntry("woth", false)
                .containsEntry("xoth", false).containsEntry("isuid", false).containsEntry("isgid", false);
    }

    @Test
    void setuidAndSetgidShowInModeAndFlags() throws Exception {
        FakeFiles.file("/usr/bin/sudo", "x").mode(06755).on(host);
        assertThat(statOf("/usr/bin/sudo")).containsEntry("mode", "6755").containsEntry("isuid", true)
                .containsEntry("isgid", true);
    }

    @Test
    void timesInodeAndLinkCountAreNumbers() throws Exception {
        FakeFiles.file("/etc/hosts", "x").on(host);
        assertThat(statOf("/etc/hosts")).containsEntry("atime", 1700000000L).containsEntry("mtime", 1700000100L)
                .containsEntry("ctime", 1700000200L).containsEntry("inode", 424242L).containsEntry("nlink", 1L)
                .containsEntry("dev", 2049L);
    }

    @Test
    void aRegularFileHasItsSha1ChecksumByDefault() throws Exception {
        FakeFiles.file("/etc/hosts", "hello\n").on(host);
        assertThat(statOf("/etc/hosts")).containsEntry("checksum", FakeFiles.sha1("hello\n"));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("sha1sum < \"$p\"");
    }

    @Test
    void checksumAlgorithmChoosesTheSumCommand() throws Exception {
        FakeFiles.file("/etc/hosts", "hello\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", "/etc/hosts", "checksum_algorithm", "sha256"));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("sha256sum < \"$p\"");
        assertThat(stat(o)).containsEntry("checksum",
                FakeFiles.digest("sha256", "hello\n".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void getChecksumFalseSkipsTheChecksum() throws Exception {
        FakeFiles.file("/etc/hosts", "hello\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", "/etc/hosts", "get_checksum", false));
        assertThat(FakeFiles.script(host.commands().get(0))).doesNotContain("sum < ");
        assertThat(stat(o)).doesNotContainKey("checksum");
    }

    @Test
    void anUnreadableFileHasNoChecksumButSaysSo() throws Exception {
        FakeFiles.file("/etc/shadow", "secret").mode(0640).access("000").on(host);
        assertThat(statOf("/etc/shadow")).doesNotContainKey("checksum").containsEntry("readable", false)
                .containsEntry("writeable", false).containsEntry("executable", false);
    }

    @Test
    void anUnknownChecksumAlgorithmIsRefusedBeforeLooking() throws Exception {
        assertThat(ModuleHarness.rejection(host, "stat", args("path", "/x", "checksum_algorithm", "crc32")))
                .contains("argument 'checksum_algorithm' must be one of [md5, sha1, sha224, sha256, sha384, sha512],"
                        + " got 'crc32'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aDirectoryIsADirectoryWithoutChecksum() throws Exception {
        FakeFiles.dir("/var/log").on(host);
        assertThat(statOf("/var/log")).containsEntry("isdir", true).containsEntry("isreg", false)
                .containsEntry("mode", "0755").doesNotContainKey("checksum");
    }

    @Test
    void aSymlinkIsReportedAsALinkWithTargetAndSource() throws Exception {
        FakeFiles.file("/etc/localtime", "tz").symlink("/usr/share/zoneinfo/UTC", "/usr/share/zoneinfo/Etc/UTC")
                .on(host);
        assertThat(statOf("/etc/localtime")).containsEntry("islnk", true).containsEntry("isreg", false)
                .containsEntry("lnk_target", "/usr/share/zoneinfo/UTC")
                .containsEntry("lnk_source", "/usr/share/zoneinfo/Etc/UTC");
    }

    @Test
    void byDefaultTheLinkItselfIsLookedAt() throws Exception {
        FakeFiles.missing(host, "/etc/localtime");
        ModuleHarness.run(host, "stat", args("path", "/etc/localtime"));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("stat -c").doesNotContain("stat -L");
    }

    @Test
    void followLooksAtTheLinksTarget() throws Exception {
        FakeFiles.missing(host, "/etc/localtime");
        ModuleHarness.run(host, "stat", args("path", "/etc/localtime", "follow", true));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("stat -L -c");
    }

    @Test
    void aPathWithSpacesAndQuotesIsQuotedInTheLook() throws Exception {
        String path = "/srv/it's a dir/f";
        FakeFiles.file(path, "x").on(host);
        assertThat(statOf(path)).containsEntry("path", path);
        assertThat(FakeFiles.script(host.commands().get(0))).startsWith("p='/srv/it'\\''s a dir/f'\n");
    }

    @Test
    void destAndNameAreAliasesOfPath() throws Exception {
        FakeFiles.file("/etc/hosts", "x").on(host);
        assertThat(stat(ModuleHarness.run(host, "stat", args("dest", "/etc/hosts")))).containsEntry("exists", true);
        assertThat(stat(ModuleHarness.run(host, "stat", args("name", "/etc/hosts")))).containsEntry("exists", true);
    }

    @Test
    void statSendsOneCommandAndUploadsNothing() throws Exception {
        FakeFiles.file("/etc/hosts", "x").on(host);
        statOf("/etc/hosts");
        assertThat(host.commands()).hasSize(1);
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void aLookThatFailsBeforePrintingAnythingFailsTheTaskWithTheReason() throws Exception {
        host.when(FakeFiles::isLook, c -> FakeHostSession.result(2, "", "sh: 1: stat: Permission denied\n"));
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", "/root/x"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("stat: cannot stat /root/x: Permission denied");
    }

    @Test
    void aFailingChecksumCommandIsReportedWithItsErrorNotTheStatLine() throws Exception {
        host.when(FakeFiles::isLook, c -> FakeHostSession.result(2,
                "exists\n81a4|0|0|root|root|1|2|3|4|1|2049|5\n111\n\n\n",
                "sh: 1: sha512sum: not found\n"));
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", "/etc/hosts", "checksum_algorithm", "sha512"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("stat: cannot stat /etc/hosts: ").contains("sha512sum: not found");
    }

    @Test
    void anAnswerThatCannotBeParsedFailsTheTask() throws Exception {
        FakeFiles.answer(host, "/etc/hosts", "exists\nnot|a|stat\n111\n\n\n\nnone\n");
        TaskOutcome o = ModuleHarness.run(host, "stat", args("path", "/etc/hosts"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("stat: unexpected stat output for /etc/hosts: not|a|stat");
    }

    @Test
    void anEmptyPathIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "stat", args("path", " ")))
                .contains("argument 'path'").contains("empty path");
    }

    @Test
    void aTaskWithoutPathIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "stat", args("follow", true))).contains("missing required argument");
    }
}
