package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How --diff output reads for each shape of diff a module returns, as Ansible's default callback renders them. */
class DiffTextTest {
    @Test
    void beforeAndAfterTextsBecomeAUnifiedDiffWithTheirHeaders() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", "a\nb\n");
        d.put("after", "a\nc\n");
        d.put("before_header", "/etc/php.ini");
        d.put("after_header", "/etc/php.ini");
        assertThat(DiffText.render(d)).isEqualTo("--- before: /etc/php.ini\n+++ after: /etc/php.ini\n@@ -1,2 +1,2 @@\n"
                + " a\n-b\n+c");
    }

    @Test
    void mappingsAreComparedAsSortedJsonAndNullsAsEmpty() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("before", Map.of("hostname", "old", "a", 1));
        d.put("after", Map.of("hostname", "new", "a", 1));
        String out = DiffText.render(d);
        assertThat(out).startsWith("--- before\n+++ after\n").contains("-  \"hostname\" : \"old\"")
                .contains("+  \"hostname\" : \"new\"");
        Map<String, Object> created = new LinkedHashMap<>();
        created.put("before", null);
        created.put("after", "x\n");
        assertThat(DiffText.render(created)).endsWith("+x");
    }

    @Test
    void preparedTextListsAndPlainStrings() {
        assertThat(DiffText.render(Map.of("prepared", "The following NEW packages will be installed:\n  hello\n")))
                .isEqualTo("The following NEW packages will be installed:\n  hello");
        assertThat(DiffText.render(List.of(Map.of("before", "", "after", "deb x\n", "after_header", "/etc/a.list"),
                Map.of("before", "deb y\n", "after", "", "before_header", "/etc/b.list"))))
                .contains("+++ after: /etc/a.list\n").contains("--- before: /etc/b.list\n").contains("-deb y");
        assertThat(DiffText.render("--- a\n+++ b\n")).isEqualTo("--- a\n+++ b");
        assertThat(DiffText.render(Map.of("before", "same", "after", "same"))).isEmpty();
        assertThat(DiffText.render(null)).isEmpty();
    }
}
