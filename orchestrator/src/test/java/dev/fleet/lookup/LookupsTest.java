package dev.fleet.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LookupsTest {
    @Test
    void findsShortAndQualifiedNames() {
        assertThat(Lookups.find("file")).get().extracting(Lookup::name).isEqualTo("file");
        assertThat(Lookups.find("ansible.builtin.sequence")).get().extracting(Lookup::name).isEqualTo("sequence");
        assertThat(Lookups.find("ansible.legacy.items")).get().extracting(Lookup::name).isEqualTo("items");
        assertThat(Lookups.find("nope")).isEmpty();
        assertThat(Lookups.find("ansible.builtin.nope")).isEmpty();
        assertThat(Lookups.find(null)).isEmpty();
    }

    @Test
    void namesListsEveryBuiltinOnce() {
        assertThat(Lookups.names()).containsExactly("csvfile", "dict", "env", "file", "fileglob", "first_found",
                "indexed_items", "ini", "items", "lines", "list", "nested", "password", "pipe", "random_choice",
                "sequence", "subelements", "template", "together", "vars");
        for (String n : Lookups.names()) assertThat(Lookups.find(n)).get().extracting(Lookup::name).isEqualTo(n);
        assertThat(Lookups.unknown("x")).contains("lookup plugin (x) not found").contains("sequence");
    }

    @Test
    void loopValuesBecomeTermsAsWithLoopsListifyThem() {
        assertThat(Lookups.terms("motd")).isEqualTo(List.of("motd"));
        assertThat(Lookups.terms(List.of(1, List.of(2, 3)))).isEqualTo(List.of(1, List.of(2, 3)));
        assertThat(Lookups.terms(Map.of("a", 1))).isEqualTo(List.of(Map.of("a", 1)));
        assertThat(Lookups.terms(null)).containsExactly((Object) null);
    }
}
