package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.template.SimpleTemplater;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The argument spec machinery, without a host. */
class ArgSpecTest {

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.path("path").required().aliases("dest", "name"),
                    Arg.str("state").choices("present", "absent").defaultsTo("present"),
                    Arg.bool("create").defaultsTo(false), Arg.integer("port"), Arg.decimal("ratio"),
                    Arg.list("codes", ArgType.INT), Arg.dict("headers"), Arg.raw("content"),
                    Arg.str("line"), Arg.str("after"), Arg.str("before"), Arg.str("user"), Arg.str("password").noLog(),
                    Arg.str("follow").choices("all", "none", "no", "yes"))
            .mutuallyExclusive("after", "before")
            .requiredTogether("user", "password")
            .requiredIf("state", "present", "line")
            .requiredBy("content", "line")
            .build();

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Map<String, Object> check(Object... kv) throws ModuleException {
        return SPEC.check(args(kv));
    }

    private static void refused(String message, Object... kv) {
        assertThatThrownBy(() -> check(kv)).isInstanceOf(ModuleException.class).hasMessage(message);
    }

    @Test
    void typesAreConvertedAsAnsibleDoes() throws Exception {
        Map<String, Object> a = check("path", "/f", "line", "x", "create", "yes", "port", "8080", "ratio", "0.5",
                "codes", "200, 301", "headers", "a=1 b='two words'", "content", List.of(1));
        assertThat(a).containsEntry("create", true).containsEntry("port", 8080).containsEntry("ratio", 0.5)
                .containsEntry("codes", List.of(200, 301)).containsEntry("headers", Map.of("a", "1", "b", "two words"))
                .containsEntry("content", List.of(1));
        for (Object yes : List.of("YES", "on", "1", "true", "t", "y", 1, true)) {
            assertThat(check("path", "/f", "line", "x", "create", yes)).containsEntry("create", true);
        }
        for (Object no : List.of("No", "off", "0", "false", "f", "n", 0, false)) {
            assertThat(check("path", "/f", "line", "x", "create", no)).containsEntry("create", false);
        }
        // YAML numbers and booleans given for a string become their text, True as Python writes it
        assertThat(check("path", 42, "line", true)).containsEntry("path", "42").containsEntry("line", "True");
        assertThat(check("path", "/f", "line", "x", "port", 80.0, "codes", 404)).containsEntry("port", 80)
                .containsEntry("codes", List.of(404));
    }

    @Test
    void typeErrorsNameTheArgumentAndTheValue() {
        refused("argument 'create' must be bool, got 'maybe' (use true/false or yes/no)",
                "path", "/f", "line", "x", "create", "maybe");
        refused("argument 'port' must be int, got 'http'", "path", "/f", "line", "x", "port", "http");
        refused("argument 'port' must be int, got '1.5'", "path", "/f", "line", "x", "port", "1.5");
        refused("argument 'codes' must be list of int, item 1: got 'x'", "path", "/f", "line", "x", "codes", "1,x");
        refused("argument 'headers' must be dict, got 'oops'", "path", "/f", "line", "x", "headers", "oops");
        refused("argument 'path' must be path, got an empty path", "path", " ", "line", "x");
        refused("argument 'line' must be str, got a list ([a])", "path", "/f", "line", List.of("a"));
    }

    @Test
    void noLogValuesAreNeverShown() {
        assertThatThrownBy(() -> check("path", "/f", "line", "x", "user", "u", "password", List.of("s3cret")))
                .hasMessageNotContaining("s3cret").hasMessageContaining("argument 'password' must be str");
    }

    @Test
    void aliasesResolveToTheCanonicalNameAndDefaultsApply() throws Exception {
        assertThat(check("dest", "/f", "line", "x")).containsEntry("path", "/f").doesNotContainKey("dest")
                .containsEntry("state", "present").containsEntry("create", false).doesNotContainKey("port");
        // as in Ansible, an alias given next to its canonical name wins
        assertThat(check("path", "/a", "name", "/b", "line", "x")).containsEntry("path", "/b");
        // null is "not given"
        assertThat(check("path", "/f", "line", "x", "port", null)).doesNotContainKey("port");
    }

    @Test
    void choicesAreCheckedAfterConversion() throws Exception {
        refused("argument 'state' must be one of [present, absent], got 'foo'", "path", "/f", "state", "foo");
        // a YAML boolean maps back to the one choice that spells it (yes/no), as Ansible does
        assertThat(check("path", "/f", "line", "x", "follow", true)).containsEntry("follow", "yes");
        assertThat(check("path", "/f", "line", "x", "follow", false)).containsEntry("follow", "no");
    }

    @Test
    void unknownNamesMissingRequiredAndEachRule() {
        assertThatThrownBy(() -> check("path", "/f", "line", "x", "bogus", 1, "other", 2))
                .hasMessageStartingWith("unsupported arguments 'bogus', 'other'; expected one of [")
                .hasMessageContaining("path (dest, name)");
        refused("missing required arguments: path", "line", "x");
        refused("parameters are mutually exclusive: after|before", "path", "/f", "line", "x", "after", "a",
                "before", "b");
        refused("parameters are required together: user, password", "path", "/f", "line", "x", "user", "u");
        refused("state is present but all of the following are missing: line", "path", "/f");
        refused("missing parameter(s) required by 'content': line", "path", "/f", "state", "absent", "content", 1);
    }

    @Test
    void requiredOneOfAndRequiredIfAny() throws Exception {
        ArgSpec spec = ArgSpec.builder()
                .add(Arg.str("src"), Arg.raw("content"), Arg.str("state").defaultsTo("present"), Arg.str("a"),
                        Arg.str("b"))
                .requiredOneOf("src", "content")
                .requiredIfAny("state", "absent", "a", "b")
                .build();
        assertThatThrownBy(() -> spec.check(Map.of())).hasMessage("one of the following is required: src, content");
        assertThatThrownBy(() -> spec.check(Map.of("src", "x", "state", "absent")))
                .hasMessage("state is absent but any of the following are missing: a, b");
        assertThat(spec.check(Map.of("src", "x", "state", "absent", "b", "1"))).containsEntry("b", "1");
    }

    @Test
    void parseTimeCheckLeavesTemplatedValuesAndTheRulesOnThemForRunTime() throws Exception {
        SPEC.checkLiterals(args("path", "{{ p }}", "line", "x", "port", "{{ port }}", "user", "u", "password",
                "{% if x %}a{% endif %}", "codes", List.of("{{ c }}")));
        // state is templated: whether line is required is decided at run time
        SPEC.checkLiterals(args("path", "/f", "state", "{{ s }}"));
        // names, required arguments and exclusivity do not depend on values: checked in full
        assertThatThrownBy(() -> SPEC.checkLiterals(args("path", "/f", "line", "{{ x }}", "bogus", 1)))
                .hasMessageContaining("unsupported argument 'bogus'");
        assertThatThrownBy(() -> SPEC.checkLiterals(args("line", "{{ x }}")))
                .hasMessage("missing required arguments: path");
        assertThatThrownBy(() -> SPEC.checkLiterals(args("path", "/f", "line", "x", "after", "{{ a }}", "before",
                "b"))).hasMessage("parameters are mutually exclusive: after|before");
        assertThatThrownBy(() -> SPEC.checkLiterals(args("path", "/f", "line", "x", "port", "{{ p }}",
                "create", "maybe"))).hasMessageContaining("argument 'create' must be bool");
    }

    @Test
    void runChecksRenderedArgumentsBeforeTheModuleSeesThem() {
        // what a templated value became at run time: the task fails with the same message, no host needed
        ModuleContext ctx = new ModuleContext(null, Map.of("path", "/f", "line", "x", "state", "gone"), false, false,
                Duration.ofSeconds(5), Map.of(), new SimpleTemplater(), Path.of("."));
        assertThatThrownBy(() -> new LineinfileModule().run(ctx)).isInstanceOf(ModuleException.class)
                .hasMessage("argument 'state' must be one of [absent, present], got 'gone'");
    }

    @Test
    void modulesReadOnlyWhatTheyDeclare() throws Exception {
        Module reader = new Module() {
            public String name() {
                return "reader";
            }

            public ArgSpec spec() {
                return ArgSpec.builder().add(Arg.str("a").defaultsTo("x"), Arg.integer("n")).build();
            }

            public TaskOutcome execute(ModuleContext ctx) {
                assertThat(ctx.str("a")).isEqualTo("x");
                assertThat(ctx.has("n")).isFalse();
                assertThatThrownBy(() -> ctx.str("undeclared")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> ctx.integer("n")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> ctx.bool("a")).isInstanceOf(IllegalStateException.class);
                return TaskOutcome.ok("read");
            }
        };
        assertThat(reader.run(new ModuleContext(null, Map.of(), false, false, Duration.ofSeconds(5), Map.of(),
                new SimpleTemplater(), Path.of("."))).msg()).isEqualTo("read");
    }

    @Test
    void freeFormTextForAModuleWithoutFreeFormIsRefusedByTheCheck() throws Exception {
        var at = new dev.fleet.yaml.SourcePosition("site.yml", 4, 7);
        ModuleRegistry registry = ModuleRegistry.builtin();
        assertThatThrownBy(() -> registry.normalizeArgs("ping", "hello data=x", Map.of(), at, true))
                .hasMessage("site.yml:4:7: module 'ping': takes key=value arguments or a mapping, found 'hello'");
        // a task that expects failure keeps it for run time, where the same check fails the task
        Map<String, Object> deferred = registry.normalizeArgs("ping", "hello data=x", Map.of(), at, false);
        assertThatThrownBy(() -> registry.get("ping").spec().check(deferred))
                .hasMessage("takes key=value arguments or a mapping, found 'hello'");
        // command keeps it as its free-form text
        assertThat(registry.normalizeArgs("command", "echo a=b chdir=/tmp", Map.of(), at, true))
                .isEqualTo(Map.of("cmd", "echo a=b", "chdir", "/tmp"));
    }

    @Test
    void mistakesInASpecFailWhenItIsBuilt() {
        assertThatThrownBy(() -> ArgSpec.builder().add(Arg.str("a"), Arg.str("b").aliases("a")).build())
                .hasMessageContaining("'a' is declared twice");
        assertThatThrownBy(() -> ArgSpec.builder().add(Arg.str("a").aliases("x")).mutuallyExclusive("x", "a").build())
                .hasMessageContaining("names 'x'");
        assertThatThrownBy(() -> ArgSpec.builder().add(Arg.integer("n").defaultsTo("ten")).build())
                .hasMessageContaining("default of 'n'");
        assertThatThrownBy(() -> ArgSpec.builder().add(Arg.str("s").choices("a", "b").defaultsTo("c")).build())
                .hasMessageContaining("not one of its choices");
        assertThatThrownBy(() -> ArgSpec.builder().freeForm("cmd").build()).hasMessageContaining("'cmd'");
        // every builtin module's spec is consistent
        ModuleRegistry registry = ModuleRegistry.builtin();
        for (String name : registry.names()) assertThat(registry.get(name).spec()).isNotNull();
    }
}
