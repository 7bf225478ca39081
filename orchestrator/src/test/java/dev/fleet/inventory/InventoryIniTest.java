package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryIniTest {
    static final String INI = """
            # hosts before any section are ungrouped
            loose1 ansible_host=10.0.0.9
            ; semicolon comment

            [web]
            web1 ansible_host=127.0.0.2 ansible_port=2222 foo="a b"   # trailing comment
            web2:2200 ansible_user=deploy

            [db]
            db-[a:b].example.com

            [prod:children]
            web
            db

            [prod:vars]
            env=production
            retries=3
            debug=False

            [web:vars]
            http_port=8080
            """;

    static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    @Test
    void parsesGroupsChildrenVarsAndRangesInFileOrder() throws Exception {
        Inventory inv = Inventory.parse(INI, "hosts");

        assertThat(names(inv.hosts())).containsExactly("loose1", "web1", "web2", "db-a.example.com",
                "db-b.example.com");
        assertThat(inv.groups().keySet()).containsExactly("all", "ungrouped", "web", "db", "prod");
        assertThat(inv.groups().get("ungrouped").hosts()).containsExactly("loose1");
        assertThat(inv.groups().get("web").hosts()).containsExactly("web1", "web2");
        assertThat(inv.groups().get("prod").children()).containsExactly("web", "db");
        assertThat(inv.groups().get("prod").hosts()).isEmpty();
        assertThat(inv.hostsOf("prod")).containsExactly("web1", "web2", "db-a.example.com", "db-b.example.com");
        assertThat(inv.groups().get("all").children()).containsExactly("ungrouped", "prod");

        Host web1 = inv.host("web1").orElseThrow();
        assertThat(web1.vars()).containsExactly(entry("ansible_host", "127.0.0.2"), entry("ansible_port", 2222),
                entry("foo", "a b"));
        assertThat(inv.host("web2").orElseThrow().vars()).containsEntry("ansible_port", 2200)
                .containsEntry("ansible_user", "deploy");

        Map<String, Object> vars = inv.varsFor("web1");
        assertThat(vars).containsEntry("env", "production").containsEntry("retries", 3)
                .containsEntry("debug", false).containsEntry("http_port", 8080)
                .containsEntry("inventory_hostname", "web1")
                .containsEntry("group_names", List.of("prod", "web"));
        assertThat(inv.varsFor("loose1")).containsEntry("group_names", List.of()).doesNotContainKey("env");
        assertThat(inv.varsFor("nope")).isEmpty();
    }

    @Test
    void connectionReadsMergedVars() throws Exception {
        Inventory inv = Inventory.parse("""
                [web]
                web1 ansible_host=127.0.0.2 ansible_port=2222
                web2
                [web:vars]
                ansible_user=deploy
                ansible_ssh_private_key_file=~/.ssh/fleet
                """, "hosts");
        assertThat(inv.connection("web1"))
                .isEqualTo(new HostConnection("web1", "127.0.0.2", 2222, "deploy", "~/.ssh/fleet"));
        assertThat(inv.connection("web2")).isEqualTo(new HostConnection("web2", "web2", 22, "deploy", "~/.ssh/fleet"));
    }

    @Test
    void expandsNumericLetterAndStrideRanges() throws Exception {
        Inventory inv = Inventory.parse("""
                [web]
                web[01:03].example.com
                [db]
                db-[a:c]
                [odd]
                node[1:10:2]
                [grid]
                r[1:2]c[a:b]
                """, "hosts");
        assertThat(inv.groups().get("web").hosts())
                .containsExactly("web01.example.com", "web02.example.com", "web03.example.com");
        assertThat(inv.groups().get("db").hosts()).containsExactly("db-a", "db-b", "db-c");
        assertThat(inv.groups().get("odd").hosts()).containsExactly("node1", "node3", "node5", "node7", "node9");
        assertThat(inv.groups().get("grid").hosts()).containsExactly("r1ca", "r1cb", "r2ca", "r2cb");
    }

    @Test
    void typesValuesLikeAnsible() throws Exception {
        Inventory inv = Inventory.parse("""
                h1 a=1 b=True c=false d="quoted text" e='[1, "x"]' f=007 g=10.0.0.1 h=1.5 i=None j=yes
                [all:vars]
                m={'k': [1, 2], 'n': 'v'}
                s = "spaced # not a comment"
                t=plain text stays
                """, "hosts");
        Map<String, Object> v = inv.varsFor("h1");
        assertThat(v).containsEntry("a", 1).containsEntry("b", true).containsEntry("c", false)
                .containsEntry("d", "quoted text").containsEntry("e", List.of(1, "x")).containsEntry("f", "007")
                .containsEntry("g", "10.0.0.1").containsEntry("h", 1.5).containsEntry("i", null)
                .containsEntry("j", "yes").containsEntry("m", Map.of("k", List.of(1, 2), "n", "v"))
                .containsEntry("s", "spaced # not a comment").containsEntry("t", "plain text stays");
    }

    @Test
    void hostListedUngroupedAndInAGroupIsNotUngrouped() throws Exception {
        Inventory inv = Inventory.parse("""
                a
                b
                [web]
                b
                """, "hosts");
        assertThat(inv.groups().get("ungrouped").hosts()).containsExactly("a");
        assertThat(names(inv.hosts())).containsExactly("a", "b");
    }

    @Test
    void childGroupDeclaredAfterItsParentAndVarsBeforeTheGroup() throws Exception {
        Inventory inv = Inventory.parse("""
                [app:vars]
                x=1
                [prod:children]
                app
                [app]
                app1
                """, "hosts");
        assertThat(inv.hostsOf("prod")).containsExactly("app1");
        assertThat(inv.varsFor("app1")).containsEntry("x", 1);
    }
}
