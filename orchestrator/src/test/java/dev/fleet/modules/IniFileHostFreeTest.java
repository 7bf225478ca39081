package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code community.general.ini_file} without a host: php.ini-style edits, messages, check mode, arguments. */
class IniFileHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private static final String PHP = "[PHP]\n; Defines the default timezone\n;date.timezone =\nmemory_limit = 128M\n"
            + "\n[www]\nuser = www-data\n";

    @Test
    void theModuleResolvesUnderItsCollectionAndItsShortName() {
        ModuleRegistry r = ModuleRegistry.builtin();
        assertThat(r.canonicalName("community.general.ini_file")).contains("ini_file");
        assertThat(r.canonicalName("ini_file")).contains("ini_file");
        assertThat(r.canonicalName("ansible.builtin.ini_file")).contains("ini_file");
        assertThat(r.canonicalName("ansible.posix.ini_file")).isEmpty();
        assertThat(r.get("ini_file").collection()).isEqualTo("community.general");
    }

    @Test
    void aCommentedDefaultIsReplacedWhereItStands() throws Exception {
        FakeFiles.file("/etc/php.ini", PHP).on(host);
        TaskOutcome o = ModuleHarness.run(host, "community.general.ini_file", args("path", "/etc/php.ini",
                "section", "PHP", "option", "date.timezone", "value", "UTC"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("option changed");
        assertThat(o.data()).containsEntry("path", "/etc/php.ini");
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::text).isEqualTo(
                PHP.replace(";date.timezone =", "date.timezone = UTC"));
    }

    @Test
    void aNewOptionGoesAfterTheSectionsLastSettingAndANewSectionAtTheEnd() {
        IniEdit.Result r = edit(PHP, "www", "pm", List.of("dynamic"), true, true, false);
        assertThat(r.content()).isEqualTo(PHP + "pm = dynamic\n");
        assertThat(r.msg()).isEqualTo("option added");
        IniEdit.Result added = edit(PHP, "pool2", "listen", List.of("/run/php.sock"), true, true, true);
        assertThat(added.content()).isEqualTo(PHP + "[pool2]\nlisten=/run/php.sock\n");
        assertThat(added.msg()).isEqualTo("section and option added");
        IniEdit.Result same = edit(PHP, "www", "user", List.of("www-data"), true, true, false);
        assertThat(same.changed()).isFalse();
        assertThat(same.msg()).isEqualTo("OK");
    }

    @Test
    void noSectionMeansBeforeTheFirstSectionAndAnEmptyFileGetsABlankLineFirst() {
        IniEdit.Result top = edit("[a]\nx = 1\n", null, "global", List.of("yes"), true, true, false);
        assertThat(top.content()).isEqualTo("global = yes\n[a]\nx = 1\n");
        IniEdit.Result fresh = edit("", "a", "x", List.of("1"), true, true, false);
        assertThat(fresh.content()).isEqualTo("\n[a]\nx = 1\n");
        IniEdit.Result unterminated = edit("[a]\nx = 1", "a", "x", List.of("1"), true, true, false);
        assertThat(unterminated.changed()).isTrue();
        assertThat(unterminated.content()).isEqualTo("[a]\nx = 1\n");
    }

    @Test
    void severalValuesAndExclusiveness() {
        String text = "[s]\nk = 1\nk = 2\nk = 3\n";
        IniEdit.Result exclusive = edit(text, "s", "k", List.of("3", "4"), true, true, false);
        assertThat(exclusive.content()).isEqualTo("[s]\nk = 4\nk = 3\n");
        IniEdit.Result additive = edit(text, "s", "k", List.of("4"), true, false, false);
        assertThat(additive.content()).isEqualTo(text + "k = 4\n");
        IniEdit.Result removeOne = edit(text, "s", "k", List.of("2"), false, false, false);
        assertThat(removeOne.content()).isEqualTo("[s]\nk = 1\nk = 3\n");
        IniEdit.Result removeAll = edit(text + ";k = 0\n", "s", "k", List.of(), false, true, false);
        assertThat(removeAll.content()).isEqualTo("[s]\n;k = 0\n");
        IniEdit.Result section = edit(text + "[t]\n", "s", null, List.of(), false, true, false);
        assertThat(section.content()).isEqualTo("[t]\n");
        assertThat(section.msg()).isEqualTo("section removed");
    }

    @Test
    void allowNoValueWritesTheBareOption() {
        IniEdit.Result r = edit("[mysqld]\nport = 1\n", "mysqld", "skip-name-resolve", List.of(), true, true, true);
        assertThat(r.content()).isEqualTo("[mysqld]\nport = 1\nskip-name-resolve\n");
        assertThat(edit(r.content(), "mysqld", "skip-name-resolve", List.of(), true, true, true).changed())
                .isFalse();
    }

    @Test
    void checkModeWritesNothingAndDiffHasBeforeAndAfter() throws Exception {
        FakeFiles.file("/etc/a.ini", "[a]\nx = 1\n").on(host);
        TaskOutcome o = ModuleHarness.task("ini_file", args("path", "/etc/a.ini", "section", "a", "option", "x",
                "value", 2)).check().diff().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
        assertThat(o.data().get("diff")).isEqualTo(Map.of("before", "[a]\nx = 1\n", "after", "[a]\nx = 2\n",
                "before_header", "/etc/a.ini (content)", "after_header", "/etc/a.ini (content)"));
    }

    @Test
    void aMissingFileWithoutCreateFailsAsAnsibleDoes() throws Exception {
        FakeFiles.missing(host, "/etc/none.ini");
        TaskOutcome o = ModuleHarness.run(host, "ini_file", args("path", "/etc/none.ini", "section", "a",
                "option", "x", "value", "1", "create", false));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Destination /etc/none.ini does not exist!");
        assertThat(o.rc()).isEqualTo(257);
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertThat(ModuleHarness.rejection(host, "ini_file", args("path", "/x", "value", "1", "values",
                List.of("2")))).contains("value").contains("values");
        assertThat(ModuleHarness.rejection(host, "ini_file", args("path", "/x", "state", "gone")))
                .contains("state");
        assertThat(ModuleHarness.rejection(host, "ini_file", args("section", "a"))).contains("path");
        TaskOutcome o = ModuleHarness.run(host, "ini_file", args("path", "/x", "section", "a", "option", "b"));
        assertThat(o.msg()).isEqualTo("Parameter 'value(s)' must be defined if state=present and "
                + "allow_no_value=False.");
        assertThat(host.commands()).isEmpty();
    }

    private static IniEdit.Result edit(String text, String section, String option, List<String> values,
            boolean present, boolean exclusive, boolean noExtraSpaces) {
        boolean allowNoValue = values.isEmpty() && present;
        return IniEdit.apply(text, new IniEdit.Request(section, option, values, present, exclusive, noExtraSpaces,
                allowNoValue));
    }
}
