package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected values from ansible-core 2.14. */
class LookupSubelementsTest {
    private static final LookupContext CTX =
            new LookupContext(List.of(), Path.of("."), Map.of(), LookupContext.Renderer.NONE);
    private static final Lookup SUB = Lookups.find("subelements").orElseThrow();

    private static Map<String, Object> user(String name, List<String> groups) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("name", name);
        if (groups != null) u.put("groups", groups);
        return u;
    }

    private final List<Object> users = List.of(user("a", List.of("g1", "g2")), user("b", List.of("g3")),
            user("c", null));

    @Test
    void pairsEachRecordWithEachElementOfItsList() throws Exception {
        List<Object> r = SUB.run(Arrays.asList(users.subList(0, 2), "groups"), Map.of(), CTX);
        // As in Ansible, the record in the pair lacks the list it was split on.
        assertThat(r).isEqualTo(List.of(List.of(Map.of("name", "a"), "g1"), List.of(Map.of("name", "a"), "g2"),
                List.of(Map.of("name", "b"), "g3")));
        assertThat(((Map<?, ?>) users.get(0)).get("groups"))
                .isEqualTo(List.of("g1", "g2")); // the variable is untouched
    }

    @Test
    void missingKeysFailUnlessSkipped() throws Exception {
        assertThatThrownBy(() -> SUB.run(Arrays.asList(users, "groups"), Map.of(), CTX))
                .isInstanceOf(LookupException.class)
                .hasMessageContaining("could not find 'groups' key in iterated item");
        List<Object> skipping = SUB.run(Arrays.asList(users, "groups", Map.of("skip_missing", true)), Map.of(), CTX);
        assertThat(skipping).hasSize(3);
        assertThat(SUB.run(Arrays.asList(users, "groups"), Map.of("skip_missing", true), CTX)).hasSize(3);
    }

    @Test
    void nestedKeysAndDictsOfRecords() throws Exception {
        Map<String, Object> mysql = new LinkedHashMap<>();
        mysql.put("h", List.of(1, 2));
        Map<String, Object> u1 = new LinkedHashMap<>();
        u1.put("name", "x");
        u1.put("m", mysql);
        List<Object> r = SUB.run(Arrays.asList(Map.of("u1", u1), "m.h"), Map.of(), CTX);
        Map<String, Object> stripped = Map.of("name", "x", "m", Map.of());
        assertThat(r).isEqualTo(List.of(List.of(stripped, 1), List.of(stripped, 2)));
    }

    @Test
    void badTermsAreExplained() {
        assertThatThrownBy(() -> SUB.run(List.of(users), Map.of(), CTX)).hasMessageContaining("two or three items");
        assertThatThrownBy(() -> SUB.run(Arrays.asList(users, 1), Map.of(), CTX))
                .hasMessageContaining("second a string");
        assertThatThrownBy(() -> SUB.run(Arrays.asList(List.of("x"), "k"), Map.of(), CTX))
                .hasMessageContaining("expects a dictionary");
        assertThatThrownBy(() -> SUB.run(Arrays.asList(users, "groups", Map.of("bogus", 1)), Map.of(), CTX))
                .hasMessageContaining("skip_missing");
    }
}
