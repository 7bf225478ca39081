package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** -e key=value uses the same splitter as free-form module arguments. */
class ExtraVarsTest {

    @Test
    void keyValuesKeepTemplatesQuotesAndEmptyValues() throws Exception {
        assertThat(ExtraVars.parse(List.of("url=http://{{ inventory_hostname }}/x msg='two words' empty=")))
                .isEqualTo(Map.of("url", "http://{{ inventory_hostname }}/x", "msg", "two words", "empty", ""));
        assertThat(ExtraVars.parse(List.of("greeting=\"{{ 'hello world' | upper }}\"")))
                .isEqualTo(Map.of("greeting", "{{ 'hello world' | upper }}"));
    }

    @Test
    void wordsWithoutEqualsOrOpenQuotesAreRefused() {
        assertThatThrownBy(() -> ExtraVars.parse(List.of("a=1 oops"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("'oops' is not key=value");
        assertThatThrownBy(() -> ExtraVars.parse(List.of("a='1"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("unbalanced");
    }
}
