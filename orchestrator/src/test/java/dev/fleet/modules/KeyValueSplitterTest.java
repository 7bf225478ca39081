package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ansible's key=value rules; every expectation was checked against ansible-core 2.14's parse_kv. */
class KeyValueSplitterTest {

    private static Map<String, String> kv(String text) throws Exception {
        KeyValueSplitter.Parsed p = KeyValueSplitter.parse(text, null);
        Map<String, String> out = new LinkedHashMap<>(p.options());
        if (p.rawParams() != null) out.put("_raw_params", p.rawParams());
        return out;
    }

    private static Map<String, String> command(String text) throws Exception {
        KeyValueSplitter.Parsed p = KeyValueSplitter.parse(text, ArgSpec.FREE_FORM_KEYS);
        Map<String, String> out = new LinkedHashMap<>(p.options());
        if (p.rawParams() != null) out.put("_raw_params", p.rawParams());
        return out;
    }

    @Test
    void templateBlocksStayWholeWithTheirSpaces() throws Exception {
        assertThat(kv("port={{ p }} host=127.0.0.1 timeout=5"))
                .containsExactly(Map.entry("port", "{{ p }}"), Map.entry("host", "127.0.0.1"),
                        Map.entry("timeout", "5"));
        assertThat(kv("url=http://{{ inventory_hostname }}/x")).containsExactly(
                Map.entry("url", "http://{{ inventory_hostname }}/x"));
        assertThat(kv("msg={{ a }}=b")).containsExactly(Map.entry("msg", "{{ a }}=b"));
        assertThat(kv("cmd=\"{{ a | default('x y') }}\""))
                .containsExactly(Map.entry("cmd", "{{ a | default('x y') }}"));
        assertThat(kv("{# c #} a=1")).containsExactly(Map.entry("a", "1"), Map.entry("_raw_params", "{# c #}"));
        assertThat(KeyValueSplitter.split("when=\"{{ x }}\" y={% raw %}a b{% endraw %}"))
                .containsExactly("when=\"{{ x }}\"", "y={% raw %}a", "b{% endraw %}");
    }

    @Test
    void emptyValuesAndQuotes() throws Exception {
        assertThat(kv("msg=")).containsExactly(Map.entry("msg", ""));
        assertThat(kv("k=\"\" j=")).containsExactly(Map.entry("k", ""), Map.entry("j", ""));
        assertThat(kv("a=\"b c\" d='e f' g=\"h\\\"i\""))
                .containsExactly(Map.entry("a", "b c"), Map.entry("d", "e f"), Map.entry("g", "h\"i"));
        assertThat(kv("a=b=c")).containsExactly(Map.entry("a", "b=c"));
        assertThat(kv("x==y")).containsExactly(Map.entry("x", "=y"));
        assertThat(kv("a=1   b=2")).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
    }

    @Test
    void backslashEscapesAreDecodedInValues() throws Exception {
        assertThat(kv("msg=a\\nb")).containsExactly(Map.entry("msg", "a\nb"));
        assertThat(kv("path=C:\\temp\\new x=\\x41\\u00e9"))
                .containsExactly(Map.entry("path", "C:\temp\new"), Map.entry("x", "Aé"));
        // an escaped '=' does not split; alone it leaves the word free-form text
        assertThat(kv("a\\=b c=d")).containsExactly(Map.entry("c", "d"), Map.entry("_raw_params", "a=b"));
    }

    @Test
    void commandFreeFormKeepsItsTextAndOnlyItsOwnKeys() throws Exception {
        assertThat(command("echo a=b chdir=/tmp"))
                .containsExactly(Map.entry("chdir", "/tmp"), Map.entry("_raw_params", "echo a=b"));
        assertThat(command("creates={{ d }}/x\necho hi\n"))
                .containsExactly(Map.entry("creates", "{{ d }}/x"), Map.entry("_raw_params", "echo hi\n"));
        assertThat(command("chdir=/tmp echo \"a  b\"\nls"))
                .containsExactly(Map.entry("chdir", "/tmp"), Map.entry("_raw_params", "echo \"a  b\"\nls"));
        assertThat(command("echo \"{{ x }}\"  two  spaces"))
                .containsExactly(Map.entry("_raw_params", "echo \"{{ x }}\"  two  spaces"));
        assertThat(command("port={{ p }} timeout=5"))
                .containsExactly(Map.entry("_raw_params", "port={{ p }} timeout=5"));
        assertThat(kv("echo \"a  b\"   c=d")).containsExactly(Map.entry("c", "d"),
                Map.entry("_raw_params", "echo \"a  b\"  "));
    }

    @Test
    void lineContinuationJoinsLines() throws Exception {
        assertThat(kv("k=\"v\" \\\n next=1")).containsExactly(Map.entry("k", "v"), Map.entry("next", "1"));
        assertThat(KeyValueSplitter.split("a\n\nb")).isEqualTo(List.of("a\n\n", "b"));
    }

    @Test
    void unbalancedQuotesOrBlocksAreRefused() {
        for (String bad : List.of("a=\"b c", "{{ x", "x={% if y", "msg='it")) {
            assertThatThrownBy(() -> KeyValueSplitter.parse(bad, Set.of()))
                    .isInstanceOf(KeyValueSplitter.Unbalanced.class).hasMessageContaining(bad);
        }
    }
}
