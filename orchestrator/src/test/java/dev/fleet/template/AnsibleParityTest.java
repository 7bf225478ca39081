package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Template behaviours that differed from Ansible 2.14; each expected value is what ansible-core 2.14 answers. */
class AnsibleParityTest {
    private static final JinjaTemplater T = new JinjaTemplater();

    private static Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("nums", List.of(1, 2, 3));
        v.put("one", 1);
        v.put("d", Map.of("x", 1));
        v.put("nested", Map.of("l", List.of(Map.of("n", 2))));
        v.put("xs", List.of("a", "b"));
        v.put("s_false", "false");
        v.put("s_no", "no");
        v.put("s_zero", "0");
        v.put("s_empty", "");
        v.put("s_expr", "1 == 2");
        v.put("n0", 0);
        v.put("n1", 1);
        v.put("l0", List.of());
        v.put("d0", Map.of());
        v.put("b_false", false);
        return v;
    }

    private static Object r(String template) throws TemplateException {
        return T.render(template, vars());
    }

    private static boolean when(String condition) throws TemplateException {
        return T.evaluate(condition, vars());
    }

    @Test
    void integersFromVariablesEqualIntegerLiteralsInsideListsAndDicts() throws Exception {
        assertThat(r("{{ nums == [1, 2, 3] }}")).isEqualTo(true);
        assertThat(r("{{ [one] == [1] }}")).isEqualTo(true);
        assertThat(r("{{ d == {'x': 1} }}")).isEqualTo(true);
        assertThat(r("{{ nested == {'l': [{'n': 2}]} }}")).isEqualTo(true);
        assertThat(r("{{ nums != [1, 2] }}")).isEqualTo(true);
        assertThat(when("nums == [1, 2, 3] and d == {'x': 1}")).isTrue();
        // and the values still come out as the Integers the rest of fleet expects
        assertThat(r("{{ nums }}")).isEqualTo(List.of(1, 2, 3));
        assertThat(r("{{ d }}")).isEqualTo(Map.of("x", 1));
        assertThat(r("{{ one }}")).isEqualTo(1);
    }

    @Test
    void widenedNumbersStillBehaveAsBefore() throws Exception {
        assertThat(r("{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}"
                + " {{ d.keys() | list }} {{ d | dict2items }}"))
                .isEqualTo("x=1 ['x'] [{'key': 'x', 'value': 1}]");
        assertThat(r("{{ nums | sum }} {{ nums | max }} {{ nums | sort | reverse | list }}"
                + " {{ nums[0] + 1 }} {{ one * 2 }}"))
                .isEqualTo("6 3 [3, 2, 1] 2 2");
        assertThat(r("{{ one is number }} {{ one | string }} {{ one | type_debug }}"
                + " {{ 2 in nums }} {{ nums | length }}"))
                .isEqualTo("True 1 int True 3");
        assertThat(r("{{ nums | map('int') | list }}")).isEqualTo(List.of(1, 2, 3));
        assertThat(r("{{ d.x }}")).isEqualTo(1);
    }

    @Test
    void conditionOnABareVariableIsPythonTruth() throws Exception {
        assertThat(when("s_false")).isTrue();
        assertThat(when("s_no")).isTrue();
        assertThat(when("s_zero")).isTrue();
        assertThat(when("s_expr")).isTrue(); // a variable's text is not evaluated again
        assertThat(when("s_false and true")).isTrue();
        assertThat(when("'false'")).isTrue();
        assertThat(when("s_empty")).isFalse();
        assertThat(when("n0")).isFalse();
        assertThat(when("n1")).isTrue();
        assertThat(when("l0")).isFalse();
        assertThat(when("d0")).isFalse();
        assertThat(when("b_false")).isFalse();
        assertThat(when("false")).isFalse();
        assertThat(when("False")).isFalse();
        assertThat(when("true")).isTrue();
        assertThat(when("{{ s_false }}")).isFalse(); // rendered to "false", which is then the condition
        assertThat(when("not s_false")).isFalse();
        assertThat(r("{{ 'y' if s_false else 'n' }}{% if s_false %}y{% endif %}")).isEqualTo("yy");
    }

    @Test
    void dotNumberIndexesAList() throws Exception {
        assertThat(when("xs.0 == 'a'")).isTrue();
        assertThat(r("{{ xs.1 }}")).isEqualTo("b");
        assertThat(r("{{ nested.l.0.n }}")).isEqualTo(2);
        assertThat(r("x{{ xs.0 }}y {{ 'xs.0' }} 1.5 {{ 1.5 + 0.5 }}")).isEqualTo("xay xs.0 1.5 2.0");
        assertThat(r("{% if xs.1 == 'b' %}yes{% endif %} {# xs.0 #}")).isEqualTo("yes ");
        assertThatThrownBy(() -> r("{{ xs.5 }}")).isInstanceOf(TemplateException.class);
    }

    @Test
    void regexFiltersSpeakPython() throws Exception {
        assertThat(r("{{ 'john smith' | regex_replace('(?P<first_name>\\\\w+) (?P<last>\\\\w+)',"
                + " '\\\\g<last> \\\\g<first_name>') }}")).isEqualTo("smith john");
        assertThat(r("{{ 'a=1' | regex_search('(?P<k_1>\\\\w)=(\\\\d)', '\\\\g<k_1>', '\\\\2') }}"))
                .isEqualTo(List.of("a", "1"));
        assertThat(r("{{ 'ab\\n' is search('b\\\\Z') }}")).isEqualTo(false);
        assertThat(r("{{ 'aXa' is match('(?P<c>a)X(?P=c)') }}")).isEqualTo(true);
        assertThat(r("{{ 'a1b22' | regex_findall('\\\\d{1,}') }}")).isEqualTo(List.of("1", "22"));
        assertThat(r("{{ 'a.b' | regex_escape }}")).isEqualTo("a\\.b");
    }

    @Test
    void hugeOrRunawayPatternsFailFastWithATemplateException() {
        String huge = "{{ 'abc' | regex_replace('" + "x".repeat(448_000) + "a(b)', '\\\\1') }}";
        long start = System.nanoTime();
        assertThatThrownBy(() -> r(huge)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("over the limit");
        assertThatThrownBy(() -> r("{{ '" + "a".repeat(30) + "' is search('(.*a){15}c') }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("catastrophic backtracking");
        assertThat(System.nanoTime() - start).isLessThan(8_000_000_000L);
    }
}
