package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryConstructedTest {
    @TempDir
    Path dir;

    private Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void groupsAndKeyedGroupsFromHostVariables() throws Exception {
        write("inv/10-hosts", """
                [web]
                w1 os="Ubuntu 22.04" tags="['a','b-c']" env=prod
                w2 os=centos env=dev
                [db]
                d1 env=prod
                """);
        write("inv/20-constructed.yml", """
                plugin: ansible.builtin.constructed
                strict: false
                compose:
                  tier: env
                groups:
                  prodweb: env == 'prod' and 'web' in group_names
                  notweb: "'web' not in group_names"
                  hasos: os is defined
                  never: nosuchvar == 1
                keyed_groups:
                  - key: os
                    prefix: os
                  - key: tags
                  - key: env
                    prefix: ""
                    separator: ""
                  - key: missing
                    default_value: none
                    prefix: m
                """);
        Inventory inv = Inventory.load(dir.resolve("inv"));
        assertThat(inv.hostsOf("prodweb")).containsExactly("w1");
        assertThat(inv.hostsOf("notweb")).containsExactly("d1");
        assertThat(inv.hostsOf("hasos")).containsExactly("w1", "w2");
        assertThat(inv.group("never")).isEmpty(); // undefined with strict: false skips the host
        assertThat(inv.hostsOf("os_Ubuntu_22_04")).containsExactly("w1");
        assertThat(inv.hostsOf("os_centos")).containsExactly("w2");
        assertThat(inv.hostsOf("_a")).containsExactly("w1");
        assertThat(inv.hostsOf("_b_c")).containsExactly("w1");
        assertThat(inv.hostsOf("prod")).containsExactly("w1", "d1");
        assertThat(inv.hostsOf("dev")).containsExactly("w2");
        assertThat(inv.groups().keySet()).noneMatch(g -> g.startsWith("m_"));
        assertThat(inv.varsFor("w2")).containsEntry("tier", "dev");
    }

    @Test
    void strictFailsOnAnUndefinedVariableWithThePosition() throws Exception {
        write("inv/10-hosts", "w1\n");
        write("inv/20-c.yml", "plugin: constructed\nstrict: true\ngroups:\n  g: nosuch == 1\n");
        assertThatThrownBy(() -> Inventory.load(dir.resolve("inv"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("20-c.yml:4:3").hasMessageContaining("nosuch");
    }

    @Test
    void unsupportedExpressionsAreRefusedAtLoad() throws Exception {
        write("inv/20-c.yml", "plugin: constructed\nkeyed_groups:\n  - key: os | lower\n");
        assertThatThrownBy(() -> Inventory.load(dir.resolve("inv"))).isInstanceOf(ParseException.class)
                .hasMessageContaining("20-c.yml:3:5").hasMessageContaining("no filters");
    }

    @Test
    void parentGroupAndLeadingSeparator() throws Exception {
        write("inv/10-hosts", "w1 region=eu-west\n");
        write("inv/20-c.yml", """
                plugin: constructed
                leading_separator: false
                keyed_groups:
                  - key: region
                    parent_group: regions
                """);
        Inventory inv = Inventory.load(dir.resolve("inv"));
        assertThat(inv.hostsOf("eu_west")).containsExactly("w1");
        assertThat(inv.group("regions").orElseThrow().children()).containsExactly("eu_west");
    }
}
