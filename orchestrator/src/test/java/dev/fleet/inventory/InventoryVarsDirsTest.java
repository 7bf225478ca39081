package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryVarsDirsTest {
    @TempDir
    Path dir;

    private void write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void precedenceFollowsAnsible() throws Exception {
        write("hosts", """
                [web]
                web1 level=host_inline
                web2
                [prod:children]
                web
                [all:vars]
                level=all_inventory
                only_all=1
                [prod:vars]
                level=prod_inventory
                from_prod_inv=1
                [web:vars]
                level=web_inventory
                """);
        write("group_vars/all.yml", "level: all_file\nall_file: yes\n");
        write("group_vars/prod.yaml", "level: prod_file\nparent_over_child_inventory: prod_file\n");
        write("group_vars/web", "level: web_file\n"); // a plain file without extension
        write("host_vars/web1.yml", "level: host_file\n");

        Inventory inv = Inventory.load(dir.resolve("hosts"));

        assertThat(inv.varsFor("web1")).containsEntry("level", "host_file").containsEntry("only_all", 1)
                .containsEntry("all_file", true).containsEntry("from_prod_inv", 1);
        // without host vars the deepest group's group_vars file wins
        assertThat(inv.varsFor("web2")).containsEntry("level", "web_file");
        assertThat(inv.host("web1").orElseThrow().vars()).containsEntry("level", "host_file");
        assertThat(inv.groups().get("web").vars()).containsEntry("level", "web_file");
        assertThat(inv.groups().get("prod").vars()).containsEntry("from_prod_inv", 1)
                .containsEntry("level", "prod_file");
    }

    @Test
    void inventoryGroupVarsRankByDepthThenPriorityThenName() throws Exception {
        write("hosts", """
                [a]
                h
                [b]
                h
                [parent:children]
                b
                [all:vars]
                x=all
                [parent:vars]
                x=parent
                y=parent
                [a:vars]
                x=a
                y=a
                [b:vars]
                x=b
                """);
        Inventory inv = Inventory.load(dir.resolve("hosts"));
        // a and parent are both depth 1: 'parent' sorts after 'a'; b (depth 2) beats both
        assertThat(inv.varsFor("h")).containsEntry("x", "b").containsEntry("y", "parent");

        write("hosts2", """
                [a]
                h
                [z]
                h
                [a:vars]
                x=a
                ansible_group_priority=10
                [z:vars]
                x=z
                """);
        assertThat(Inventory.load(dir.resolve("hosts2")).varsFor("h")).containsEntry("x", "a");
    }

    @Test
    void directoryOfVarsFilesMergesInNameOrderAndShadowsOtherSpellings() throws Exception {
        write("inv.yml", "all:\n  hosts:\n    h1:\n  children:\n    db:\n      hosts:\n        h2:\n");
        write("group_vars/db/10-base.yml", "a: base\nb: base\n");
        write("group_vars/db/20-override.yaml", "b: override\n");
        write("group_vars/db/sub/30.json", "{\"c\": [1, 2]}");
        write("group_vars/db/notes.txt", "ignored: true\n");
        write("group_vars/db/.hidden.yml", "hidden: true\n");
        write("group_vars/db.yml", "shadowed: true\n"); // Ansible uses only the first of db, db.yml, ...
        write("host_vars/h1/main.yml", "own: 1\n");

        Inventory inv = Inventory.load(dir.resolve("inv.yml"));
        assertThat(inv.varsFor("h2")).containsEntry("a", "base").containsEntry("b", "override")
                .containsEntry("c", List.of(1, 2)).doesNotContainKeys("ignored", "hidden", "shadowed");
        assertThat(inv.host("h1").orElseThrow().vars()).isEqualTo(Map.of("own", 1));
    }

    @Test
    void parseReadsNoVarsDirectories() throws Exception {
        write("group_vars/all.yml", "x: 1\n");
        assertThat(Inventory.parse("h1\n", dir.resolve("hosts").toString()).varsFor("h1")).doesNotContainKey("x");
    }

    @Test
    void loadsADirectoryInventory() throws Exception {
        write("inv/01-hosts", "[web]\nweb1\n");
        write("inv/02-more.yml", "all:\n  children:\n    db:\n      hosts:\n        db1:\n    prod:\n"
                + "      children:\n        web:\n        db:\n");
        write("inv/old.retry", "garbage ] [\n");
        write("inv/group_vars/prod.yml", "env: prod\n");
        Inventory inv = Inventory.load(dir.resolve("inv"));
        assertThat(inv.hostsOf("prod")).containsExactly("web1", "db1");
        assertThat(inv.varsFor("db1")).containsEntry("env", "prod");
    }
}
