package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code copy} against an in-memory host: checksum first, upload only when the content differs. */
class CopyHostFreeTest {
    private static final String DEST = "/etc/motd";

    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path playbookDir;

    private TaskOutcome copy(Object... kv) throws Exception {
        Map<String, Object> a = args(kv);
        a.putIfAbsent("dest", DEST);
        return ModuleHarness.task("copy", a).playbookDir(playbookDir).on(host);
    }

    private String uploaded() {
        assertThat(host.uploads()).hasSize(1);
        return host.uploads().get(0).text();
    }

    private void assertNothingWritten() {
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).isEmpty();
    }

    @Test
    void contentToANewFileIsUploadedAndReportedCreated() throws Exception {
        FakeFiles.missing(host, DEST);
        TaskOutcome o = copy("content", "welcome\n");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("file created");
        assertThat(uploaded()).isEqualTo("welcome\n");
        assertThat(FakeFiles.writeScript(host)).contains("; p=/etc/motd\n").contains("mv -f -- \"$t\" \"$p\"");
    }

    @Test
    void theResultCarriesDestSha1ChecksumAndSize() throws Exception {
        FakeFiles.missing(host, DEST);
        TaskOutcome o = copy("content", "welcome\n");
        assertThat(o.data()).containsEntry("dest", DEST).containsEntry("checksum", FakeFiles.sha1("welcome\n"))
                .containsEntry("size", 8L).containsEntry("changed", true);
    }

    @Test
    void theLookAsksTheHostForTheSha1OfTheDestination() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x");
        assertThat(FakeFiles.script(host.commands().get(0))).contains("sha1sum < \"$p\"");
    }

    @Test
    void identicalContentIsOkWithoutUploadingOrWriting() throws Exception {
        FakeFiles.file(DEST, "welcome\n").on(host);
        TaskOutcome o = copy("content", "welcome\n");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("changed", false);
        assertNothingWritten();
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void differentContentReplacesTheFile() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        TaskOutcome o = copy("content", "new\n");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("file replaced");
        assertThat(uploaded()).isEqualTo("new\n");
    }

    @Test
    void contentWithQuotesDollarsAndNewlinesIsUploadedVerbatim() throws Exception {
        FakeFiles.missing(host, DEST);
        String text = "it's \"$HOME\"\n`id`\n\\n";
        copy("content", text);
        assertThat(uploaded()).isEqualTo(text);
    }

    @Test
    void aMappingAsContentIsWrittenAsJson() throws Exception {
        FakeFiles.missing(host, "/etc/app.json");
        copy("dest", "/etc/app.json", "content", Map.of("port", 8080));
        assertThat(uploaded()).isEqualTo("{\"port\":8080}");
    }

    @Test
    void checkModeReportsTheChangeButUploadsNothing() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        TaskOutcome o = ModuleHarness.check(host, "copy", args("dest", DEST, "content", "new\n"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertNothingWritten();
    }

    @Test
    void modeOwnerAndGroupAreSetOnTheUploadedFileBeforeTheMove() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x", "mode", "0640", "owner", "root", "group", "adm");
        String script = FakeFiles.writeScript(host);
        assertThat(script).contains("chmod -- 0640 \"$t\" || fail 4").contains("chown -- root \"$t\" || fail 5")
                .contains("chgrp -- adm \"$t\" || fail 6");
        assertThat(script.indexOf("chmod")).isLessThan(script.indexOf("mv -f"));
    }

    @Test
    void aYamlIntegerModeIsTakenAsItsValue() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x", "mode", 0644);
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0644 \"$t\"");
    }

    @Test
    void aNewFileWithoutModeGetsTheUmaskDefault() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x");
        assertThat(FakeFiles.writeScript(host)).contains("$((0666 & ~0$(umask)))");
    }

    @Test
    void identicalContentWithADifferentModeOnlyChangesTheMode() throws Exception {
        FakeFiles.file(DEST, "x").mode(0644).on(host);
        TaskOutcome o = copy("content", "x", "mode", "0600");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("ownership, perms or SE linux context changed");
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).containsExactly("chmod -- 0600 /etc/motd || exit 4\n");
    }

    @Test
    void identicalContentWithADifferentOwnerChownsThenChmodsLast() throws Exception {
        FakeFiles.file(DEST, "x").mode(0644).on(host);
        copy("content", "x", "owner", "www-data", "mode", "0600");
        assertThat(FakeFiles.changes(host)).containsExactly(
                "chown -- www-data /etc/motd || exit 5\nchmod -- 0600 /etc/motd || exit 4\n");
    }

    @Test
    void ownerGivenAsTheCurrentUidIsAlreadySatisfied() throws Exception {
        FakeFiles.file(DEST, "x").owner(33, "www-data").on(host);
        assertThat(copy("content", "x", "owner", "33").status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void checkModeWithOnlyADifferentModeChangesNothing() throws Exception {
        FakeFiles.file(DEST, "x").mode(0644).on(host);
        TaskOutcome o = ModuleHarness.check(host, "copy", args("dest", DEST, "content", "x", "mode", "0600"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertNothingWritten();
    }

    @Test
    void forceFalseLeavesAnExistingFileAlone() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        TaskOutcome o = copy("content", "new\n", "force", false);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void forceFalseStillCreatesAMissingFile() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "new\n", "force", false);
        assertThat(uploaded()).isEqualTo("new\n");
    }

    @Test
    void srcIsReadFromThePlaybooksFilesDirectory() throws Exception {
        Files.createDirectories(playbookDir.resolve("files"));
        Files.writeString(playbookDir.resolve("files/motd"), "from files/\n");
        FakeFiles.missing(host, DEST);
        copy("src", "motd");
        assertThat(uploaded()).isEqualTo("from files/\n");
    }

    @Test
    void aBinarySrcIsUploadedByteForByte() throws Exception {
        byte[] bytes = {0, (byte) 0xff, 10, 13, (byte) 0x80};
        Files.write(playbookDir.resolve("blob.bin"), bytes);
        FakeFiles.missing(host, "/opt/blob.bin");
        copy("src", "blob.bin", "dest", "/opt/blob.bin");
        assertThat(host.uploads().get(0).content()).isEqualTo(bytes);
    }

    @Test
    void aDirectoryDestGetsTheSrcFileName() throws Exception {
        Files.writeString(playbookDir.resolve("app.ini"), "x");
        FakeFiles.dir("/etc/app").on(host);
        FakeFiles.missing(host, "/etc/app/app.ini");
        TaskOutcome o = copy("src", "app.ini", "dest", "/etc/app");
        assertThat(o.data()).containsEntry("dest", "/etc/app/app.ini");
        assertThat(FakeFiles.writeScript(host)).contains("; p=/etc/app/app.ini\n");
    }

    @Test
    void contentIntoADirectoryFails() throws Exception {
        FakeFiles.dir("/etc/app").on(host);
        TaskOutcome o = copy("content", "x", "dest", "/etc/app");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("copy: cannot use content with a directory as dest (/etc/app)");
        assertNothingWritten();
    }

    @Test
    void aMissingDestinationDirectoryFails() throws Exception {
        FakeFiles.missingWithParent(host, "/etc/nope/motd");
        TaskOutcome o = copy("content", "x", "dest", "/etc/nope/motd");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("copy: cannot write /etc/nope/motd: destination directory /etc/nope does not"
                + " exist");
        assertNothingWritten();
    }

    @Test
    void aMissingSrcIsRefusedNamingWhereItLooked() throws Exception {
        String why = ModuleHarness.task("copy", args("src", "nope.txt", "dest", DEST)).playbookDir(playbookDir)
                .rejection(host);
        assertThat(why).startsWith("could not find src 'nope.txt'").contains(playbookDir.resolve("files").toString());
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void srcAndContentTogetherAreRefused() throws Exception {
        Files.writeString(playbookDir.resolve("a"), "x");
        assertThat(ModuleHarness.task("copy", args("src", "a", "content", "x", "dest", DEST)).playbookDir(playbookDir)
                .rejection(host)).contains("mutually exclusive").contains("src").contains("content");
    }

    @Test
    void withoutDestTheTaskIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "copy", args("content", "x")))
                .contains("missing required arguments: dest");
    }

    @Test
    void modePreserveTakesTheSrcFilesMode() throws Exception {
        Path src = playbookDir.resolve("run.sh");
        Files.writeString(src, "#!/bin/sh\n");
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-x---"));
        FakeFiles.missing(host, "/usr/local/bin/run.sh");
        copy("src", "run.sh", "dest", "/usr/local/bin/run.sh", "mode", "preserve");
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0750 \"$t\"");
    }

    @Test
    void modePreserveWithContentIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "copy", args("content", "x", "dest", DEST, "mode", "preserve")))
                .isEqualTo("mode=preserve needs 'src'");
    }

    @Test
    void backupReportsTheBackupFile() throws Exception {
        FakeFiles.file(DEST, "old").on(host);
        FakeFiles.onWrite(host, 0, "/etc/motd.77.2026-01-01@00:00:00~\n", "");
        TaskOutcome o = copy("content", "new", "backup", true);
        assertThat(FakeFiles.writeScript(host)).contains("cp -p -- \"$p\" \"$b\"");
        assertThat(o.data()).containsEntry("backup_file", "/etc/motd.77.2026-01-01@00:00:00~");
    }

    @Test
    void diffOfAReplacedFileShowsOldAndNewLines() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        TaskOutcome o = ModuleHarness.diff(host, "copy", args("dest", DEST, "content", "new\n"));
        assertThat((String) o.data().get("diff")).contains("-old").contains("+new");
        assertThat(FakeFiles.script(host.commands().get(0))).contains("echo content");
    }

    @Test
    void diffOfAnUnchangedFileIsEmpty() throws Exception {
        FakeFiles.file(DEST, "same\n").on(host);
        TaskOutcome o = ModuleHarness.diff(host, "copy", args("dest", DEST, "content", "same\n"));
        assertThat(o.data()).containsEntry("diff", "");
    }

    @Test
    void validateRunsOnTheTemporaryFile() throws Exception {
        FakeFiles.missing(host, "/etc/nginx/nginx.conf");
        copy("dest", "/etc/nginx/nginx.conf", "content", "events {}\n", "validate", "nginx -t -c %s");
        String tmp = host.uploads().get(0).path();
        assertThat(FakeFiles.writeScript(host)).contains("nginx -t -c " + tmp + "\n} >&2 || fail 9");
    }

    @Test
    void followWritesThroughASymlinkToItsTarget() throws Exception {
        FakeFiles.file(DEST, "old").linkedFrom("/var/run/motd").on(host);
        copy("content", "new", "follow", true);
        assertThat(FakeFiles.writeScript(host)).contains("; p=/var/run/motd\n");
    }

    @Test
    void withoutFollowASymlinkDestIsReplaced() throws Exception {
        FakeFiles.file(DEST, "old").linkedFrom("/var/run/motd").on(host);
        copy("content", "new");
        assertThat(FakeFiles.writeScript(host)).contains("; p=/etc/motd\n");
    }

    @Test
    void aDestThatIsNotARegularFileFails() throws Exception {
        new FakeFiles.Entry("/dev/null", 0020000, 0666, 0, 0, "root", "root", null, "", "", "110", false).on(host);
        TaskOutcome o = copy("dest", "/dev/null", "content", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("copy: /dev/null exists and is not a regular file");
    }

    @Test
    void eachHostCommandGetsTheTaskTimeout() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x");
        assertThat(host.execs()).extracting(FakeHostSession.Exec::timeout).containsOnly(ModuleHarness.TIMEOUT);
    }

    @Test
    void theUploadIsAPrivateTemporaryFileInTheDestinationDirectory() throws Exception {
        FakeFiles.missing(host, DEST);
        copy("content", "x".repeat(3));
        FakeHostSession.Upload u = host.uploads().get(0);
        assertThat(u.path()).matches("/etc/\\.motd\\.fleet-tmp-[0-9a-f]+");
        assertThat(u.mode()).isEqualTo(0600);
        assertThat(new String(u.content(), StandardCharsets.UTF_8)).isEqualTo("xxx");
    }

    @Test
    void anUploadRefusedBecauseTheDirectoryIsNotWritableFailsWithPermissionDenied() throws Exception {
        FakeFiles.missing(host, DEST);
        host.failUploadsUnder("/etc/");
        host.when(c -> c.startsWith("/bin/sh -c 'd=/etc;"), c -> FakeHostSession.result(0, "denied\n", ""));
        TaskOutcome o = copy("content", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("copy: cannot write /etc/motd: Permission denied");
        assertThat(FakeFiles.changes(host)).noneMatch(FakeFiles::isWrite);
    }

    @Test
    void aLostConnectionIsATransportErrorNotAFailedTask() throws Exception {
        host.loseConnectionOn("echo exists");
        assertThatThrownBy(() -> copy("content", "x"))
                .isInstanceOf(TransportException.class)
                .hasMessageContaining("lost");
    }

    @Test
    void aDestEndingInSlashHasItsMissingDirectoryCreated() throws Exception {
        Files.writeString(playbookDir.resolve("app.ini"), "x");
        FakeFiles.missingWithParent(host, "/etc/newdir/");
        FakeFiles.missingWithParent(host, "/etc/newdir/app.ini");
        TaskOutcome o = copy("src", "app.ini", "dest", "/etc/newdir/");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.changes(host)).anyMatch(c -> c.contains("mkdir") && c.contains("/etc/newdir"));
        assertThat(host.uploads()).singleElement().satisfies(u -> assertThat(u.path()).startsWith("/etc/newdir/"));
    }
}
