package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ansible.builtin filters and tests. Every expected value is what {@code ansible localhost -m debug -a
 * "msg={{ ... }}"} printed with ansible-core 2.14 for the same expression.
 */
class AnsibleFiltersTest {
    private static final JinjaTemplater T = new JinjaTemplater();

    private static Object r(String expression) throws TemplateException {
        return T.render("{{ " + expression + " }}", Map.of());
    }

    private static boolean is(String condition) throws TemplateException {
        return T.evaluate(condition, Map.of());
    }

    @Test
    void hashes() throws Exception {
        assertThat(r("'hello' | hash")).isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assertThat(r("'hello' | hash('md5')")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(r("'hello' | hash('sha256')"))
                .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(r("'hello' | checksum")).isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assertThat(r("'hello' | sha1")).isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
        assertThat(r("'hello' | md5")).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(r("'hello' | to_uuid")).isEqualTo("9518e9b7-3af9-5e6c-b924-2eac65ffcd8e");
        assertThat(r("'hello' | to_uuid(namespace='11111111-2222-3333-4444-555555555555')"))
                .isEqualTo("6c8c748a-7d37-5691-a2b9-5fbae56a932f");
        assertThatThrownBy(() -> r("'x' | hash('nope')")).hasMessageContaining("unsupported hash type 'nope'");
    }

    @Test
    void paths() throws Exception {
        assertThat(r("['/etc', 'a', 'b.txt'] | path_join")).isEqualTo("/etc/a/b.txt");
        assertThat(r("['a', '/etc', 'x'] | path_join")).isEqualTo("/etc/x");
        assertThat(r("'/a/b.tar.gz' | splitext")).isEqualTo(List.of("/a/b.tar", ".gz"));
        assertThat(r("'nodot' | splitext")).isEqualTo(List.of("nodot", ""));
        assertThat(r("'/a/.bashrc' | splitext")).isEqualTo(List.of("/a/.bashrc", ""));
        assertThat(r("'/a/b/c' | relpath('/a/x')")).isEqualTo("../b/c");
        assertThat(r("'~/x' | expanduser")).isEqualTo(System.getProperty("user.home") + "/x");
        assertThat(r("'/nonexistent-fleet/./b/../c' | realpath")).isEqualTo("/nonexistent-fleet/c");
        assertThat(r("'/a/b/c.txt' | basename")).isEqualTo("c.txt");
        assertThat(r("'/a/b/c.txt' | dirname")).isEqualTo("/a/b");
    }

    @Test
    void comments() throws Exception {
        assertThat(r("'a\\nb' | comment")).isEqualTo("#\n# a\n# b\n#");
        assertThat(r("'a' | comment('c')")).isEqualTo("//\n// a\n//");
        assertThat(r("'a\\nb' | comment('cblock')")).isEqualTo("/*\n *\n * a\n * b\n *\n */");
        assertThat(r("'a' | comment('erlang')")).isEqualTo("%\n% a\n%");
        assertThat(r("'a' | comment('xml')")).isEqualTo("<!--\n -\n - a\n -\n-->");
        assertThat(r("'a' | comment(decoration='; ')")).isEqualTo(";\n; a\n;");
        assertThat(r("'a' | comment('plain', prefix='#!', postfix='##')")).isEqualTo("#!\n# a\n##");
        assertThat(r("'a' | comment('c', prefix_count=2, postfix_count=0)")).isEqualTo("//\n//\n// a");
    }

    @Test
    void setTheoryAndItertools() throws Exception {
        assertThat(r("[1,2,2,3] | union([3,4,1])")).isEqualTo(List.of(1, 2, 3, 4));
        assertThat(r("[1,2,2,3] | intersect([3,2,5])")).isEqualTo(List.of(2, 3));
        assertThat(r("[1,2,2,3] | difference([2])")).isEqualTo(List.of(1, 3));
        assertThat(r("[1,2,2,3] | symmetric_difference([3,4,4])")).isEqualTo(List.of(1, 2, 4));
        assertThat(r("[1, 2, 1, 'a', 'A'] | unique")).isEqualTo(List.of(1, 2, "a"));
        assertThat(r("[1,2] | product(['a','b']) | list"))
                .isEqualTo(List.of(List.of(1, "a"), List.of(1, "b"), List.of(2, "a"), List.of(2, "b")));
        assertThat(r("[1,2,3] | permutations(2) | list")).isEqualTo(List.of(List.of(1, 2), List.of(1, 3),
                List.of(2, 1), List.of(2, 3), List.of(3, 1), List.of(3, 2)));
        assertThat(r("[1,2,3] | combinations(2) | list"))
                .isEqualTo(List.of(List.of(1, 2), List.of(1, 3), List.of(2, 3)));
        assertThat(r("[1,2,3] | zip(['a','b']) | list")).isEqualTo(List.of(List.of(1, "a"), List.of(2, "b")));
        assertThat(r("[1,2,3] | zip_longest(['a'], fillvalue='z') | list"))
                .isEqualTo(List.of(List.of(1, "a"), List.of(2, "z"), List.of(3, "z")));
        assertThat(r("[1,2,3] | zip_longest(['a']) | list"))
                .isEqualTo(List.of(List.of(1, "a"), Arrays.asList(2, null), Arrays.asList(3, null)));
        assertThat(r("[1, [2, [3, [4]]], None] | flatten")).isEqualTo(List.of(1, 2, 3, 4));
        assertThat(r("[1, [2, [3, [4]]]] | flatten(levels=1)")).isEqualTo(List.of(1, 2, List.of(3, List.of(4))));
    }

    @Test
    void extractAndSubelements() throws Exception {
        assertThat(r("['a', 'b'] | map('extract', {'a': 1, 'b': 2}) | list")).isEqualTo(List.of(1, 2));
        assertThat(r("0 | extract(['x','y'])")).isEqualTo("x");
        assertThat(r("'k' | extract({'k': {'n': [5, 6]} }, ['n', 1])")).isEqualTo(6);
        Map<String, Object> u = Map.of("name", "u", "groups", List.of("a", "b"));
        assertThat(T.render("{{ users | subelements('groups') }}",
                Map.of("users", List.of(u, Map.of("name", "v", "groups", List.of())))))
                .isEqualTo(List.of(List.of(u, "a"), List.of(u, "b")));
        assertThat(r("{'x': {'name': 'u', 'g': ['a']} } | subelements('g') | map('last') | list"))
                .isEqualTo(List.of("a"));
        assertThat(r("[{'name': 'u'}] | subelements('groups', skip_missing=True)")).isEqualTo(List.of());
        assertThatThrownBy(() -> r("[{'name': 'u'}] | subelements('groups')")).hasMessageContaining("'groups'");
    }

    @Test
    void sizes() throws Exception {
        assertThat(r("1024 | human_readable")).isEqualTo("1.00 KB");
        assertThat(r("1048576 | human_readable(isbits=True)")).isEqualTo("1.00 Mb");
        assertThat(r("1500 | human_readable(unit='K')")).isEqualTo("1.46 KB");
        assertThat(r("0 | human_readable")).isEqualTo("0.00 Bytes");
        assertThat(r("123 | human_readable")).isEqualTo("123.00 Bytes");
        assertThat(r("'1K' | human_to_bytes")).isEqualTo(1024);
        assertThat(r("'1.5 MB' | human_to_bytes")).isEqualTo(1572864);
        assertThat(r("'10Mb' | human_to_bytes(isbits=True)")).isEqualTo(10485760);
        assertThat(r("'2 G' | human_to_bytes")).isEqualTo(2147483648L);
        assertThat(r("'10' | human_to_bytes")).isEqualTo(10);
        assertThatThrownBy(() -> r("'10Mb' | human_to_bytes")).hasMessageContaining("Value is not a valid string");
    }

    @Test
    void urls() throws Exception {
        assertThat(r("'https://user:pw@host.example.com:8080/p/a?q=1#frag' | urlsplit")).isEqualTo(Map.of(
                "fragment", "frag", "hostname", "host.example.com", "netloc", "user:pw@host.example.com:8080",
                "password", "pw", "path", "/p/a", "port", 8080, "query", "q=1", "scheme", "https", "username", "user"));
        assertThat(r("'https://host.example.com:8080/p?q=1' | urlsplit('hostname')")).isEqualTo("host.example.com");
        assertThat(r("'https://host.example.com/p' | urlsplit('port')")).isNull();
    }

    @Test
    void yamlAndJson() throws Exception {
        assertThat(r("'a---b' | from_yaml_all | list")).isEqualTo(List.of("a---b"));
        assertThat(r("'--- 1\\n--- [2]\\n' | from_yaml_all | list")).isEqualTo(List.of(1, List.of(2)));
        assertThat(r("{'b': 1, 'a': [1, 2], 'c': {'d': 'e'}, 's': 'x y'} | to_yaml"))
                .isEqualTo("a: [1, 2]\nb: 1\nc: {d: e}\ns: x y\n");
        assertThat(r("{'b': 1, 'a': [1, 2], 'c': {'d': 'e'}, 's': 'x y'} | to_nice_yaml"))
                .isEqualTo("a:\n- 1\n- 2\nb: 1\nc:\n    d: e\ns: x y\n");
        assertThat(r("[1, 'a'] | to_yaml")).isEqualTo("[1, a]\n");
        assertThat(r("{'b': 1, 'a': [1, 2]} | to_nice_json"))
                .isEqualTo("{\n    \"a\": [\n        1,\n        2\n    ],\n    \"b\": 1\n}");
    }

    @Test
    void valuesAndConversions() throws Exception {
        assertThat(r("[1, 'yes', 'no', 'on', 0, 'true', 'TRUE', 'y', None, 2, '1'] | map('bool') | list"))
                .isEqualTo(Arrays.asList(true, true, false, true, false, true, true, false, null, false, true));
        assertThat(r("[1, 2.5, 'x', [1], {}, None, True] | map('type_debug') | list"))
                .isEqualTo(List.of("int", "float", "str", "list", "dict", "NoneType", "bool"));
        assertThat(r("'x' | ternary('y', 'n')")).isEqualTo("y");
        assertThat(r("None | ternary('y', 'n', 'none')")).isEqualTo("none");
        assertThat(r("None | ternary('y', 'n')")).isEqualTo("n");
        assertThat(r("\"it's\" | quote")).isEqualTo("'it'\"'\"'s'");
        assertThat(r("'hé' | b64encode")).isEqualTo("aMOp");
        assertThat(r("'aMOp' | b64decode")).isEqualTo("hé");
        assertThat(r("'a.b*c' | regex_escape")).isEqualTo("a\\.b\\*c");
        assertThat(r("'a.b*c[' | regex_escape('posix_basic')")).isEqualTo("a\\.b\\*c\\[");
        assertThat(r("{'a': [1, 2]} | combine({'a': [2, 3]}, list_merge='append_rp')"))
                .isEqualTo(Map.of("a", List.of(1, 2, 3)));
        assertThat(r("{'a': 1} | combine({'b': {'c': 1} }, {'b': {'d': 2} }, recursive=True)"))
                .isEqualTo(Map.of("a", 1, "b", Map.of("c", 1, "d", 2)));
        assertThat(r("'a,b,,c' | split(',')")).isEqualTo(List.of("a", "b", "", "c"));
        assertThat(r("{'a':1} | dict2items(key_name='k', value_name='v')"))
                .isEqualTo(List.of(Map.of("k", "a", "v", 1)));
        assertThat(r("[{'k':'a','v':1}] | items2dict(key_name='k', value_name='v')")).isEqualTo(Map.of("a", 1));
        assertThat(r("'a b c' | split")).isEqualTo(List.of("a", "b", "c"));
        assertThat(r("'a-b-c' | split('-', 1)")).isEqualTo(List.of("a", "b-c"));
        assertThat(r("['a', 'b'] | path_join")).isEqualTo("a/b");
        assertThatThrownBy(() -> r("nope | mandatory('custom msg')")).hasMessageContaining("custom msg");
        assertThat(r("[1,2,3] | sum")).isEqualTo(6);
        assertThat(r("[1,2.5] | sum")).isEqualTo(3.5);
        assertThat(r("[{'a':1},{'a':2}] | sum(attribute='a')")).isEqualTo(3);
        assertThat(r("[[1],[2]] | sum(start=[])")).isEqualTo(List.of(1, 2));
        assertThat(r("[] | sum")).isEqualTo(0);
    }

    @Test
    void seededRandomPicksWhatPythonPicks() throws Exception {
        assertThat(r("[1, 2, 3, 4, 5] | random(seed='x')")).isEqualTo(3);
        assertThat(r("100 | random(seed='x')")).isEqualTo(80);
        assertThat(r("100 | random(seed=5)")).isEqualTo(79);
        assertThat(r("100 | random(start=10, step=5, seed=7)")).isEqualTo(60);
        assertThat(r("['a','b','c','d','e','f','g','h'] | shuffle(seed=42)"))
                .isEqualTo(List.of("d", "e", "g", "h", "c", "f", "a", "b"));
        assertThat(r("[1, 2, 3] | shuffle(seed='abc')")).isEqualTo(List.of(1, 2, 3));
        assertThat((Integer) r("10 | random")).isBetween(0, 9);
    }

    @Test
    void versionTest() throws Exception {
        assertThat(is("'1.2.3' is version('1.2', '>=')")).isTrue();
        assertThat(is("'1.0' is version('1.0.0', '==')")).isFalse();
        assertThat(is("'1.0' is version('1.0.0', '==', strict=true)")).isTrue();
        assertThat(is("'1.2.3-alpha' is version('1.2.3', '<', version_type='semver')")).isTrue();
        assertThat(is("'2.0.0' is version('1.9.9', 'gt', version_type='semver')")).isTrue();
        assertThat(is("'1.0.0' is version('1.0.0-rc1', '>', version_type='semver')")).isTrue();
        assertThat(is("'1.0a' is version('1.0', '>', version_type='loose')")).isTrue();
        assertThat(is("'2.0' is version('10.0', 'lt', version_type='strict')")).isTrue();
        assertThat(is("'1.10' is version('1.9', '>')")).isTrue();
        assertThat(is("'1.0' is version('1.0', 'ne')")).isFalse();
        assertThat(is("'1.0' is version('1.0', '!=')")).isFalse();
        assertThat(is("'1.1' is version('1.0', '<>')")).isTrue();
        assertThat(is("'1.1' is version('1.0', 'ge') and '1.1' is version('1.1', 'le') and '1' is version('1', 'eq')"
                + " and '1' is version('1', '=') and '1' is version('2', 'lt') and '1' is version('1', '<=')"))
                .isTrue();
        assertThatThrownBy(() -> is("'x' is version('1.0', '==', strict=true)"))
                .hasMessageContaining("invalid version");
        assertThatThrownBy(() -> is("'1' is version('1', 'bad')")).hasMessageContaining("Invalid operator");
    }

    @Test
    void otherTests() throws Exception {
        assertThat(is("[1,2] is subset([1,2,3]) and [1,2,3] is superset([2])")).isTrue();
        assertThat(is("[1,4] is subset([1,2,3])")).isFalse();
        assertThat(is("'x' is truthy and '' is falsy and not (0 is truthy) and [] is falsy")).isTrue();
        assertThat(is("'no' is truthy")).isTrue();
        assertThat(is("'no' is truthy(convert_bool=True)")).isFalse();
        assertThat(is("'/etc' is directory and '/etc/hostname' is file and '/nope' is not exists")).isTrue();
        assertThat(is("'/etc' is abs and 'etc' is not abs")).isTrue();
        assertThat(is("[true, 1] is all and not ([0, ''] is any) and [] is all and not ([] is any)")).isTrue();
        assertThat(is("[1,2,3] is contains(2) and 'abc' is contains('b')")).isTrue();
    }

    @Test
    void datesAndTimes() throws Exception {
        assertThat(r("'%Y-%m-%d %H:%M:%S' | strftime(0, utc=True)")).isEqualTo("1970-01-01 00:00:00");
        assertThat(r("'%a %b %d %j %y %I%p %%' | strftime(3502800, utc=True)"))
                .isEqualTo("Tue Feb 10 041 70 01PM %");
        assertThat(r("'%Y-%m-%d %H:%M:%S' | strftime(1700000000.7, utc=True)")).isEqualTo("2023-11-14 22:13:20");
        assertThat(r("'%c|%D|%e|%F|%T|%U|%W|%w|%u|%V|%G|%z|%Z|%s|%C|%k|%l|%P|%R' | strftime(1700000000, utc=True)"))
                .isEqualTo("Tue Nov 14 22:13:20 2023|11/14/23|14|2023-11-14|22:13:20|46|46|2|2|46|2023|+0000|GMT"
                        + "|1700000000|20|22|10|pm|22:13");
        assertThat((String) r("'%Y' | strftime")).matches("20\\d\\d");
        assertThat(r("('2016-08-14 20:00:12' | to_datetime).year")).isEqualTo(2016);
        assertThat(r("('2016-08-14 20:00:12' | to_datetime).month")).isEqualTo(8);
        assertThat(T.render("{{ '2016-08-14' | to_datetime('%Y-%m-%d') }}x", Map.of()))
                .isEqualTo("2016-08-14 00:00:00x");
        assertThat(T.render("{{ '14/Aug/2016:1:2:3' | to_datetime('%d/%b/%Y:%H:%M:%S') }}", Map.of()).toString())
                .isEqualTo("2016-08-14 01:02:03");
        assertThat(T.render("{{ '2016-08-14 20:00:12.5' | to_datetime('%Y-%m-%d %H:%M:%S.%f') }}x", Map.of()))
                .isEqualTo("2016-08-14 20:00:12.500000x");
        assertThatThrownBy(() -> r("'2016' | to_datetime")).hasMessageContaining("does not match format");
    }

    @Test
    void passwordHashSha512() throws Exception {
        assertThat(r("'secret' | password_hash('sha512', 'mysalt')")).isEqualTo("$6$rounds=656000$mysalt$cDA0t8lm/qt"
                + ".LT6DzpoHxJ.NwTpx.WTkOPwhseSva8pRixDSH2./ffedCjAMbTX1Uo1QNT7jJPJ6FIzU2i59K/");
        assertThat(r("'secret' | password_hash('sha512', 'mysalt', rounds=10000)")).isEqualTo("$6$rounds=10000$mysalt$"
                + "9XTP7570fxVN/uTspSrH6kRPdR4KKGzGz7.TmJjDYGrKSwZuavW/3YaLur8JX6WP75Czcxa.megIO0lKreY0R.");
        assertThat(r("'secret' | password_hash('sha512', 'mysalt', rounds=5000)")).isEqualTo("$6$mysalt$UX6P1VKOf6dr0s2"
                + "pg4pLNvIUB6hLXvP6M5f/Yj9hJgMPdAJ4oArvk5YUD9/XWtk1JOpVwt/JTsczMJr8sFVML1");
        assertThat(r("'a much longer password that is over sixty-four bytes long, to cover the loop!'"
                + " | password_hash('sha512', 'abcdefghijklmnop', rounds=1000)"))
                .isEqualTo("$6$rounds=1000$abcdefghijklmnop$"
                        + "v72jOJTAQ0aNwOre.116FI.5NFlqNIMbb1GInsQorNDNbf3WtxfhpjP.7obvSAaKI2fOJRDefluS4czGM1iyj.");
        assertThat((String) r("'secret' | password_hash('sha512', rounds=1000)"))
                .matches("\\$6\\$rounds=1000\\$[./0-9A-Za-z]{16}\\$.{86}");
        assertThatThrownBy(() -> r("'x' | password_hash('md5')")).hasMessageContaining("only the 'sha512' scheme");
    }
}
