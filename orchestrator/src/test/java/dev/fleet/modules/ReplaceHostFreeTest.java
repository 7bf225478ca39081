package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code replace} without a host: Python regex semantics, sections, messages, check mode. */
class ReplaceHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private static final String TEXT = "a=1\n# start\nb=1\nc=1\n# end\nd=1\n";

    @Test
    void replacesEveryMatchWithBackreferencesAndSaysHowMany() throws Exception {
        FakeFiles.file("/etc/app.conf", TEXT).on(host);
        TaskOutcome o = ModuleHarness.run(host, "replace", args("path", "/etc/app.conf", "regexp", "^(\\w)=1$",
                "replace", "\\1=2"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("4 replacements made");
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::text)
                .isEqualTo("a=2\n# start\nb=2\nc=2\n# end\nd=2\n");
        assertThat(o.data()).doesNotContainKey("backup_file");
    }

    @Test
    void afterAndBeforeLimitTheSectionAndNamedGroupsWork() throws Exception {
        FakeFiles.file("/etc/app.conf", TEXT).on(host);
        TaskOutcome o = ModuleHarness.diff(host, "replace", args("path", "/etc/app.conf",
                "regexp", "^(?P<key>\\w)=1$", "replace", "\\g<key>=2", "after", "# start", "before", "# end"));
        assertThat(o.msg()).isEqualTo("2 replacements made");
        assertThat(host.uploads().get(0).text()).isEqualTo("a=1\n# start\nb=2\nc=2\n# end\nd=1\n");
        assertThat((String) o.data().get("diff")).contains("-b=1").contains("+b=2").doesNotContain("+d=");
    }

    @Test
    void aSectionThatIsNotFoundChangesNothingWithAnsiblesMessage() throws Exception {
        FakeFiles.file("/etc/app.conf", TEXT).on(host);
        TaskOutcome o = ModuleHarness.run(host, "replace", args("path", "/etc/app.conf", "regexp", "x",
                "after", "nomatch"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("Pattern for before/after params did not match the given file: "
                + "nomatch(?P<subsection>.*)");
    }

    @Test
    void noMatchIsOkAndCheckModeWritesNothing() throws Exception {
        FakeFiles.file("/etc/app.conf", TEXT).on(host);
        assertThat(ModuleHarness.run(host, "replace", args("path", "/etc/app.conf", "regexp", "zzz")).status())
                .isEqualTo(TaskStatus.OK);
        TaskOutcome o = ModuleHarness.check(host, "replace", args("path", "/etc/app.conf", "regexp", "a=1",
                "replace", "a=9"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("1 replacements made");
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void missingFileAndDirectoryFailAsAnsibleDoes() throws Exception {
        FakeFiles.missing(host, "/etc/nope");
        FakeFiles.dir("/etc").on(host);
        assertThat(ModuleHarness.run(host, "replace", args("path", "/etc/nope", "regexp", "x")).msg())
                .isEqualTo("Path /etc/nope does not exist !");
        assertThat(ModuleHarness.run(host, "replace", args("path", "/etc", "regexp", "x")).msg())
                .isEqualTo("Path /etc is a directory !");
    }

    @Test
    void badArgumentsAreNamedBeforeTheHostIsTouched() throws Exception {
        assertThat(ModuleHarness.rejection(host, "replace", args("path", "/x", "regexp", "(")))
                .contains("argument 'regexp'");
        assertThat(ModuleHarness.rejection(host, "replace", args("path", "/x", "regexp", "a", "replace", "\\2")))
                .contains("argument 'replace'");
        assertThat(ModuleHarness.rejection(host, "replace", args("path", "/x", "regexp", "a",
                "encoding", "latin-1"))).contains("argument 'encoding'");
        assertThat(ModuleHarness.rejection(host, "replace", args("path", "/x"))).contains("regexp");
        assertThat(host.commands()).isEmpty();
    }
}
