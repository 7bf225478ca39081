package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** debug, assert, fail, set_fact: controller-side modules, no host needed. */
class VarsModulesTest {
    private static final Map<String, Object> VARS = Map.of("healthy", true, "broken", false,
            "result", Map.of("status", 502, "content", "Bad Gateway"), "items", List.of("a", "b"));

    private static TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return m.run(new ModuleContext(null, args, false, false, Duration.ofSeconds(5), VARS, new SimpleTemplater(),
                Path.of(".")));
    }

    @Test
    void debugMsgAndVar() throws Exception {
        TaskOutcome hello = run(new DebugModule(), Map.of());
        assertThat(hello.status()).isEqualTo(TaskStatus.OK);
        assertThat(hello.msg()).isEqualTo("Hello world!");
        assertThat(hello.data()).containsEntry("msg", "Hello world!");

        assertThat(run(new DebugModule(), Map.of("msg", "php is php8.2-fpm")).msg()).isEqualTo("php is php8.2-fpm");

        TaskOutcome var = run(new DebugModule(), Map.of("var", "result.status"));
        assertThat(var.data()).containsEntry("result.status", 502);
        assertThat(var.msg()).isEqualTo("result.status: 502");
        assertThat(run(new DebugModule(), Map.of("var", "items")).data()).containsEntry("items", List.of("a", "b"));
        assertThat(run(new DebugModule(), Map.of("var", "nope")).data())
                .containsEntry("nope", "VARIABLE IS NOT DEFINED!");
        // as Ansible: a debug with verbosity 2 is skipped unless the run has -vv (ansible_verbosity)
        assertThat(run(new DebugModule(), Map.of("msg", "x", "verbosity", 2)).status()).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void assertPassesAndFails() throws Exception {
        TaskOutcome ok = run(new AssertModule(), Map.of("that", List.of("healthy", "result")));
        assertThat(ok.status()).isEqualTo(TaskStatus.OK);
        assertThat(ok.msg()).isEqualTo("All assertions passed");
        assertThat(run(new AssertModule(), Map.of("that", "healthy", "success_msg", "fine")).msg()).isEqualTo("fine");

        TaskOutcome bad = run(new AssertModule(), Map.of("that", List.of("healthy", "broken")));
        assertThat(bad.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(bad.msg()).isEqualTo("Assertion failed");
        assertThat(bad.data()).containsEntry("assertion", "broken").containsEntry("evaluated_to", false);

        TaskOutcome custom = run(new AssertModule(), Map.of("that", "broken", "fail_msg", "nginx is down"));
        assertThat(custom.msg()).isEqualTo("nginx is down");
        assertThat(run(new AssertModule(), Map.of("that", "broken", "msg", "via msg")).msg()).isEqualTo("via msg");

        TaskOutcome undefined = run(new AssertModule(), Map.of("that", "missing_var"));
        assertThat(undefined.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(undefined.msg()).contains("The conditional check 'missing_var' failed").contains("undefined");
    }

    @Test
    void failAlwaysFails() throws Exception {
        assertThat(run(new FailModule(), Map.of()).msg()).isEqualTo("Failed as requested from task");
        TaskOutcome o = run(new FailModule(), Map.of("msg", "host01 still returns 502"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("host01 still returns 502");
    }

    @Test
    void setFactReturnsAnsibleFacts() throws Exception {
        TaskOutcome o = run(new SetFactModule(), Map.of("php_service", "php8.2-fpm", "retries", 3,
                "cacheable", true));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("ansible_facts", Map.of("php_service", "php8.2-fpm", "retries", 3));
        assertThat(run(new SetFactModule(), Map.of()).status()).isEqualTo(TaskStatus.FAILED);
        assertThatThrownBy(() -> run(new SetFactModule(), Map.of("bad-name", 1))).isInstanceOf(ModuleException.class)
                .hasMessageContaining("'bad-name' is not valid");
    }

    @Test
    void setFactSpecAcceptsAnyNameInBothSyntaxes() throws Exception {
        SourcePosition at = new SourcePosition("site.yml", 3, 5);
        ModuleRegistry registry = ModuleRegistry.builtin();
        assertThat(registry.normalizeArgs("set_fact", "a=1 b='two words'", Map.of(), at, true))
                .isEqualTo(Map.of("a", "1", "b", "two words"));
        assertThat(registry.normalizeArgs("set_fact", Map.of("anything", List.of(1)), Map.of(), at, true))
                .isEqualTo(Map.of("anything", List.of(1)));
        assertThatThrownBy(() -> registry.normalizeArgs("debug", Map.of("foo", 1), Map.of(), at, true))
                .isInstanceOf(ParseException.class)
                .hasMessageContaining("site.yml:3:5").hasMessageContaining("unsupported argument 'foo'");
    }
}
