package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code assemble} without a host: fragment order and joining, delimiters, controller dirs, errors, check mode. */
class AssembleHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path tmp;

    /** The host's fragment listing answers with these name/content pairs. */
    private void fragments(String... namesAndContents) {
        StringBuilder out = new StringBuilder("ok\n");
        Base64.Encoder b64 = Base64.getEncoder();
        for (int i = 0; i < namesAndContents.length; i += 2) {
            out.append(b64.encodeToString(namesAndContents[i].getBytes(StandardCharsets.UTF_8))).append(' ')
                    .append(b64.encodeToString(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8)))
                    .append('\n');
        }
        host.on("for f in .* *", 0, out.toString());
    }

    @Test
    void joinsHostFragmentsInNameOrderAddingMissingNewlines() throws Exception {
        fragments("b", "two", "a", "one\n", ".h", "hidden");
        FakeFiles.missing(host, "/etc/app.conf");
        TaskOutcome o = ModuleHarness.run(host, "assemble", args("src", "/etc/app.d", "dest", "/etc/app.conf"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::text)
                .isEqualTo("hidden\none\ntwo");
        assertThat(o.data()).containsEntry("checksum", FakeFiles.sha1("hidden\none\ntwo"))
                .containsEntry("md5sum", FakeFiles.digest("md5", "hidden\none\ntwo".getBytes()))
                .containsEntry("src", "/etc/app.d").containsEntry("dest", "/etc/app.conf");
        assertThat(o.msg()).isEqualTo("OK");
        assertThat(FakeFiles.script(host.commands().get(0))).startsWith("s=/etc/app.d\n");
    }

    @Test
    void sameContentIsNotAChange() throws Exception {
        fragments("a", "one\n", "b", "two\n");
        FakeFiles.file("/etc/app.conf", "one\ntwo\n").on(host);
        TaskOutcome o = ModuleHarness.run(host, "assemble", args("src", "/etc/app.d", "dest", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void regexpIgnoreHiddenAndDelimiterWithEscapes() throws Exception {
        fragments("10-a", "one", "20-b", "two\n", "30-c.bak", "x\n", ".40-d", "hidden\n");
        FakeFiles.missing(host, "/etc/app.conf");
        ModuleHarness.run(host, "assemble", args("src", "/etc/app.d", "dest", "/etc/app.conf",
                "regexp", "^\\d+-[a-z]$", "delimiter", "# --\\t\\x41", "ignore_hidden", true));
        assertThat(host.uploads().get(0).text()).isEqualTo("one\n# --\tA\ntwo\n");
    }

    @Test
    void controllerFragmentsAreReadUnderFiles() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("files/frags"));
        Files.writeString(dir.resolve("2"), "second\n");
        Files.writeString(dir.resolve("1"), "first\n");
        Files.createDirectories(dir.resolve("0-subdir"));
        FakeFiles.missing(host, "/etc/app.conf");
        TaskOutcome o = ModuleHarness.task("assemble", args("src", "frags", "dest", "/etc/app.conf",
                "remote_src", false)).playbookDir(tmp).on(host);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads().get(0).text()).isEqualTo("first\nsecond\n");
        assertThat(host.commandsContaining("for f in")).isEmpty();
    }

    @Test
    void missingOrFileSourceFailsAsAnsibleSays() throws Exception {
        host.on("for f in .* *", 0, "missing\n");
        assertThat(ModuleHarness.run(host, "assemble", args("src", "/nope", "dest", "/x")).msg())
                .isEqualTo("Source (/nope) does not exist");
        host.on("for f in .* *", 0, "notdir\n");
        assertThat(ModuleHarness.run(host, "assemble", args("src", "/etc/hosts", "dest", "/x")).msg())
                .isEqualTo("Source (/etc/hosts) is not a directory");
        assertThat(ModuleHarness.task("assemble", args("src", "absent", "dest", "/x", "remote_src", false))
                .playbookDir(tmp).on(host).msg()).startsWith("Could not find or access 'absent'");
    }

    @Test
    void checkModeIsSkippedAsInAnsible() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "assemble", args("src", "/etc/app.d", "dest", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertThat(ModuleHarness.rejection(host, "assemble", args("src", "/a", "dest", "/b", "regexp", "(")))
                .contains("argument 'regexp'");
        assertThat(ModuleHarness.rejection(host, "assemble", args("src", "/a", "dest", "/b", "validate", "true")))
                .contains("argument 'validate'");
        assertThat(ModuleHarness.rejection(host, "assemble", args("dest", "/b"))).contains("src");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void unescapeFollowsPythonEscapeDecode() {
        assertThat(new String(Fragments.unescape("a\\nb\\\\c\\101\\x42\\q"), StandardCharsets.UTF_8))
                .isEqualTo("a\nb\\cAB\\q");
    }
}
