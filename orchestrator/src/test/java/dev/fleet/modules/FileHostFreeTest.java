package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code file} without a host: what it decides from one look, and the script it sends. */
class FileHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void anExistingFileWithTheRequestedModeIsOkAfterOneLook() throws Exception {
        FakeFiles.file("/etc/app.conf", "x").mode(0640).on(host);
        TaskOutcome o = ModuleHarness.run(host, "file", args("path", "/etc/app.conf", "mode", "0640"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("path", "/etc/app.conf").containsEntry("state", "file")
                .containsEntry("mode", "0640").containsEntry("owner", "root").containsEntry("uid", 0L)
                .containsEntry("size", 1L);
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void symbolicModeIsResolvedAgainstTheCurrentModeAndSentAsOctal() throws Exception {
        FakeFiles.file("/etc/app.conf", "x").mode(0600).on(host);
        host.when(c -> c.contains("echo @@"), c -> FakeHostSession.result(0, "@@\n81e0|0|0|root|root|1|1\n", ""));
        TaskOutcome o = ModuleHarness.diff(host, "file", args("path", "/etc/app.conf", "mode", "u+x,g=r"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("mode", "0740");
        assertThat(FakeFiles.changes(host)).singleElement().asString().contains("chmod -- 0740 \"$p\"");
        assertThat(o.data().get("diff")).isEqualTo(Map.of("before", Map.of("path", "/etc/app.conf", "mode", "0600"),
                "after", Map.of("path", "/etc/app.conf", "mode", "0740")));
    }

    @Test
    void symbolicModesFollowChmod() throws Exception {
        assertThat(FileMode.resolve("u+rwx", 0644, false)).isEqualTo(0744);
        assertThat(FileMode.resolve("a+X", 0644, true)).isEqualTo(0755);
        assertThat(FileMode.resolve("a+X", 0644, false)).isEqualTo(0644);
        assertThat(FileMode.resolve("go-rwx", 0755, false)).isEqualTo(0700);
        assertThat(FileMode.resolve("u=rw,g=u,o=", 0777, false)).isEqualTo(0660);
        assertThat(FileMode.resolve("+x", 0644, false)).isEqualTo(0755);
        assertThat(FileMode.resolve("u+s", 0755, false)).isEqualTo(04755);
        assertThat(FileMode.resolve("0644", 0777, false)).isEqualTo(0644);
        assertThat(FileMode.resolve(0644, 0777, false)).isEqualTo(0644);
    }

    @Test
    void checkModeReportsADirectoryToCreateWithoutChangingAnything() throws Exception {
        FakeFiles.missing(host, "/srv/data");
        TaskOutcome o = ModuleHarness.check(host, "file", args("path", "/srv/data", "state", "directory"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.changes(host)).isEmpty();
    }

    @Test
    void aDirectoryIsCreatedComponentByComponentWithQuotedPaths() throws Exception {
        FakeFiles.missing(host, "/srv/it's data");
        host.when(c -> c.contains("echo @@"), c -> FakeHostSession.result(0, "@@\n41ed|0|0|root|root|4096|2\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "file", args("path", "/srv/it's data", "state", "directory",
                "owner", "www"));
        assertThat(o.data()).containsEntry("state", "directory").containsEntry("mode", "0755");
        String s = FakeFiles.changes(host).get(0);
        assertThat(s).contains("d=/srv; if [ ! -d \"$d\" ]; then mkdir -- \"$d\"")
                .contains("d='/srv/it'\\''s data'").contains("chown -- www \"$d\"");
    }

    @Test
    void absentRemovesOnlyWhatExists() throws Exception {
        FakeFiles.missing(host, "/tmp/gone");
        TaskOutcome ok = ModuleHarness.run(host, "file", args("path", "/tmp/gone", "state", "absent"));
        assertThat(ok.status()).isEqualTo(TaskStatus.OK);
        assertThat(ok.data()).isEqualTo(Map.of("path", "/tmp/gone", "state", "absent"));
        FakeFiles.dir("/tmp/d").on(host);
        TaskOutcome o = ModuleHarness.diff(host, "file", args("path", "/tmp/d", "state", "absent"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.changes(host)).containsExactly("rm -rf -- /tmp/d");
        assertThat(o.data().get("diff")).isEqualTo(Map.of("before", Map.of("path", "/tmp/d", "state", "directory"),
                "after", Map.of("path", "/tmp/d", "state", "absent")));
    }

    @Test
    void aDirectoryWhereAFileIsWantedFails() throws Exception {
        FakeFiles.dir("/etc").on(host);
        TaskOutcome o = ModuleHarness.run(host, "file", args("path", "/etc", "state", "file"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("file (/etc) is directory, cannot continue");
    }

    @Test
    void touchOnAnExistingFileAlwaysChanges() throws Exception {
        FakeFiles.file("/tmp/t", "").on(host);
        host.when(c -> c.contains("echo @@"), c -> FakeHostSession.result(0, "@@\n81a4|0|0|root|root|0|1\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "file", args("path", "/tmp/t", "state", "touch"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("dest", "/tmp/t").doesNotContainKey("path");
        assertThat(FakeFiles.changes(host).get(0)).contains("touch -c -m -- \"$p\"").contains("touch -c -a --");
    }

    @Test
    void argumentErrorsNameTheArgumentBeforeTheHostIsTouched() throws Exception {
        assertThat(ModuleHarness.rejection(host, "file", args("path", "/x", "state", "gone")))
                .contains("argument 'state' must be one of [absent, directory, file, hard, link, touch]");
        assertThat(ModuleHarness.rejection(host, "file", args("path", "/x", "mode", "u+z")))
                .contains("argument 'mode'");
        assertThat(ModuleHarness.rejection(host, "file", args("path", "/x", "src", "/y", "state", "file")))
                .contains("argument 'src' requires state to be 'link' or 'hard'");
        assertThat(ModuleHarness.rejection(host, "file", args("path", "/x", "state", "touch",
                "modification_time", "2023"))).contains("argument 'modification_time'");
        assertThat(ModuleHarness.rejection(host, "file", args("path", "/x", "state", "hard")))
                .contains("argument 'src'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aLinkToAnotherTargetIsRepointedAndReportsSrc() throws Exception {
        FakeFiles.file("/etc/l", "").symlink("/old", "/old").on(host);
        FakeFiles.file("/new", "x").on(host);
        host.when(c -> c.contains("echo @@"), c -> FakeHostSession.result(0, "@@\na1ff|0|0|root|root|4|1\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "file", args("path", "/etc/l", "src", "/new", "state", "link"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("dest", "/etc/l").containsEntry("src", "/new")
                .containsEntry("state", "link");
        assertThat(FakeFiles.changes(host).get(0)).contains("ln -sfn -- /new \"$p\"");
    }
}
