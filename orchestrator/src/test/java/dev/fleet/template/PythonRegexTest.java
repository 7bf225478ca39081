package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** Expected values are what Python 3.11's re module answers for the same pattern and text. */
class PythonRegexTest {

    private static String sub(String pattern, String repl, String text) {
        return PythonRegex.compile(pattern, 0).sub(repl, text, 0);
    }

    private static List<String> findall(String pattern, int flags, String text) {
        Matcher m = PythonRegex.compile(pattern, flags).matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) out.add(m.group());
        return out;
    }

    @Test
    void namedGroupsWithUnderscoresAndReplacementReferences() {
        assertThat(sub("(?P<first_name>\\w+) (?P<last>\\w+)", "\\g<last>, \\g<first_name>\\g<1>0", "john smith"))
                .isEqualTo("smith, johnjohn0");
        PythonRegex re = PythonRegex.compile("(?P<key_1>\\w+)=(?P<val>.*)", 0);
        assertThat(re.groupNames()).containsEntry("key_1", 1).containsEntry("val", 2);
        Matcher m = re.matcher("a=b");
        assertThat(m.matches()).isTrue();
        assertThat(m.group(re.groupIndex("val"))).isEqualTo("b");
        assertThat(re.groupIndex("2")).isEqualTo(2);
    }

    @Test
    void backreferencesByNameAndNumber() {
        assertThat(findall("(?P<x_y>a)(?P=x_y)", 0, "xaab")).containsExactly("aa");
        assertThat(findall("(a)\\1", 0, "aaa")).containsExactly("aa");
        assertThat(sub("(\\d+)", "<\\1>\\n\\\\", "a12b")).isEqualTo("a<12>\n\\b");
        assertThat(sub("(a)|b", "[\\1]", "ab")).isEqualTo("[a][]"); // an unmatched group inserts nothing
    }

    @Test
    void endOfStringAndLineRulesArePythons() {
        assertThat(findall("^\\w+\\Z", 0, "abc\n")).isEmpty();
        assertThat(findall("^\\w+$", 0, "abc\n")).containsExactly("abc");
        assertThat(findall("^b", PythonRegex.MULTILINE, "a\rb\nb")).hasSize(1); // \r is no line end in Python
        assertThat(findall("(?s:a.b)|c", 0, "a\nbc")).containsExactly("a\nb", "c");
        assertThat(findall("a.b", PythonRegex.DOTALL, "a\nb")).containsExactly("a\nb");
    }

    @Test
    void flagsInlineAndAsArguments() {
        assertThat(sub("(?i)ABC", "x", "abc")).isEqualTo("x");
        assertThat(findall("abc", PythonRegex.IGNORECASE, "ABC")).containsExactly("ABC");
        assertThat(findall("\\w+", 0, "héllo wörld")).containsExactly("héllo", "wörld");
        assertThat(findall("(?a)\\w+", 0, "héllo")).containsExactly("h", "llo");
        assertThat(findall("\\w+", PythonRegex.ASCII, "héllo")).containsExactly("h", "llo");
        assertThat(sub("(?x) a  b # c", "!", "ab")).isEqualTo("!");
        assertThat(findall("a b", PythonRegex.VERBOSE, "ab")).containsExactly("ab");
    }

    @Test
    void literalBracesBracketsAndEscapes() {
        assertThat(sub("a{,2}", "x", "aaa")).isEqualTo("xxx");
        assertThat(sub("a{", "x", "a{b")).isEqualTo("xb");
        assertThat(sub("[[]", "!", "a[b")).isEqualTo("a!b");
        assertThat(sub("[]a]", "!", "]a")).isEqualTo("!!");
        assertThat(sub("\\x41\\101\\U0001F600", "!", "AA\uD83D\uDE00")).isEqualTo("!");
        assertThat(sub("(?#a comment)b", "!", "b")).isEqualTo("!");
        assertThat(sub("\\v", "!", "\u000b")).isEqualTo("!");
    }

    @Test
    void escapeIsPython37s() {
        assertThat(PythonRegex.escape("a.b*c d-e/f:g_h!é")).isEqualTo("a\\.b\\*c\\ d\\-e/f:g_h!é");
        String s = "1.2(3)[x]{y}?+|^$\\";
        assertThat(findall(PythonRegex.escape(s), 0, s)).containsExactly(s);
    }

    @Test
    void whatPythonRefusesOrJavaCannotDoFailsClearly() {
        assertThatThrownBy(() -> PythonRegex.compile("\\q", 0)).hasMessageContaining("bad escape \\q");
        assertThatThrownBy(() -> PythonRegex.compile("(a)\\2", 0)).hasMessageContaining("invalid group reference 2");
        assertThatThrownBy(() -> PythonRegex.compile("(?P<a>x)(?P<a>y)", 0)).hasMessageContaining("redefinition");
        assertThatThrownBy(() -> PythonRegex.compile("(?P=nope)", 0)).hasMessageContaining("unknown group name 'nope'");
        assertThatThrownBy(() -> PythonRegex.compile("(a)?(?(1)b|c)", 0)).hasMessageContaining("conditional groups");
        assertThatThrownBy(() -> PythonRegex.compile("(?<n>a)", 0)).hasMessageContaining("(?P<name>...)");
        assertThatThrownBy(() -> PythonRegex.compile("(", 0)).hasMessageContaining("invalid regular expression");
        PythonRegex re = PythonRegex.compile("(a)", 0);
        assertThatThrownBy(() -> re.replacement("\\2")).hasMessageContaining("invalid group reference 2");
        assertThatThrownBy(() -> re.replacement("\\g<zz>")).hasMessageContaining("unknown group name 'zz'");
        assertThatThrownBy(() -> re.replacement("\\q")).hasMessageContaining("bad escape \\q");
    }

    @Test
    void workIsBounded() {
        assertThatThrownBy(() -> PythonRegex.compile("x".repeat(PythonRegex.MAX_PATTERN_LENGTH + 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("over the limit");
        Matcher m = PythonRegex.compile("(.*a){15}c", 0).matcher("a".repeat(30));
        long start = System.nanoTime();
        assertThatThrownBy(m::find).isInstanceOf(RegexSubject.TooSlow.class)
                .hasMessageContaining("catastrophic backtracking");
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void replacementForJavasOwnMethods() {
        PythonRegex re = PythonRegex.compile("(?P<k>\\w+)=(\\d)", 0);
        assertThat(re.replacement("\\g<k>:\\2$1")).isEqualTo("$1:$2\\$\\1");
        assertThat(re.matcher("a=1").replaceAll(re.replacement("\\g<k>:\\2$1"))).isEqualTo("a:1$1");
    }
}
