package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.modules.LineEdits.Edit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text editing of lineinfile and blockinfile, and mode parsing, without SSH. */
class LineEditTest {

    // ---- lineinfile present ---------------------------------------------------------------------------------

    private static Edit present(String original, String line, String regexp, String after, String before)
            throws ModuleException {
        return present(original, line, regexp, after, before, false, false);
    }

    private static Edit present(String original, String line, String regexp, String after, String before,
            boolean backrefs, boolean firstmatch) throws ModuleException {
        // the module's own defaults and regex handling: LineEdits.Insert.of is what lineinfile calls
        return LineEdits.present(original, line, regexp == null ? null : LineEdits.pyRegex(regexp, "regexp"), null,
                LineEdits.Insert.of(after, before), backrefs, firstmatch);
    }

    @Test
    void regexpReplacesTheLastMatchingLine() throws Exception {
        Edit e = present("a=1\nb=2\na=3\n", "a=9", "^a=", null, null);
        assertThat(e.content()).isEqualTo("a=1\nb=2\na=9\n");
        assertThat(e.changed()).isTrue();
        assertThat(e.msg()).isEqualTo("line replaced");
    }

    @Test
    void firstmatchReplacesTheFirstMatchingLine() throws Exception {
        assertThat(present("a=1\nb=2\na=3\n", "a=9", "^a=", null, null, false, true).content())
                .isEqualTo("a=9\nb=2\na=3\n");
    }

    @Test
    void lineAlreadyPresentIsNoChange() throws Exception {
        Edit e = present("a=1\nb=2\n", "b=2", "^b=", null, null);
        assertThat(e.changed()).isFalse();
        assertThat(e.content()).isEqualTo("a=1\nb=2\n");
        assertThat(present("x\ny\n", "x", null, null, null).changed()).isFalse();
    }

    @Test
    void noMatchAppendsAtEofAddingTheMissingNewlineFirst() throws Exception {
        Edit e = present("a\nb", "c", "^zzz", null, null);
        assertThat(e.content()).isEqualTo("a\nb\nc\n");
        assertThat(e.msg()).isEqualTo("line added");
        assertThat(present("", "first", null, null, null).content()).isEqualTo("first\n");
    }

    @Test
    void insertafterRegexUsesTheLastMatchUnlessFirstmatch() throws Exception {
        String text = "[main]\nx=1\n[main]\nz=3\n";
        assertThat(present(text, "y=2", "^y=", "^\\[main\\]", null).content())
                .isEqualTo("[main]\nx=1\n[main]\ny=2\nz=3\n");
        assertThat(present(text, "y=2", "^y=", "^\\[main\\]", null, false, true).content())
                .isEqualTo("[main]\ny=2\nx=1\n[main]\nz=3\n");
    }

    @Test
    void insertafterIsIgnoredWhenRegexpMatches() throws Exception {
        assertThat(present("[main]\ny=1\n", "y=2", "^y=", "^\\[main\\]", null).content()).isEqualTo("[main]\ny=2\n");
    }

    @Test
    void insertafterTheLastLineWithoutNewline() throws Exception {
        assertThat(present("a\nlast", "new", null, "^last", null).content()).isEqualTo("a\nlast\nnew\n");
    }

    @Test
    void insertbeforeRegexAndBof() throws Exception {
        assertThat(present("a\nb\nc\n", "x", null, null, "^c").content()).isEqualTo("a\nb\nx\nc\n");
        assertThat(present("a\nb\n", "x", null, null, "BOF").content()).isEqualTo("x\na\nb\n");
        assertThat(present("a\nb\n", "x", null, "BOF", null).content()).isEqualTo("x\na\nb\n");
        // insertbefore with no match appends at the end, as Ansible does
        assertThat(present("a\n", "x", null, null, "^nomatch").content()).isEqualTo("a\nx\n");
    }

    @Test
    void backrefsExpandPythonStyleGroupsAndDoNothingWithoutAMatch() throws Exception {
        Edit e = present("Port 22\n", "Port \\g<p>0 # \\1", "^(?P<k>Port) (?P<p>\\d+)$", null, null, true, false);
        assertThat(e.content()).isEqualTo("Port 220 # Port\n");
        Edit none = present("Other 1\n", "\\1=x", "^(Port)", null, null, true, false);
        assertThat(none.changed()).isFalse();
        assertThat(none.content()).isEqualTo("Other 1\n");
    }

    @Test
    void expandHandlesEscapes() throws Exception {
        Matcher m = Pattern.compile("(a)(b)?").matcher("a");
        assertThat(m.find()).isTrue();
        assertThat(LineEdits.expand(m, "\\1-\\2-\\\\-\\t-\\.")).isEqualTo("a--\\-\t-\\.");
    }

    @Test
    void dollarMatchesBeforeTheLineEndOnlyForNewline() throws Exception {
        assertThat(present("key=old\r\n", "key=new", "^key=.*$", null, null).content()).isEqualTo("key=new\n");
    }

    @Test
    void crlfLineMatchingExactlyIsRewrittenWithNewlineAsAnsibleDoes() throws Exception {
        Edit e = present("a\r\nb\r\n", "b", null, null, null);
        assertThat(e.content()).isEqualTo("a\r\nb\n");
        assertThat(e.msg()).isEqualTo("line replaced");
    }

    @Test
    void badRegexIsAModuleException() {
        assertThatThrownBy(() -> LineEdits.pyRegex("([", "regexp")).isInstanceOf(ModuleException.class)
                .hasMessageContaining("argument 'regexp' is not a valid regular expression");
    }

    // ---- lineinfile absent --------------------------------------------------------------------------------------

    @Test
    void absentRemovesEveryMatchingLine() throws Exception {
        Edit e = LineEdits.absent("a\nb\na\nc", "a", null, null);
        assertThat(e.content()).isEqualTo("b\nc");
        assertThat(e.found()).isEqualTo(2);
        assertThat(e.msg()).isEqualTo("2 line(s) removed");
        Edit re = LineEdits.absent("x=1\ny=2\nx=3\n", null, LineEdits.pyRegex("^x=", "regexp"), null);
        assertThat(re.content()).isEqualTo("y=2\n");
        Edit search = LineEdits.absent("foo bar\nbaz\n", null, null, "o b");
        assertThat(search.content()).isEqualTo("baz\n");
        Edit none = LineEdits.absent("a\n", "b", null, null);
        assertThat(none.changed()).isFalse();
        assertThat(none.found()).isZero();
    }

    // ---- blockinfile ------------------------------------------------------------------------------------------

    private static final String M = BlockinfileModule.DEFAULT_MARKER;

    private static Edit block(String original, String block, String after, String before) throws ModuleException {
        return BlockinfileModule.edit(original, block, M, "BEGIN", "END", true, LineEdits.Insert.of(after, before),
                false, false);
    }

    @Test
    void blockIsAppendedBetweenMarkers() throws Exception {
        Edit e = block("a\nb", "x\ny", null, null);
        assertThat(e.content()).isEqualTo("a\nb\n# BEGIN ANSIBLE MANAGED BLOCK\nx\ny\n# END ANSIBLE MANAGED BLOCK\n");
        assertThat(e.msg()).isEqualTo("Block inserted");
        Edit again = block(e.content(), "x\ny\n", null, null);
        assertThat(again.changed()).isFalse();
    }

    @Test
    void existingBlockIsReplacedInPlace() throws Exception {
        String text = "a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nz\n";
        assertThat(block(text, "new1\nnew2", null, null).content())
                .isEqualTo("a\n# BEGIN ANSIBLE MANAGED BLOCK\nnew1\nnew2\n# END ANSIBLE MANAGED BLOCK\nz\n");
    }

    @Test
    void emptyBlockOrAbsentRemovesIt() throws Exception {
        String text = "a\n# BEGIN ANSIBLE MANAGED BLOCK\nold\n# END ANSIBLE MANAGED BLOCK\nz\n";
        Edit e = BlockinfileModule.edit(text, "x", M, "BEGIN", "END", false, LineEdits.Insert.of(null, null),
                false, false);
        assertThat(e.content()).isEqualTo("a\nz\n");
        assertThat(e.msg()).isEqualTo("Block removed");
        assertThat(block(text, "", null, null).content()).isEqualTo("a\nz\n");
    }

    @Test
    void insertafterAndInsertbefore() throws Exception {
        assertThat(block("[a]\n[b]\nq\n", "k=v", "^\\[a\\]", null).content())
                .isEqualTo("[a]\n# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n[b]\nq\n");
        assertThat(block("[a]\n[b]\n", "k=v", null, "^\\[b\\]").content())
                .isEqualTo("[a]\n# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n[b]\n");
        assertThat(block("x\n", "k=v", null, "BOF").content())
                .isEqualTo("# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\nx\n");
        // no match: end of file
        assertThat(block("x\n", "k=v", "^nomatch", null).content())
                .isEqualTo("x\n# BEGIN ANSIBLE MANAGED BLOCK\nk=v\n# END ANSIBLE MANAGED BLOCK\n");
    }

    @Test
    void customMarkersAndNewFile() throws Exception {
        Edit e = BlockinfileModule.edit(null, "k=v\n", "<!-- {mark} fleet -->", "OPEN", "CLOSE", true,
                LineEdits.Insert.of(null, null), false, false);
        assertThat(e.content()).isEqualTo("<!-- OPEN fleet -->\nk=v\n<!-- CLOSE fleet -->\n");
        assertThat(e.msg()).isEqualTo("File created");
    }

    @Test
    void prependAndAppendNewline() throws Exception {
        Edit e = BlockinfileModule.edit("a\nb\n", "k", M, "BEGIN", "END", true,
                LineEdits.Insert.of("^a", null), true, true);
        assertThat(e.content())
                .isEqualTo("a\n\n# BEGIN ANSIBLE MANAGED BLOCK\nk\n# END ANSIBLE MANAGED BLOCK\n\nb\n");
    }

    // ---- mode ---------------------------------------------------------------------------------------------

    @Test
    void modesAsOctalStringsOrYamlIntegers() throws Exception {
        assertThat(FileAttrs.parseMode("0644")).isEqualTo(0644);
        assertThat(FileAttrs.parseMode("644")).isEqualTo(0644);
        assertThat(FileAttrs.parseMode("0o755")).isEqualTo(0755);
        assertThat(FileAttrs.parseMode("01777")).isEqualTo(01777);
        assertThat(FileAttrs.parseMode(420)).isEqualTo(0644); // YAML 0644
        assertThat(FileAttrs.parseMode(null)).isNull();
        assertThatThrownBy(() -> FileAttrs.parseMode("0999")).isInstanceOf(ModuleException.class)
                .hasMessageContaining("octal permission such as '0644', found '0999'");
        assertThatThrownBy(() -> FileAttrs.parseMode("u+rwx")).isInstanceOf(ModuleException.class)
                .hasMessageContaining("symbolic modes are not supported");
        assertThatThrownBy(() -> FileAttrs.parseMode(99999)).isInstanceOf(ModuleException.class);
        assertThatThrownBy(() -> FileAttrs.parseMode("rw")).isInstanceOf(ModuleException.class);
    }

    @Test
    void reasonPicksTheToolsMessage() {
        assertThat(RemoteFiles.reason("cp: cannot create regular file '/x/y': Permission denied\n"))
                .isEqualTo("Permission denied");
        assertThat(RemoteFiles.reason("chown: invalid user: 'nosuch'\n")).isEqualTo("invalid user: 'nosuch'");
        assertThat(RemoteFiles.reason("")).isEqualTo("unknown error");
    }

    /**
     * lineinfile matches its regexp against each line on the controller: one budget for the whole file, so a file
     * of many lines that each cost a few million steps fails the task instead of running for hours.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aSlowRegexOverManyLinesFailsOnOneBudget() throws Exception {
        String file = ("a".repeat(200) + "!\n").repeat(100); // about 4 million steps a line
        Pattern slowish = LineEdits.pyRegex("(.*a){2}$", "regexp");
        assertThatThrownBy(() -> LineEdits.present(file, "x", slowish, null, LineEdits.Insert.of(null, null), false,
                false)).isInstanceOf(dev.fleet.template.RegexSubject.TooSlow.class)
                .hasMessageContaining("regular expression '(.*a){2}$' took more than 50000000 steps");
        assertThatThrownBy(() -> LineEdits.absent(file, null, slowish, null))
                .isInstanceOf(dev.fleet.template.RegexSubject.TooSlow.class);
    }
}
