package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's {@code *} on strings and lists and {@code **}'s precedence, as Ansible's Jinja evaluates them. */
class SequenceRepeatTest {
    private static final JinjaTemplater T = new JinjaTemplater();
    private static final Map<String, Object> VARS = Map.of("n", 3, "s", "ab", "items", List.of("x", "y"), "f", 1.5);

    @Test
    void stringsRepeatEitherWayRound() throws TemplateException {
        assertThat(T.render("{{ '-' * 5 }}", VARS)).isEqualTo("-----");
        assertThat(T.render("{{ n * s }}|{{ s * n }}", VARS)).isEqualTo("ababab|ababab");
        assertThat(T.render("[{{ s * 0 }}][{{ s * -2 }}]", VARS)).isEqualTo("[][]");
        assertThat(T.render("{{ s * true }}{{ s * false }}", VARS)).isEqualTo("ab");
        assertThat(T.render("{{ ('=' * 3) ~ ' title ' ~ ('=' * 3) }}", VARS)).isEqualTo("=== title ===");
    }

    @Test
    void listsRepeatAsNativeValues() throws TemplateException {
        assertThat(T.render("{{ items * 2 }}", VARS)).isEqualTo(List.of("x", "y", "x", "y"));
        assertThat(T.render("{{ [0] * n }}", VARS)).isEqualTo(List.of(0, 0, 0));
        assertThat(T.render("{{ (2 * items) | length }}", VARS)).isEqualTo(4);
    }

    /** Jinja's grammar: ** above * / // %, grouped from the left; the unary minus binds tighter still. */
    @Test
    void powerBindsTighterThanMultiplication() throws TemplateException {
        assertThat(T.render("{{ 2 * 3 ** 2 }}|{{ 3 ** 2 * 2 }}|{{ 100 // 3 ** 2 }}|{{ 20 % 3 ** 2 }}", VARS))
                .isEqualTo("18|18|11|2");
        assertThat(T.render("{{ 2 ** 3 ** 2 }}|{{ -2 ** 2 }}|{{ (2 ** 2) | string }}", VARS)).isEqualTo("64|4|4");
        assertThat(T.render("{{ '-' * 2 ** 2 }}", VARS)).isEqualTo("----");
    }

    @Test
    void numbersStillMultiply() throws TemplateException {
        assertThat(T.render("{{ n * 4 }} {{ f * 2 }} {{ '3' | int * 2 }}", VARS)).isEqualTo("12 3.0 6");
    }
}
