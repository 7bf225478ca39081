package dev.fleet.template;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: each way a template can run away ends with a TemplateException naming the limit it ran into, with the
 * templater as fleet runs it (default limits). Without the limit each would exhaust the heap or run for hours; the
 * class timeout then fails it. The time budget itself is in JinjaTemplaterTest (with a shorter budget) and
 * ControllerBoundsTest (the default 10 s, in a whole run).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TemplateLimitsTest {
    private static final JinjaTemplater T = new JinjaTemplater();
    private static final Map<String, Object> VARS = Map.of("n", 1);

    @Test
    void aStringDoubledPastTheOutputLimit() {
        assertThatThrownBy(() -> T.render(
                "{% set s = 'x' %}{% for i in range(40) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("template output too large")
                .hasMessageContaining(String.valueOf(JinjaTemplater.DEFAULT_MAX_OUTPUT));
    }

    @Test
    void outputPastTheLimit() {
        assertThatThrownBy(() -> T.render("{% for i in range(100000) %}{{ '%0500d' | format(i) }}{% endfor %}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("template output too large")
                .hasMessageContaining("over limit of " + JinjaTemplater.DEFAULT_MAX_OUTPUT);
    }

    @Test
    void aListGrownPastTheCollectionLimit() {
        assertThatThrownBy(() -> T.render(
                "{% set l = [1] %}{% for i in range(40) %}{% set l = l + l %}{% endfor %}{{ l | length }}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("template output too large")
                .hasMessageContaining("maximum size of 1000000");
    }

    @Test
    void sequenceRepetitionPastTheLimits() {
        assertThatThrownBy(() -> T.render("{{ ('ab' * 10**12) | length }}", VARS)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("template output too large")
                .hasMessageContaining("over limit of " + JinjaTemplater.DEFAULT_MAX_OUTPUT);
        assertThatThrownBy(() -> T.render("{{ ([1, 2] * 600000) | length }}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("maximum size of 1000000");
    }

    @Test
    void aHugeRange() {
        assertThatThrownBy(() -> T.render("{{ range(10**9) | sum }}", VARS)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("range() of 1000000000 numbers is over fleet's limit of 100000");
        assertThatThrownBy(() -> T.render("{% for i in range(0, 10**10, 2) %}{% endfor %}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("over fleet's limit of 100000");
    }

    @Test
    void macroRecursion() {
        assertThatThrownBy(() -> T.render(
                "{% macro m(k) %}{% if k > 0 %}{{ m(k - 1) }}{% endif %}{% endmacro %}{{ m(100000) }}", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("Max recursion limit of 20");
    }

    @Test
    void aCatastrophicRegexInAFilter() {
        assertThatThrownBy(() -> T.render("{{ ('a' ~ 'a' ~ 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') "
                + "| regex_search('(.*a){20}$') }}", VARS))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("regular expression '(.*a){20}$' took ")
                .hasMessageContaining("catastrophic backtracking");
        String evil = "'" + "a".repeat(50) + "!'";
        assertThatThrownBy(() -> T.evaluate(evil + " is match('(.*a){20}$')", VARS))
                .isInstanceOf(TemplateException.class).hasMessageContaining("regular expression '(.*a){20}$' took ");
    }
}
