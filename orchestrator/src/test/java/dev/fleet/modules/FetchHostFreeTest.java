package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch}: the remote file read in one look, written under dest on the controller only when it differs. */
class FetchHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path out;

    private TaskOutcome fetch(Map<String, Object> args) throws Exception {
        return ModuleHarness.task("fetch", args).vars(Map.of("inventory_hostname", "web1")).on(host);
    }

    @Test
    void storesUnderDestHostAndTheSourcePathAndReportsChecksums() throws Exception {
        FakeFiles.file("/etc/app.conf", "hello\n").on(host);
        TaskOutcome o = fetch(args("src", "/etc/app.conf", "dest", out.toString()));
        Path local = out.resolve("web1/etc/app.conf");
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(local).hasContent("hello");
        assertThat(o.data()).containsEntry("dest", local.toString())
                .containsEntry("checksum", FakeFiles.sha1("hello\n"))
                .containsEntry("remote_checksum", FakeFiles.sha1("hello\n"))
                .containsEntry("md5sum", "b1946ac92492d2347c6235b4d2611184");
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void aSecondFetchOfTheSameContentChangesNothing() throws Exception {
        FakeFiles.file("/etc/app.conf", "hello\n").on(host);
        fetch(args("src", "/etc/app.conf", "dest", out.toString()));
        Path local = out.resolve("web1/etc/app.conf");
        long before = Files.getLastModifiedTime(local).toMillis();
        TaskOutcome o = fetch(args("src", "/etc/app.conf", "dest", out.toString()));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("file", "/etc/app.conf").containsEntry("dest", local.toString())
                .doesNotContainKey("remote_checksum");
        assertThat(Files.getLastModifiedTime(local).toMillis()).isEqualTo(before);
    }

    @Test
    void flatWritesToDestOrIntoItWhenItEndsWithASlash() throws Exception {
        FakeFiles.file("/etc/app.conf", "x").on(host);
        fetch(args("src", "/etc/app.conf", "dest", out.resolve("copy.conf").toString(), "flat", true));
        fetch(args("src", "/etc/app.conf", "dest", out + "/dir/", "flat", true));
        assertThat(out.resolve("copy.conf")).hasContent("x");
        assertThat(out.resolve("dir/app.conf")).hasContent("x");
    }

    @Test
    void aRelativeSrcKeepsItsPathUnderTheHostDirectory() throws Exception {
        FakeFiles.file("logs/a.log", "x").on(host);
        TaskOutcome o = fetch(args("src", "logs/a.log", "dest", out.toString()));
        assertThat(o.data()).containsEntry("dest", out.resolve("web1/logs/a.log").toString());
    }

    @Test
    void aSrcThatClimbsOutOfDestIsRefusedAndNothingIsWritten() throws Exception {
        FakeFiles.file("../../../etc/passwd", "x").on(host);
        assertThat(ModuleHarness.task("fetch", args("src", "../../../etc/passwd", "dest", out.toString()))
                .vars(Map.of("inventory_hostname", "web1")).rejection(host)).contains("outside");
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s).isEmpty();
        }
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aMissingFileFailsOrWithFailOnMissingFalseIsOk() throws Exception {
        FakeFiles.missing(host, "/etc/nope");
        TaskOutcome o = fetch(args("src", "/etc/nope", "dest", out.toString()));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("the remote file does not exist, not transferring, ignored");
        o = fetch(args("src", "/etc/nope", "dest", out.toString(), "fail_on_missing", false));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("file", "/etc/nope");
    }

    @Test
    void aDirectoryCannotBeFetched() throws Exception {
        FakeFiles.dir("/etc").on(host);
        assertThat(fetch(args("src", "/etc", "dest", out.toString())).msg())
                .isEqualTo("remote file is a directory, fetch cannot work on directories");
    }

    @Test
    void checkModeIsSkippedAsInAnsible() throws Exception {
        TaskOutcome o = ModuleHarness.task("fetch", args("src", "/etc/x", "dest", out.toString())).check()
                .on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aFileTooLargeToReadFailsClearly() throws Exception {
        FakeFiles.file("/var/big", "x").beyondContentLimit().on(host);
        assertThat(fetch(args("src", "/var/big", "dest", out.toString())).msg()).contains("larger than");
    }
}
