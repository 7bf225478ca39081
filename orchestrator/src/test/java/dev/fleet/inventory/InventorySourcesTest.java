package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories of mixed sources, several sources merged, and the implicit localhost. */
class InventorySourcesTest {
    @TempDir
    Path dir;

    private Path write(String rel, String text) throws Exception {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void aDirectoryMixesScriptsIniAndYamlInNameOrder() throws Exception {
        InventoryScriptTest.script(dir, "inv/10-cmdb", """
                printf '{"web": ["w1", "w2"], "_meta": {"hostvars": {"w1": {"from": "script"}}}}'
                """);
        write("inv/20-static", "[web]\nw3\n[db]\nd1\n");
        write("inv/sub/30.yml", "all:\n  hosts:\n    y1:\n");
        write("inv/40.ini", "[web]\nignored_ini\n"); // Ansible 2.14 ignores .ini files in a directory
        write("inv/50~", "[web]\nignored_backup\n");
        write("inv/.hidden", "[web]\nignored_hidden\n");
        write("inv/README.md", "# not an inventory\n");
        write("inv/group_vars/web.yml", "gv: 1\n");
        write("inv/host_vars/w1.yml", "hv: file\n");

        Inventory inv = Inventory.load(dir.resolve("inv"));

        assertThat(inv.hosts()).extracting(Host::name).containsExactly("w1", "w2", "w3", "d1", "y1");
        assertThat(inv.hostsOf("web")).containsExactly("w1", "w2", "w3");
        assertThat(inv.hostsOf("ungrouped")).containsExactly("y1");
        assertThat(inv.varsFor("w1")).containsEntry("from", "script").containsEntry("gv", 1)
                .containsEntry("hv", "file");
        assertThat(inv.varsFor("w3")).containsEntry("gv", 1);
    }

    @Test
    void severalSourcesAreUnitedAndLaterVariablesWin() throws Exception {
        Path a = write("a/hosts", "[web]\nw1 v=1\n[prod:children]\nweb\n[all:vars]\nav=a\n");
        Path b = write("b/hosts", "[web]\nw1 v=2\nw2\n[all:vars]\nav=b\n");
        write("a/group_vars/web.yml", "x: a_web\nonly_a: 1\n");
        write("b/group_vars/prod.yml", "x: b_prod\n");

        Inventory inv = InventoryLoader.load(List.of(a.toString(), b.toString(), "z1, z2:2222,"), Vault.NONE);

        assertThat(inv.hosts()).extracting(Host::name).containsExactly("w1", "w2", "z1", "z2");
        assertThat(inv.hostsOf("prod")).containsExactly("w1", "w2");
        assertThat(inv.varsFor("w1")).containsEntry("v", 2).containsEntry("av", "b").containsEntry("only_a", 1)
                // Ansible combines group_vars per source: b's file for the parent group beats a's for the child
                .containsEntry("x", "b_prod");
        assertThat(inv.varsFor("z2")).containsEntry("ansible_port", 2222);
        assertThat(inv.hostsOf("ungrouped")).containsExactly("z1", "z2");
    }

    @Test
    void aMissingSourceIsNamed() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> InventoryLoader.load(List.of(missing.toString()), Vault.NONE))
                .isInstanceOf(ParseException.class).hasMessageContaining(missing.toString())
                .hasMessageContaining("not found");
    }

    @Test
    void anInventoryPluginConfigurationIsRefusedWithItsPosition() throws Exception {
        Path p = write("inv/aws_ec2.yml", "# the cloud's hosts\nplugin: amazon.aws.aws_ec2\nregions: [eu-west-1]\n");
        assertThatThrownBy(() -> Inventory.load(p)).isInstanceOf(ParseException.class)
                .hasMessageContaining("aws_ec2.yml:2:1").hasMessageContaining("plugin: amazon.aws.aws_ec2");
    }

    @Test
    void explicitLocalhostWithLocalConnectionParses() throws Exception {
        Inventory inv = Inventory.parse("localhost ansible_connection=local\n[web]\nw1\n", "hosts");
        assertThat(inv.hostsOf("all")).containsExactly("localhost", "w1");
        assertThat(inv.isImplicit("localhost")).isFalse();
        assertThat(inv.varsFor("localhost")).containsEntry("ansible_connection", "local");
        assertThat(inv.select("localhost")).extracting(Host::name).containsExactly("localhost");
    }

    @Test
    void implicitLocalhostIsSelectableByNameButNotInAll() throws Exception {
        write("hosts", "[web]\nw1\n[all:vars]\nav=inv\n");
        write("group_vars/all.yml", "gall: a\n");
        write("host_vars/localhost.yml", "hv: local\n");
        Inventory inv = Inventory.load(dir.resolve("hosts"));

        assertThat(inv.select("all")).extracting(Host::name).containsExactly("w1");
        assertThat(inv.hosts()).extracting(Host::name).containsExactly("w1");
        assertThat(inv.hostsOf("all")).containsExactly("w1");
        assertThat(inv.select("localhost")).extracting(Host::name).containsExactly("localhost");
        assertThat(inv.select("web:localhost")).extracting(Host::name).containsExactly("w1", "localhost");
        assertThat(inv.select("127.0.0.1")).extracting(Host::name).containsExactly("127.0.0.1");
        assertThat(inv.select("local*")).isEmpty(); // only the exact name, as in Ansible
        assertThat(inv.selectWithWarnings("localhost").warnings()).isEmpty();
        assertThat(inv.varsFor("localhost")).containsEntry("ansible_connection", "local")
                .containsEntry("av", "inv").containsEntry("gall", "a").containsEntry("hv", "local")
                .containsEntry("group_names", List.of()).containsEntry("inventory_hostname", "localhost");
        assertThat(inv.host("localhost")).isPresent();
        assertThat(InventoryViews.list(inv).toString()).doesNotContain("localhost");
    }
}
