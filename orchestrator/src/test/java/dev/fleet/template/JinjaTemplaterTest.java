package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class JinjaTemplaterTest {
    private static final JinjaTemplater T = new JinjaTemplater();

    private final Map<String, Object> vars = vars();

    private static Map<String, Object> vars() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", "web1");
        v.put("port", 8080);
        v.put("ratio", 2.5);
        v.put("flag", true);
        v.put("off", false);
        v.put("nothing", null);
        v.put("items", List.of("a", "b", "c"));
        v.put("no_items", List.of());
        v.put("nums", List.of(3, 1, 2, 2));
        v.put("users", List.of(Map.of("name", "ann", "uid", 1001), Map.of("name", "bob", "uid", 1002)));
        v.put("out", Map.of("stdout", "hello", "lines", List.of("a", "b")));
        v.put("result", registered(1, "Connection timed out\nretrying", true, false));
        v.put("ok", registered(0, "version 8.2.1", false, true));
        Map<String, Object> skipped = new LinkedHashMap<>();
        skipped.put("skipped", true);
        skipped.put("changed", false);
        v.put("skip", skipped);
        v.put("str_true", "True");
        v.put("str_no", "no");
        return v;
    }

    private static Map<String, Object> registered(int rc, String stdout, boolean failed, boolean changed) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("changed", changed);
        r.put("failed", failed);
        r.put("skipped", false);
        r.put("rc", rc);
        r.put("stdout", stdout);
        r.put("stderr", "");
        r.put("stdout_lines", List.of(stdout.split("\n")));
        r.put("msg", failed ? "non-zero return code" : "");
        return r;
    }

    private Object r(String template) throws TemplateException {
        return T.render(template, vars);
    }

    private boolean when(String condition) throws TemplateException {
        return T.evaluate(condition, vars);
    }

    // ---- rendering and types ------------------------------------------------------------------------------

    @Test
    void rendersVariablesPathsAndStatements() throws Exception {
        assertThat(r("host {{ name }}:{{port}}")).isEqualTo("host web1:8080");
        assertThat(r("{{ out.stdout }} {{ out.lines[1] }} {{ out['stdout'] }} {{ items[-1] }}")).isEqualTo("hello b hello c");
        assertThat(r("{% for i in items %}{{ i }}{% if not loop.last %},{% endif %}{% endfor %}")).isEqualTo("a,b,c");
        assertThat(r("{% if flag %}on{% else %}off{% endif %}")).isEqualTo("on");
        assertThat(r("{% set x = port + 1 %}{{ x }}")).isEqualTo("8081");
        assertThat(r("{% for k, v in out | dictsort %}{{ k }} {% endfor %}")).isEqualTo("lines stdout ");
        assertThat(r("{# a comment #}text")).isEqualTo("text");
        assertThat(r("{{ 'web1' if flag else 'none' }}")).isEqualTo("web1");
        assertThat(r("line\n")).isEqualTo("line\n");
        assertThat(r("{{ name }}\n")).isEqualTo("web1\n");
    }

    @Test
    void stringsWithoutTemplatingAreReturnedAsTheyAre() throws Exception {
        String s = "plain } { text";
        assertThat(T.render(s, Map.of())).isSameAs(s);
        assertThat(T.render(null, Map.of())).isNull();
    }

    @Test
    void aLoneExpressionKeepsItsType() throws Exception {
        assertThat(r("{{ port }}")).isEqualTo(8080);
        assertThat(r("{{ port + 1 }}")).isEqualTo(8081);
        assertThat(r("{{ ratio }}")).isEqualTo(2.5);
        assertThat(r("{{ flag }}")).isEqualTo(true);
        assertThat(r("{{ nothing }}")).isNull();
        assertThat(r("{{ items }}")).isEqualTo(List.of("a", "b", "c"));
        assertThat(r("{{ out }}")).isEqualTo(Map.of("stdout", "hello", "lines", List.of("a", "b")));
        assertThat(r("{{ [1, 'x', true] }}")).isEqualTo(List.of(1, "x", true));
        assertThat(r("{{ {'k': name, 'n': 2} }}")).isEqualTo(Map.of("k", "web1", "n", 2));
        assertThat(r("{{- port -}}")).isEqualTo(8080);
        assertThat(r("{{ port }} ")).isEqualTo("8080 ");
        assertThat(r("{{ port }}{{ port }}")).isEqualTo("80808080");
    }

    @Test
    void printsLikePython() throws Exception {
        assertThat(r("x={{ flag }} y={{ off }}")).isEqualTo("x=True y=False");
        assertThat(r("{{ items }} ")).isEqualTo("['a', 'b', 'c'] ");
        assertThat(r("v: {{ [1, none, true, \"it's\"] }}")).isEqualTo("v: [1, None, True, \"it's\"]");
        assertThat(r("v: {{ {'a': [1.5]} }}")).isEqualTo("v: {'a': [1.5]}");
        assertThat(r("[{{ nothing }}]")).isEqualTo("[]"); // None prints as nothing, as in Ansible
    }

    // ---- undefined ----------------------------------------------------------------------------------------

    @Test
    void anUndefinedVariableNamesTheVariable() {
        assertThatThrownBy(() -> r("listen = {{ php_socket }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("'php_socket' is undefined");
        assertThatThrownBy(() -> r("{{ php_socket }}")).hasMessageContaining("'php_socket' is undefined");
        assertThatThrownBy(() -> r("{{ result.missing }}")).hasMessageContaining("'result.missing' is undefined");
        assertThatThrownBy(() -> r("{{ result.missing.deeper }}")).hasMessageContaining("'result.missing' is undefined");
        assertThatThrownBy(() -> r("{{ out.lines[7] }}")).hasMessageContaining("'out.lines[7]' is undefined");
        assertThatThrownBy(() -> r("{{ nope.attr }}")).hasMessageContaining("'nope' is undefined");
        assertThatThrownBy(() -> r("{% if nope %}x{% endif %}")).hasMessageContaining("'nope' is undefined");
        assertThatThrownBy(() -> r("{% for i in nope %}x{% endfor %}")).hasMessageContaining("'nope' is undefined");
    }

    @Test
    void anUndefinedValueCannotBeUsedQuietly() {
        for (String t : List.of("{{ nope == 1 }}", "{{ nope ~ 'x' }}", "{{ 1 + nope }}", "{{ nope | upper }}",
                "{{ nope | length }}", "{{ items | join(nope) }}", "{{ nope is string }}", "{{ nope is none }}",
                "{{ 'a' in nope }}", "{{ [nope] }}", "{{ nope or 1 }}", "{{ name.startswith(nope) }}")) {
            assertThatThrownBy(() -> r(t)).as(t).isInstanceOf(TemplateException.class)
                    .hasMessageContaining("'nope' is undefined");
        }
    }

    @Test
    void definedDefaultAndMandatoryAcceptUndefined() throws Exception {
        assertThat(r("{{ nope is defined }}")).isEqualTo(false);
        assertThat(r("{{ nope is not defined }}")).isEqualTo(true);
        assertThat(r("{{ nope is undefined }}")).isEqualTo(true);
        assertThat(r("{{ name is defined }}")).isEqualTo(true);
        assertThat(r("{{ nothing is defined }}")).isEqualTo(true); // None is defined
        assertThat(r("{{ result.missing is defined }}")).isEqualTo(false);
        assertThat(r("{{ nope.deeper is defined }}")).isEqualTo(false);
        assertThat(r("{{ nope | default('y') }}")).isEqualTo("y");
        assertThat(r("{{ nope | d(5) }}")).isEqualTo(5);
        assertThat(r("{{ result.missing | default([]) }}")).isEqualTo(List.of());
        assertThat(r("{{ name | default('y') }}")).isEqualTo("web1");
        assertThat(r("{{ '' | default('y') }}")).isEqualTo("");
        assertThat(r("{{ '' | default('y', true) }}")).isEqualTo("y");
        assertThat(r("{{ nothing | default('y', true) }}")).isEqualTo("y");
        assertThat(r("{{ name | mandatory }}")).isEqualTo("web1");
        assertThatThrownBy(() -> r("{{ nope | mandatory }}")).hasMessageContaining("Mandatory variable 'nope' not defined");
        assertThatThrownBy(() -> r("{{ nope | mandatory('set nope!') }}")).hasMessageContaining("set nope!");
    }

    // ---- conditions ---------------------------------------------------------------------------------------

    @Test
    void evaluatesAnsibleConditions() throws Exception {
        assertThat(when("result.rc != 0")).isTrue();
        assertThat(when("ok.rc != 0")).isFalse();
        assertThat(when("'timed out' in result.stdout")).isTrue();
        assertThat(when("'timed out' not in ok.stdout")).isTrue();
        assertThat(when("x is defined")).isFalse();
        assertThat(when("x is not defined")).isTrue();
        assertThat(when("result is failed")).isTrue();
        assertThat(when("ok is failed")).isFalse();
        assertThat(when("ok is changed")).isTrue();
        assertThat(when("result is changed")).isFalse();
        assertThat(when("ok is succeeded")).isTrue();
        assertThat(when("ok is success")).isTrue();
        assertThat(when("result is success")).isFalse();
        assertThat(when("skip is skipped")).isTrue();
        assertThat(when("ok is skipped")).isFalse();
        assertThat(when("items | length > 0")).isTrue();
        assertThat(when("no_items | length > 0")).isFalse();
        assertThat(when("flag and not off")).isTrue();
        assertThat(when("flag and off")).isFalse();
        assertThat(when("off or (port == 8080)")).isTrue();
        assertThat(when("str_true | bool")).isTrue();
        assertThat(when("str_no | bool")).isFalse();
        assertThat(when("items")).isTrue();
        assertThat(when("no_items")).isFalse();
        assertThat(when("ok.stdout is search('8\\\\.2')")).isTrue();
        assertThat(when("'a' in items and 'z' not in items")).isTrue();
        assertThat(when("port in [80, 8080]")).isTrue();
    }

    @Test
    void conditionsGivenAsYamlBooleansOrBraces() throws Exception {
        for (String t : List.of("True", "true", "yes", "on", "Yes")) assertThat(when(t)).as(t).isTrue();
        for (String t : List.of("False", "false", "no", "off")) assertThat(when(t)).as(t).isFalse();
        assertThat(when("str_true")).isTrue();   // a variable holding "True" (extra vars are strings)
        assertThat(when("str_no")).isTrue();     // Ansible 2.14: any non-empty string is true, even "no"
        assertThat(when("{{ flag }}")).isTrue();
        assertThat(when("{{ result.rc != 0 }}")).isTrue();
    }

    @Test
    void anUndefinedVariableInAConditionIsAnErrorNotFalse() {
        assertThatThrownBy(() -> when("reslt.rc != 0")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("'reslt' is undefined");
        assertThatThrownBy(() -> when("missing_flag")).hasMessageContaining("'missing_flag' is undefined");
        assertThatThrownBy(() -> when("result.nokey == 1")).hasMessageContaining("'result.nokey' is undefined");
        assertThatThrownBy(() -> when("")).isInstanceOf(TemplateException.class);
    }

    // ---- filters ------------------------------------------------------------------------------------------

    @Test
    void conversionFilters() throws Exception {
        assertThat(r("{{ '42' | int }}")).isEqualTo(42);
        assertThat(r("{{ '4.7' | int }}")).isEqualTo(4);
        assertThat(r("{{ 'x' | int }}")).isEqualTo(0);
        assertThat(r("{{ 'x' | int(7) }}")).isEqualTo(7);
        assertThat(r("{{ '0x1F' | int(0, 16) }}")).isEqualTo(31);
        assertThat(r("{{ '2.5' | float }}")).isEqualTo(2.5);
        assertThat(r("{{ port | float }}")).isEqualTo(8080.0);
        for (String yes : List.of("yes", "Yes", "on", "true", "True", "1")) {
            assertThat(r("{{ '" + yes + "' | bool }}")).as(yes).isEqualTo(true);
        }
        for (String no : List.of("no", "off", "false", "0", "maybe", "")) {
            assertThat(r("{{ '" + no + "' | bool }}")).as(no).isEqualTo(false);
        }
        assertThat(r("{{ 1 | bool }}")).isEqualTo(true);
        assertThat(r("{{ flag | string }}")).isEqualTo("True");
        assertThat(r("{{ port | string }}")).isEqualTo("8080");
        assertThat(r("{{ items | string }}")).isEqualTo("['a', 'b', 'c']");
        assertThat(r("{{ port | type_debug }}")).isEqualTo("int");
    }

    @Test
    void stringFilters() throws Exception {
        assertThat(r("{{ 'MiXeD' | lower }} {{ 'MiXeD' | upper }}")).isEqualTo("mixed MIXED");
        assertThat(r("[{{ '  pad  ' | trim }}]")).isEqualTo("[pad]");
        assertThat(r("{{ items | join(',') }}")).isEqualTo("a,b,c");
        assertThat(r("{{ [1, true] | join(' ') }}")).isEqualTo("1 True");
        assertThat(r("{{ users | join(', ', attribute='name') }}")).isEqualTo("ann, bob");
        assertThat(r("{{ 'a,b,,c' | split(',') }}")).isEqualTo(List.of("a", "b", "", "c"));
        assertThat(r("{{ '  a  b ' | split }}")).isEqualTo(List.of("a", "b"));
        assertThat(r("{{ 'a-b-c' | replace('-', '+') }}")).isEqualTo("a+b+c");
        assertThat(r("{{ '/etc/nginx/nginx.conf' | basename }}")).isEqualTo("nginx.conf");
        assertThat(r("{{ '/etc/nginx/nginx.conf' | dirname }}")).isEqualTo("/etc/nginx");
        assertThat(r("{{ 'file' | dirname }}")).isEqualTo("");
        assertThat(r("{{ 'simple' | quote }}")).isEqualTo("simple");
        assertThat(r("{{ 'two words' | quote }}")).isEqualTo("'two words'");
        assertThat(r("{{ \"it's; rm -rf /\" | quote }}")).isEqualTo("'it'\"'\"'s; rm -rf /'");
        assertThat(r("{{ '' | quote }}")).isEqualTo("''");
        assertThat(r("{{ 'héllo' | b64encode }}")).isEqualTo("aMOpbGxv");
        assertThat(r("{{ 'aMOpbGxv' | b64decode }}")).isEqualTo("héllo");
    }

    @Test
    void pythonStringMethods() throws Exception {
        assertThat(r("{{ name.startswith('web') }} {{ name.endswith('x') }}")).isEqualTo("True False");
        assertThat(r("{{ ' x '.strip() }}|{{ 'a,b'.split(',') }}|{{ name.upper() }}|{{ name.replace('web', 'db') }}"))
                .isEqualTo("x|['a', 'b']|WEB1|db1");
        assertThat(r("{{ 'l1\nl2'.splitlines() }}")).isEqualTo(List.of("l1", "l2"));
    }

    @Test
    void regexFilters() throws Exception {
        assertThat(r("{{ ok.stdout | regex_search('\\\\d+\\\\.\\\\d+') }}")).isEqualTo("8.2");
        assertThat(r("{{ ok.stdout | regex_search('version (\\\\d+)', '\\\\1') }}")).isEqualTo(List.of("8"));
        assertThat(r("{{ ok.stdout | regex_search('(?P<major>\\\\d+)\\\\.', '\\\\g<major>') }}")).isEqualTo(List.of("8"));
        assertThat(r("{{ ok.stdout | regex_search('nomatch') }}")).isNull();
        assertThat(r("[{{ ok.stdout | regex_search('nomatch') }}]")).isEqualTo("[]");
        assertThat(r("{{ 'HELLO' | regex_search('hello', ignorecase=true) }}")).isEqualTo("HELLO");
        assertThat(r("{{ 'host-01' | regex_replace('^host-(\\\\d+)$', 'node\\\\1') }}")).isEqualTo("node01");
        assertThat(r("{{ 'a.b.c' | regex_replace('\\\\.', '/') }}")).isEqualTo("a/b/c");
        assertThat(r("{{ 'cost $5' | regex_replace('cost', '$') }}")).isEqualTo("$ $5");
        assertThat(r("{{ 'k1=v1 k2=v2' | regex_findall('(\\\\w+)=(\\\\w+)') }}"))
                .isEqualTo(List.of(List.of("k1", "v1"), List.of("k2", "v2")));
        assertThat(r("{{ 'a1b22c333' | regex_findall('\\\\d+') }}")).isEqualTo(List.of("1", "22", "333"));
        assertThatThrownBy(() -> r("{{ 'x' | regex_search('(unclosed') }}")).hasMessageContaining("invalid regular expression");
    }

    @Test
    void jsonAndYamlFilters() throws Exception {
        assertThat(r("{{ {'a': 1, 'b': [true, none, 'x']} | to_json }}")).isEqualTo("{\"a\": 1, \"b\": [true, null, \"x\"]}");
        assertThat(r("{{ {'b': 1, 'a': 2} | to_nice_json }}")).isEqualTo("{\n    \"a\": 2,\n    \"b\": 1\n}");
        Map<String, Object> parsed = new LinkedHashMap<>();
        parsed.put("a", List.of(1, 2.5, "x"));
        parsed.put("b", null);
        assertThat(r("{{ '{\"a\": [1, 2.5, \"x\"], \"b\": null}' | from_json }}")).isEqualTo(parsed);
        assertThat(r("{{ ('{\"n\": 3}' | from_json).n + 1 }}")).isEqualTo(4);
        assertThat(r("{{ {'a': 1, 'b': ['x']} | to_yaml }}")).isEqualTo("a: 1\nb: [x]\n"); // as PyYAML writes it
        assertThat(r("{{ {'a': {'b': 1} } | to_nice_yaml }}")).isEqualTo("a:\n    b: 1\n");
        assertThat(r("{{ 'a: [1, 2]' | from_yaml }}")).isEqualTo(Map.of("a", List.of(1, 2)));
        assertThatThrownBy(() -> r("{{ '{broken' | from_json }}")).hasMessageContaining("from_json");
    }

    @Test
    void listFilters() throws Exception {
        assertThat(r("{{ items | length }} {{ items | count }} {{ 'abc' | length }}")).isEqualTo("3 3 3");
        assertThat(r("{{ items | first }}{{ items | last }}")).isEqualTo("ac");
        assertThat(r("{{ nums | unique }}")).isEqualTo(List.of(3, 1, 2));
        assertThat(r("{{ nums | sort }}")).isEqualTo(List.of(1, 2, 2, 3));
        assertThat(r("{{ nums | sort(reverse=true) }}")).isEqualTo(List.of(3, 2, 2, 1));
        assertThat(r("{{ nums | min }} {{ nums | max }}")).isEqualTo("1 3");
        assertThat(r("{{ users | max(attribute='uid') }}")).isEqualTo(Map.of("name", "bob", "uid", 1002));
        assertThat(r("{{ users | map(attribute='name') | list }}")).isEqualTo(List.of("ann", "bob"));
        assertThat(r("{{ items | map('upper') | list }}")).isEqualTo(List.of("A", "B", "C"));
        assertThat(r("{{ users | selectattr('uid', 'gt', 1001) | map(attribute='name') | list }}")).isEqualTo(List.of("bob"));
        assertThat(r("{{ users | rejectattr('name', 'equalto', 'bob') | map(attribute='uid') | list }}")).isEqualTo(List.of(1001));
        assertThat(r("{{ items | select('match', '[ab]') | list }}")).isEqualTo(List.of("a", "b"));
        assertThat(r("{{ items | reject('equalto', 'b') | list }}")).isEqualTo(List.of("a", "c"));
        assertThat(r("{{ [[1, [2]], 3] | flatten }}")).isEqualTo(List.of(1, 2, 3));
        assertThat(r("{{ {'a': 1, 'n': {'x': 1} } | combine({'b': 2, 'n': {'y': 2} }, recursive=true) }}"))
                .isEqualTo(Map.of("a", 1, "b", 2, "n", Map.of("x", 1, "y", 2)));
        assertThat(r("{{ {'a': 1} | dict2items }}")).isEqualTo(List.of(Map.of("key", "a", "value", 1)));
        assertThat(r("{{ [{'key': 'a', 'value': 1}] | items2dict }}")).isEqualTo(Map.of("a", 1));
    }

    @Test
    void numberFilters() throws Exception {
        assertThat(r("{{ -5 | abs }}")).isEqualTo(5);
        assertThat(r("{{ -2.5 | abs }}")).isEqualTo(2.5);
        assertThat(r("{{ 3.14159 | round(2) }}")).isEqualTo(3.14);
        assertThat(r("{{ 2.5 | round }}")).isEqualTo(3.0);
        assertThat(r("{{ 2.1 | round(0, 'ceil') }}")).isEqualTo(3.0);
        assertThat(r("{{ 2.9 | round(0, 'floor') }}")).isEqualTo(2.0);
    }

    @Test
    void ternaryFilter() throws Exception {
        assertThat(r("{{ flag | ternary('yes', 'no') }}")).isEqualTo("yes");
        assertThat(r("{{ off | ternary('yes', 'no') }}")).isEqualTo("no");
        assertThat(r("{{ nothing | ternary('yes', 'no', 'null') }}")).isEqualTo("null");
    }

    // ---- tests --------------------------------------------------------------------------------------------

    @Test
    void tests() throws Exception {
        assertThat(r("{{ nothing is none }} {{ name is none }}")).isEqualTo("True False");
        assertThat(r("{{ name is string }} {{ port is string }}")).isEqualTo("True False");
        assertThat(r("{{ port is number }} {{ name is number }}")).isEqualTo("True False");
        assertThat(r("{{ 'b' in items }} {{ 'z' in items }} {{ 'ell' in 'hello' }}")).isEqualTo("True False True");
        assertThat(r("{{ name is match('web') }} {{ name is match('eb') }}")).isEqualTo("True False");
        assertThat(r("{{ name is search('eb') }} {{ name is regex('^w') }}")).isEqualTo("True True");
        assertThat(r("{{ '8.2.1' is version('8.2', '>=') }}")).isEqualTo(true);
        assertThat(r("{{ '8.10' is version('8.9', 'gt') }}")).isEqualTo(true);
        assertThat(r("{{ '1.2' is version('1.2.0', '<') }}")).isEqualTo(true);
        assertThat(r("{{ '2.0' is version_compare('2.0', '==') }}")).isEqualTo(true);
        assertThat(r("{{ items is contains('a') }}")).isEqualTo(true);
        assertThatThrownBy(() -> r("{{ name is failed }}")).hasMessageContaining("expects a dictionary");
    }

    @Test
    void loopedResultsAreChangedIfAnyItemChanged() throws Exception {
        Map<String, Object> looped = Map.of("results", List.of(Map.of("changed", false), Map.of("changed", true)));
        assertThat(T.evaluate("r is changed", Map.of("r", looped))).isTrue();
    }

    // ---- variables defined in terms of others ------------------------------------------------------------

    @Test
    void variablesHoldingTemplatesAreRendered() throws Exception {
        Map<String, Object> v = new HashMap<>(vars);
        v.put("base", "/srv/{{ name }}");
        v.put("conf", "{{ base }}/app.conf");
        v.put("count", "{{ port + 1 }}");
        v.put("loop_a", "{{ loop_b }}");
        v.put("loop_b", "{{ loop_a }}");
        v.put("registered", Map.of("stdout", "{{ not rendered }}"));
        assertThat(T.render("{{ conf }}", v)).isEqualTo("/srv/web1/app.conf");
        assertThat(T.render("{{ count }}", v)).isEqualTo(8081);
        assertThat(T.render("{{ registered.stdout }}", v)).isEqualTo("{{ not rendered }}");
        assertThat(T.render("out: {{ registered.stdout }}", v)).isEqualTo("out: {{ not rendered }}");
        assertThatThrownBy(() -> T.render("{{ loop_a }}", v)).hasMessageContaining("recursive loop detected");
    }

    // ---- errors and hostile input -------------------------------------------------------------------------

    @Test
    void syntaxErrorsSayWhatIsWrongWhere() {
        assertThatThrownBy(() -> r("{{ port + }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("syntax error").hasMessageContaining("port +");
        assertThatThrownBy(() -> r("{% if %}x{% endif %}")).hasMessageContaining("if");
        assertThatThrownBy(() -> r("{% for x in items %}x")).hasMessageContaining("endfor");
        assertThatThrownBy(() -> r("{{ items | nosuchfilter }}")).hasMessageContaining("no filter named 'nosuchfilter'");
        assertThatThrownBy(() -> r("{{ name is nosuchtest }}")).hasMessageContaining("no test named 'nosuchtest'");
        assertThatThrownBy(() -> when("result.rc !=")).hasMessageContaining("syntax error");
    }

    @Test
    void javaInternalsAreOutOfReach() {
        for (String t : List.of("{{ ''.__class__ }}", "{{ ''.getClass() }}", "{{ name.getClass().forName('java.lang.Runtime') }}",
                "{{ 'a'.repeat(100) }}", "{{ port.getClass() }}", "{{ items.getClass() }}")) {
            assertThatThrownBy(() -> r(t)).as(t).isInstanceOf(TemplateException.class);
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void runawayTemplatesAreStopped() {
        JinjaTemplater quick = new JinjaTemplater(Duration.ofMillis(500), 1 << 20);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> quick.render(
                "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}", vars))
                .isInstanceOf(TemplateException.class).hasMessageContaining("time budget");
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(10).toNanos());
        // output doubling: stopped by the size limit, long before memory runs out
        assertThatThrownBy(() -> quick.render(
                "{% set s = 'xxxxxxxx' %}{% for i in range(64) %}{% set s = s ~ s %}{% endfor %}{{ s }}", vars))
                .isInstanceOf(TemplateException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> quick.render("{% for i in range(100000) %}{{ items }}{% endfor %}", vars))
                .isInstanceOf(TemplateException.class);
        assertThatThrownBy(() -> quick.render("{{ name.zfill(2000000000) }}", vars)).isInstanceOf(TemplateException.class);
        // recursion
        assertThatThrownBy(() -> quick.render("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", vars))
                .isInstanceOf(TemplateException.class).hasMessageContaining("recursion");
        // catastrophic backtracking in a regex is bounded by the regex step limit or the time budget, whichever
        // comes first (which one depends on the machine's speed; both fail the same way)
        Map<String, Object> v = new HashMap<>(vars);
        v.put("aaa", "a".repeat(40) + "!");
        t0 = System.nanoTime();
        assertThatThrownBy(() -> quick.render("{{ aaa | regex_search('(.*a){20}$') }}", v))
                .isInstanceOf(TemplateException.class)
                .hasMessageMatching("(?s).*(time budget|catastrophic backtracking).*");
        assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void hugeRangesAndDeepNestingAreBounded() throws Exception {
        // range() past the limit fails rather than quietly giving its first 100000 numbers
        assertThatThrownBy(() -> r("{{ range(1000000000) | sum }}")).isInstanceOf(TemplateException.class)
                .hasMessageContaining("range() of 1000000000 numbers is over fleet's limit of 100000");
        assertThat(r("{{ range(100000) | list | length }}")).isEqualTo(100_000);
        assertThat(r("{{ range(10, 0, -3) | list }}")).isEqualTo(List.of(10, 7, 4, 1));
        assertThat(r("{{ range(0, 10**12, 10**8) | list | length }}")).isEqualTo(10_000);
        String deep = "(".repeat(50_000) + "1" + ")".repeat(50_000);
        assertThatThrownBy(() -> r("{{ " + deep + " }}")).isInstanceOf(TemplateException.class);
        String longText = "x".repeat(1_000_000) + "{{ name }}";
        assertThat(((String) r(longText))).endsWith("web1");
    }

    @Test
    void commandOutputIsNeverRenderedAgain() throws Exception {
        Map<String, Object> v = Map.of("out", Map.of("stdout", "{{ 7 * 6 }} {% for %}"));
        assertThat(T.render("got: {{ out.stdout }}", v)).isEqualTo("got: {{ 7 * 6 }} {% for %}");
    }

    // ---- concurrency --------------------------------------------------------------------------------------

    @Test
    void manyHostsRenderAtOnce() throws Exception {
        List<Future<Boolean>> results = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int h = 0; h < 200; h++) {
                int host = h;
                results.add(executor.submit(() -> {
                    Map<String, Object> v = new HashMap<>(vars);
                    v.put("host", "h" + host);
                    v.put("n", host);
                    for (int i = 0; i < 20; i++) {
                        Object out = T.render("{{ host }}:{% for i in range(3) %}{{ i + n }}{% endfor %}", v);
                        if (!out.equals("h" + host + ":" + host + (host + 1) + (host + 2))) return false;
                        if (!T.evaluate("host == 'h" + host + "' and n is defined", v)) return false;
                        if (!T.render("{{ n }}", v).equals(host)) return false;
                        try {
                            T.render("{{ undefined_" + host + " }}", v);
                            return false;
                        } catch (TemplateException e) {
                            if (!e.getMessage().contains("'undefined_" + host + "' is undefined")) return false;
                        }
                    }
                    return true;
                }));
            }
        }
        for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
    }
}
