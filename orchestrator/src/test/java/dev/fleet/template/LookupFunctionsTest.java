package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.lookup.LookupContext;
import dev.fleet.lookup.LookupException;
import dev.fleet.lookup.Lookups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lookup(), query() and q() through the templater; expected values are what ansible-core 2.14 gives. */
class LookupFunctionsTest {
    private static final JinjaTemplater T = new JinjaTemplater();

    @TempDir
    Path playbookDir;

    private final Map<String, Object> vars = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(playbookDir.resolve("files"));
        Files.createDirectories(playbookDir.resolve("templates"));
        Files.writeString(playbookDir.resolve("files/motd"), "hello\n\n");
        Files.writeString(playbookDir.resolve("templates/t.j2"), "x={{ x }} y={{ y | default('none') }}\n");
        vars.put("playbook_dir", playbookDir.toString());
        vars.put("x", 42);
        vars.put("name_of_x", "x");
        vars.put("derived", "{{ x + 1 }}");
    }

    private Object r(String template) throws TemplateException {
        return T.render(template, vars);
    }

    @Test
    void lookupJoinsStringsWithCommas() throws Exception {
        assertThat(r("{{ lookup('items', 'a', 'b') }}")).isEqualTo("a,b");
        assertThat(r("{{ lookup('items', 'a') }}")).isEqualTo("a");
        assertThat(r("{{ lookup('sequence', 'end=3') }}")).isEqualTo("1,2,3");
        assertThat(r("{{ lookup('ansible.builtin.pipe', 'echo a', 'echo b') }}")).isEqualTo("a,b");
    }

    @Test
    void lookupGivesNonStringsAsTheyAre() throws Exception {
        assertThat(r("{{ lookup('items', 1, 2) }}")).isEqualTo(List.of(1, 2));
        assertThat(r("{{ lookup('items', 'a', 2) }}")).isEqualTo(List.of("a", 2));
        assertThat(r("{{ lookup('dict', {'a': 1}) }}")).isEqualTo(Map.of("key", "a", "value", 1));
        assertThat(r("{{ lookup('items', []) }}")).isEqualTo(List.of());
    }

    @Test
    void wantlistQueryAndQAlwaysGiveTheList() throws Exception {
        assertThat(r("{{ lookup('items', 'a', wantlist=True) }}")).isEqualTo(List.of("a"));
        assertThat(r("{{ query('items', 'a') }}")).isEqualTo(List.of("a"));
        assertThat(r("{{ query('random_choice') }}")).isEqualTo(List.of());
        assertThat(r("{% for n in query('sequence', 'count=3') %}{{ n }};{% endfor %}")).isEqualTo("1;2;3;");
        assertThat(r("{{ q('sequence', 'start=1 end=5 format=host%02d') }}"))
                .isEqualTo(List.of("host01", "host02", "host03", "host04", "host05"));
        assertThat(r("{{ query('list', [1, [2, 3]], 'x') }}")).isEqualTo(List.of(List.of(1, List.of(2, 3)), "x"));
    }

    @Test
    void keywordOptionsReachThePlugin() throws Exception {
        assertThat(r("{{ lookup('file', 'motd') }}|")).isEqualTo("hello|");
        assertThat(r("{{ lookup('file', 'motd', rstrip=False) }}|")).isEqualTo("hello\n\n|");
        assertThat(r("{{ lookup('env', 'FLEET_SURELY_UNSET_VAR', default='dflt') }}")).isEqualTo("dflt");
    }

    @Test
    void filesAreFoundFromPlaybookDir() throws Exception {
        assertThat(r("{{ query('first_found', ['nope', 'motd']) }}"))
                .isEqualTo(List.of(playbookDir.resolve("files/motd").toString()));
        assertThat(r("{{ query('fileglob', '*') }}")).isEqualTo(List.of(playbookDir.resolve("files/motd").toString()));
    }

    @Test
    void varsLookupSeesTheRendersVariables() throws Exception {
        assertThat(r("{{ lookup('vars', name_of_x) }}")).isEqualTo(42);
        assertThat(r("{{ lookup('vars', 'derived') }}")).isEqualTo(43);
        assertThat(r("{{ query('vars', 'x', 'nope', default=7) }}")).isEqualTo(List.of(42, 7));
        assertThat(r("{% for v in ['a'] %}{{ lookup('vars', 'v') }}{% endfor %}")).isEqualTo("a");
    }

    @Test
    void templateLookupRendersWithTheTasksVariables() throws Exception {
        assertThat(r("{{ lookup('template', 't.j2') }}")).isEqualTo("x=42 y=none\n");
        assertThat(r("{{ lookup('template', 't.j2', template_vars={'y': 'given'}) }}")).isEqualTo("x=42 y=given\n");
    }

    @Test
    void aTemplateFileThatFailsFailsTheLookup() throws Exception {
        Files.writeString(playbookDir.resolve("templates/undef.j2"), "a={{ not_defined_anywhere }}");
        Files.writeString(playbookDir.resolve("templates/broken.j2"), "a={{ x ");
        // an undefined variable fails whatever errors= says, as in Ansible
        assertThatThrownBy(() -> r("{{ lookup('template', 'undef.j2', errors='ignore') }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("not_defined_anywhere");
        assertThatThrownBy(() -> r("{{ lookup('template', 'broken.j2') }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("lookup plugin 'template' failed");
        assertThat(r("{{ lookup('template', 'broken.j2', errors='ignore') }}")).isNull();
        assertThat(r("{{ lookup('template', 't.j2') }}")).isEqualTo("x=42 y=none\n"); // nothing left behind
    }

    /** What the engine does for a with_<name> loop: render the value, listify it, run the lookup. */
    @Test
    void withLoopsRunLookupsDirectly() throws Exception {
        vars.put("pkgs", List.of("a", List.of("b", "c")));
        LookupContext.Renderer renderer = (source, extra) -> {
            Map<String, Object> scope = new LinkedHashMap<>(vars);
            scope.putAll(extra);
            try {
                return String.valueOf(T.render(source, scope));
            } catch (TemplateException e) {
                throw new LookupException(e.getMessage(), e);
            }
        };
        var ctx = LookupContext.fromVars(vars, renderer);
        var items = Lookups.find("items").orElseThrow();
        assertThat(items.run(Lookups.terms(r("{{ pkgs }}")), Map.of(), ctx))
                .isEqualTo(List.of("a", "b", "c"));
        var template = Lookups.find("ansible.builtin.template").orElseThrow();
        assertThat(template.run(Lookups.terms(r("t.j2")), Map.of(), ctx)).isEqualTo(List.of("x=42 y=none\n"));
    }

    @Test
    void errorsOptionDecidesWhatAFailureDoes() throws Exception {
        assertThatThrownBy(() -> r("{{ lookup('file', 'missing.txt') }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("lookup plugin 'file' failed: could not locate file in lookup: missing.txt");
        assertThat(r("{{ lookup('file', 'missing.txt', errors='ignore') }}")).isNull();
        assertThat(r("{{ lookup('file', 'missing.txt', errors='warn') }}")).isNull();
        assertThat(r("{{ query('file', 'missing.txt', errors='ignore') }}")).isEqualTo(List.of());
        assertThat(r("a{{ lookup('file', 'missing.txt', errors='ignore') }}b")).isEqualTo("ab");
    }

    @Test
    void unknownLookupsAndUndefinedTermsFail() {
        assertThatThrownBy(() -> r("{{ lookup('nope', 'a', errors='ignore') }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("lookup plugin (nope) not found");
        assertThatThrownBy(() -> r("{{ lookup('items', undefined_thing, errors='ignore') }}"))
                .isInstanceOf(TemplateException.class).hasMessageContaining("undefined_thing");
    }
}
