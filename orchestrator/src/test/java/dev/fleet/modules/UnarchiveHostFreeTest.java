package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unarchive} without a host: handler choice, the tar/unzip commands, idempotence, check mode, errors. */
class UnarchiveHostFreeTest {
    private static final String SRC = "/srv/app.tar.gz";
    private static final String DEST = "/opt/app";

    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path tmp;

    UnarchiveHostFreeTest() {
        FakeFiles.dir(DEST).on(host);
        host.on("for f in -z", 0, "tar-z\n");
        host.on("tar --list -C", 0, "app/\napp/caf\\303\\251.txt\n/abs\n");
    }

    private void tarDiffSays(String output) {
        host.on("tar --diff", 0, "0\n" + output);
    }

    @Test
    void extractsWhenTarDiffReportsMissingFilesAndListsMembers() throws Exception {
        tarDiffSays("tar: app/x: Warning: Cannot stat: No such file or directory\n");
        TaskOutcome o = ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true,
                "list_files", true, "exclude", List.of("app/skip*")));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("handler", "TgzArchive").containsEntry("src", SRC)
                .containsEntry("dest", DEST).containsEntry("files", List.of("app/", "app/café.txt", "abs"));
        assertThat(host.commandsContaining("tar --extract")).singleElement().extracting(FakeFiles::script)
                .isEqualTo("LC_ALL=C tar --extract -C /opt/app -z '--exclude=app/skip*' -f /srv/app.tar.gz");
    }

    @Test
    void differencesAnsibleIgnoresDoNotExtract() throws Exception {
        tarDiffSays("app/a: Size differs\napp/b: Contents differ\n");
        TaskOutcome o = ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commandsContaining("tar --extract")).isEmpty();
        tarDiffSays("app/a: Mode differs\n");
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true,
                "mode", "0640")).status()).isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true))
                .status()).isEqualTo(TaskStatus.CHANGED);
    }

    @Test
    void modeIsAppliedToMembersAndTopDirectories() throws Exception {
        tarDiffSays("");
        host.on("__FLEET_MEMBERS__", 0, "1\n");
        TaskOutcome o = ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true,
                "mode", "0750", "owner", "www-data"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        String script = FakeFiles.script(host.commandsContaining("__FLEET_MEMBERS__").get(0));
        assertThat(script).contains("chmod -- 0750 \"$p\"").contains("chown -- www-data \"$p\"")
                .contains("\napp\n").contains("app/café.txt");
        assertThat(host.commandsContaining("tar --diff").get(0)).contains("--owner=www-data");
    }

    @Test
    void zipIsComparedWithAScratchExtractionAndCheckModeWritesNothing() throws Exception {
        host.on("for f in -z", 0, "ZipArchive\n");
        host.on("zipinfo -1", 0, "a.txt\nsub/\nsub/b.txt\n");
        host.on("mktemp -d) || exit 3", 1, "");
        TaskOutcome o = ModuleHarness.check(host, "unarchive", args("src", "/srv/a.zip", "dest", DEST,
                "remote_src", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("handler", "ZipArchive");
        String compare = FakeFiles.script(host.commandsContaining("mktemp -d) || exit 3").get(0));
        assertThat(compare).contains("unzip -qq -o /srv/a.zip -d \"$x\"").contains("cmp -s");
        assertThat(host.commandsContaining("unzip -o")).isEmpty();
    }

    @Test
    void tarUnderCheckModeIsSkippedAsInAnsible() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(o.msg()).isEqualTo("remote module (unarchive) does not support check mode when using gtar");
    }

    @Test
    void aControllerArchiveIsUploadedToAScratchDirectoryThatIsRemoved() throws Exception {
        Path archive = Files.createDirectories(tmp.resolve("files")).resolve("a.tar.gz");
        Files.write(archive, new byte[] {31, -117, 8});
        host.on("mktemp -d", 0, "/tmp/tmp.XYZ\n");
        tarDiffSays("");
        TaskOutcome o = ModuleHarness.task("unarchive", args("src", "a.tar.gz", "dest", DEST)).playbookDir(tmp)
                .on(host);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::path)
                .isEqualTo("/tmp/tmp.XYZ/source");
        assertThat(o.data()).containsEntry("src", "/tmp/tmp.XYZ/source");
        assertThat(host.commands().get(host.commands().size() - 1)).contains("rm -rf -- /tmp/tmp.XYZ");
    }

    @Test
    void createsDestAndSourceProblemsFollowAnsible() throws Exception {
        host.on("test -e /opt/app/done", 0, "");
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true,
                "creates", "/opt/app/done")).status()).isEqualTo(TaskStatus.SKIPPED);
        FakeFiles.missing(host, "/nope");
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", "/nope", "remote_src", true))
                .msg()).isEqualTo("dest '/nope' must be an existing dir");
        host.on("[ -e \"$s\" ] || { echo missing;", 0, "empty\n");
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true))
                .msg()).isEqualTo("Invalid archive '" + SRC + "', the file is 0 bytes");
        host.on("[ -e \"$s\" ] || { echo missing;", 0, "");
        host.on("for f in -z", 0, "none\nUnable to find required 'unzip' or 'zipinfo' binary in the path.\n");
        assertThat(ModuleHarness.run(host, "unarchive", args("src", SRC, "dest", DEST, "remote_src", true))
                .msg()).startsWith("Failed to find handler for \"" + SRC + "\".").contains("'unzip'");
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertThat(ModuleHarness.rejection(host, "unarchive", args("src", SRC, "dest", DEST,
                "include", List.of("a"), "exclude", List.of("b")))).contains("include").contains("exclude");
        assertThat(ModuleHarness.rejection(host, "unarchive", args("src", SRC, "dest", DEST, "mode", "u+rwx")))
                .contains("argument 'mode'");
        assertThat(ModuleHarness.rejection(host, "unarchive", args("dest", DEST))).contains("src");
        assertThat(ModuleHarness.rejection(host, "unarchive", args("src", SRC, "dest", DEST, "copy", true,
                "remote_src", true))).contains("copy");
    }

    @Test
    void fnmatchIsPythons() {
        assertThat(ArchiveFormat.fnmatch("app/*.txt", "app/sub/x.txt")).isTrue();
        assertThat(ArchiveFormat.fnmatch("[!a]*", "abc")).isFalse();
    }
}
