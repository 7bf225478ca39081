package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** items, list, indexed_items, dict, together, nested, random_choice: expected values from ansible-core 2.14. */
class LookupListsTest {
    private static final LookupContext CTX =
            new LookupContext(List.of(), Path.of("."), Map.of(), LookupContext.Renderer.NONE);

    private static List<Object> run(String name, Object... terms) throws LookupException {
        return Lookups.find(name).orElseThrow().run(Arrays.asList(terms), Map.of(), CTX);
    }

    @Test
    void itemsFlattensOneLevel() throws Exception {
        assertThat(run("items", List.of(1, List.of(2, 3)), "x")).isEqualTo(List.of(1, List.of(2, 3), "x"));
        assertThat(run("items", List.of(1, List.of(2, List.of(3))))).isEqualTo(List.of(1, List.of(2, List.of(3))));
        assertThat(run("items", "a", "b")).isEqualTo(List.of("a", "b"));
        assertThat(run("items", List.of())).isEqualTo(List.of());
    }

    @Test
    void listKeepsTermsAsGiven() throws Exception {
        assertThat(run("list", List.of(1, List.of(2, 3)), "x")).isEqualTo(List.of(List.of(1, List.of(2, 3)), "x"));
        assertThat(run("list", "a")).isEqualTo(List.of("a"));
    }

    @Test
    void indexedItemsPairsIndexAndItem() throws Exception {
        assertThat(run("indexed_items", List.of("a", "b"))).isEqualTo(List.of(List.of(0, "a"), List.of(1, "b")));
        assertThat(run("indexed_items", List.of("a", List.of("b"))))
                .isEqualTo(List.of(List.of(0, "a"), List.of(1, List.of("b"))));
    }

    @Test
    void dictGivesKeyValueEntriesInOrder() throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("b", 1);
        d.put("a", 2);
        assertThat(run("dict", d)).isEqualTo(List.of(Map.of("key", "b", "value", 1), Map.of("key", "a", "value", 2)));
        assertThatThrownBy(() -> run("dict", List.of(1))).isInstanceOf(LookupException.class)
                .hasMessageContaining("with_dict expects a dict");
    }

    @Test
    void togetherZipsAndPadsWithNone() throws Exception {
        assertThat(run("together", List.of(1, 2, 3), List.of("a", "b")))
                .isEqualTo(List.of(List.of(1, "a"), List.of(2, "b"), Arrays.asList(3, null)));
        assertThat(run("together", "x", List.of(1, 2))).isEqualTo(List.of(List.of("x", 1), Arrays.asList(null, 2)));
        assertThatThrownBy(() -> run("together")).isInstanceOf(LookupException.class)
                .hasMessageContaining("at least one element");
    }

    @Test
    void nestedIsTheCartesianProduct() throws Exception {
        assertThat(run("nested", List.of(1, 2), List.of("a", "b")))
                .isEqualTo(List.of(List.of(1, "a"), List.of(1, "b"), List.of(2, "a"), List.of(2, "b")));
        assertThat(run("nested", List.of(1, 2), List.of("a"))).isEqualTo(List.of(List.of(1, "a"), List.of(2, "a")));
        // an element that is a list is spliced into its combination
        assertThat(run("nested", List.of(List.of(1, 2)), List.of("a"))).isEqualTo(List.of(List.of(1, 2, "a")));
        assertThatThrownBy(() -> run("nested")).isInstanceOf(LookupException.class);
    }

    @Test
    void randomChoicePicksOneTerm() throws Exception {
        List<Object> terms = List.of("a", "b", "c");
        for (int i = 0; i < 20; i++) assertThat(run("random_choice", terms.toArray()))
                .hasSize(1).containsAnyElementsOf(terms);
        assertThat(run("random_choice")).isEqualTo(new ArrayList<>());
    }
}
