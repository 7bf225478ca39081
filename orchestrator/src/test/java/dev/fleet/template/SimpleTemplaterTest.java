package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimpleTemplaterTest {
    private final SimpleTemplater t = new SimpleTemplater();
    private final Map<String, Object> vars = Map.of("name", "web1", "port", 8080,
            "out", Map.of("stdout", "hello", "lines", List.of("a", "b")));

    @Test
    void rendersVariablesAndPaths() throws Exception {
        assertThat(t.render("host {{ name }}:{{port}}", vars)).isEqualTo("host web1:8080");
        assertThat(t.render("{{ out.stdout }} {{ out.lines[1] }} {{ out['stdout'] }}", vars))
                .isEqualTo("hello b hello");
    }

    @Test
    void aWholeExpressionKeepsItsType() throws Exception {
        assertThat(t.render("{{ port }}", vars)).isEqualTo(8080);
        assertThat(t.render("{{ out.lines }}", vars)).isEqualTo(List.of("a", "b"));
    }

    @Test
    void defaultFilter() throws Exception {
        assertThat(t.render("{{ missing | default('x') }}", vars)).isEqualTo("x");
        assertThat(t.render("{{ name | default('x') }}", vars)).isEqualTo("web1");
    }

    @Test
    void undefinedVariableNamesTheVariable() {
        assertThatThrownBy(() -> t.render("echo {{ nope }}", vars)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("'nope' is undefined");
    }

    @Test
    void unsupportedSyntaxIsRefusedNotMisrendered() {
        assertThatThrownBy(() -> t.render("{{ name | upper }}", vars)).hasMessageContaining("unsupported filter");
        assertThatThrownBy(() -> t.render("{% if x %}y{% endif %}", vars)).hasMessageContaining("not supported");
    }
}
