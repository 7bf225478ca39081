package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.template.JinjaTemplater;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template module's delimiter and whitespace options, as Jinja2 (ansible 2.14's template module) renders them. */
class TemplateSyntaxTest {
    private static String render(String text, TemplateSyntax.Options o, Map<String, Object> vars) throws Exception {
        return String.valueOf(new JinjaTemplater().render(TemplateSyntax.toStandard(text, o), vars));
    }

    @Test
    void customDelimitersAreTheTemplateSyntaxAndStandardOnesAreText() throws Exception {
        TemplateSyntax.Options o = new TemplateSyntax.Options("<<", ">>", "<%", "%>", "<#", "#>", true, false);
        assertThat(render("<< who >>\n<% if flag %>on<% endif %>\n{{ kept }} <# gone #>", o,
                Map.of("who", "custom", "flag", true))).isEqualTo("custom\non{{ kept }} "); // trim_blocks, as Ansible
    }

    @Test
    void trimAndLstripBlocks() throws Exception {
        String text = "a\n  {% if true %}\nb\n  {% endif %}\nc\n";
        assertThat(render(text, TemplateSyntax.Options.DEFAULT, Map.of())).isEqualTo("a\n  b\n  c\n");
        TemplateSyntax.Options both = new TemplateSyntax.Options("{{", "}}", "{%", "%}", "{#", "#}", true, true);
        assertThat(render(text, both, Map.of())).isEqualTo("a\nb\nc\n");
        TemplateSyntax.Options noTrim = new TemplateSyntax.Options("{{", "}}", "{%", "%}", "{#", "#}", false, true);
        assertThat(render(text, noTrim, Map.of())).isEqualTo("a\n\nb\n\nc\n");
    }
}
