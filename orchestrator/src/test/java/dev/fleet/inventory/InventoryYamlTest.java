package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryYamlTest {
    static final String YAML = """
            all:
              hosts:
                loose1:
                  ansible_host: 10.0.0.9
              children:
                prod:
                  vars:
                    env: production
                    retries: 3
                    debug: false
                  children:
                    web:
                      hosts:
                        web1:
                          ansible_host: 127.0.0.2
                          ansible_port: 2222
                          foo: a b
                        web2:2200:
                          ansible_user: deploy
                      vars:
                        http_port: 8080
                    db:
                      hosts:
                        db-[a:b].example.com:
            """;

    @Test
    void yamlGivesTheSameInventoryAsTheEquivalentIni() throws Exception {
        Inventory yaml = Inventory.parse(YAML, "hosts.yml");
        Inventory ini = Inventory.parse(InventoryIniTest.INI, "hosts");

        assertThat(InventoryIniTest.names(yaml.hosts())).isEqualTo(InventoryIniTest.names(ini.hosts()));
        assertThat(yaml.hosts()).isEqualTo(ini.hosts());
        for (Host h : ini.hosts()) assertThat(yaml.varsFor(h.name())).isEqualTo(ini.varsFor(h.name()));
        for (String g : List.of("all", "ungrouped", "web", "db", "prod")) {
            assertThat(yaml.hostsOf(g)).as(g).isEqualTo(ini.hostsOf(g));
            assertThat(yaml.groups().get(g).hosts()).as(g).isEqualTo(ini.groups().get(g).hosts());
        }
        assertThat(InventoryViews.graph(yaml)).isEqualTo(InventoryViews.graph(ini));
        assertThat(InventoryViews.list(yaml)).isEqualTo(InventoryViews.list(ini));
    }

    @Test
    void detectsYamlWithoutExtensionAndIniWithHostPorts() throws Exception {
        Inventory yaml = Inventory.parse("# comment\nweb:\n  hosts:\n    w1:\n", "inventory");
        assertThat(yaml.groups().get("web").hosts()).containsExactly("w1");
        Inventory ini = Inventory.parse("w1:2222\nw2 x=1\n", "inventory");
        assertThat(ini.groups().get("ungrouped").hosts()).containsExactly("w1", "w2");
        assertThat(ini.host("w1").orElseThrow().vars()).containsEntry("ansible_port", 2222);
    }

    @Test
    void groupDefinedInSeveralPlacesMergesAndStringHostsAreAccepted() throws Exception {
        Inventory inv = Inventory.parse("""
                web:
                  hosts: w1
                prod:
                  children:
                    web:
                      hosts:
                        w2:
                      vars:
                        v: 2
                """, "x.yaml");
        assertThat(inv.groups().get("web").hosts()).containsExactly("w1", "w2");
        assertThat(inv.varsFor("w1")).containsEntry("v", 2);
        assertThat(inv.groups().get("all").children()).containsExactly("ungrouped", "prod");
    }
}
