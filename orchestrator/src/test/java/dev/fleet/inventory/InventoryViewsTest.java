package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryViewsTest {
    @Test
    void graphMatchesAnsibleInventoryGraph() throws Exception {
        Inventory inv = Inventory.parse(InventoryIniTest.INI, "hosts");
        assertThat(InventoryViews.graph(inv)).isEqualTo("""
                @all:
                  |--@prod:
                  |  |--@db:
                  |  |  |--db-a.example.com
                  |  |  |--db-b.example.com
                  |  |--@web:
                  |  |  |--web1
                  |  |  |--web2
                  |--@ungrouped:
                  |  |--loose1
                """);
    }

    @Test
    void graphShowsEmptyUngrouped() throws Exception {
        Inventory inv = Inventory.parse("[web]\nweb1\n", "hosts");
        assertThat(InventoryViews.graph(inv)).isEqualTo("@all:\n  |--@ungrouped:\n  |--@web:\n  |  |--web1\n");
    }

    @Test
    void listMatchesAnsibleInventoryList() throws Exception {
        Inventory inv = Inventory.parse("""
                host0
                [web]
                web2
                web1 a=1
                [web:vars]
                b=x
                [empty]
                """, "hosts");
        Map<String, Object> list = InventoryViews.list(inv);
        assertThat(list.keySet()).containsExactly("_meta", "all", "ungrouped", "web");
        assertThat(list.get("all")).isEqualTo(Map.of("children", List.of("empty", "ungrouped", "web")));
        assertThat(list.get("ungrouped")).isEqualTo(Map.of("hosts", List.of("host0")));
        assertThat(list.get("web")).isEqualTo(Map.of("hosts", List.of("web2", "web1")));
        assertThat(list.get("_meta")).isEqualTo(Map.of("hostvars", Map.of(
                "web1", Map.of("a", 1, "b", "x"),
                "web2", Map.of("b", "x"))));
        @SuppressWarnings("unchecked")
        Map<String, Object> web1 = (Map<String, Object>) ((Map<String, Map<String, Object>>) list.get("_meta"))
                .get("hostvars").get("web1");
        assertThat(web1.keySet()).containsExactly("a", "b");
    }
}
