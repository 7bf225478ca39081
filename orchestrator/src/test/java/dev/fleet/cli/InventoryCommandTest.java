package dev.fleet.cli;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli.Run;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryCommandTest {
    @TempDir
    Path dir;

    @Test
    void graphShowsGroupsChildrenAndExpandedRanges() throws Exception {
        Path inv = dir.resolve("hosts.ini");
        Files.writeString(inv, "[web]\nweb[1:2]\n[db]\ndb1\n[prod:children]\nweb\n");
        Run o = fleet("inventory", "-i", inv.toString(), "--graph");
        assertThat(o.exit()).isZero();
        assertThat(o.out()).contains("@all:", "|--@prod:", "|  |--@web:", "|  |  |--web1", "|  |  |--web2", "|--@db:");
    }

    @Test
    void listIsAnsibleInventoryJsonWithMergedHostVars() throws Exception {
        Path inv = dir.resolve("hosts.ini");
        Files.writeString(inv, "[web]\nweb1 ansible_port=2222\n[web:vars]\nrole=frontend\n");
        Files.createDirectories(dir.resolve("host_vars"));
        Files.writeString(dir.resolve("host_vars/web1.yml"), "tier: gold\n");
        Run o = fleet("inventory", "-i", inv.toString(), "--list");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonObject j = new JsonObject(o.out());
        JsonObject web1 = j.getJsonObject("_meta").getJsonObject("hostvars").getJsonObject("web1");
        assertThat(web1.getInteger("ansible_port")).isEqualTo(2222);
        assertThat(web1.getString("role")).isEqualTo("frontend");
        assertThat(web1.getString("tier")).isEqualTo("gold");
        assertThat(j.getJsonObject("web").getJsonArray("hosts").getList()).containsExactly("web1");
    }

    @Test
    void aBrokenInventoryIsAParseErrorWithPosition() throws Exception {
        Path inv = dir.resolve("bad.ini");
        Files.writeString(inv, "[web]\nweb[01:xx]\n");
        Run o = fleet("inventory", "-i", inv.toString(), "--graph");
        assertThat(o.exit()).isEqualTo(4);
        assertThat(o.err()).contains("bad.ini:2:");
    }

    @Test
    void aMissingInventoryIsABadOption() {
        Run o = fleet("inventory", "-i", dir.resolve("nope.ini").toString(), "--graph");
        assertThat(o.exit()).isEqualTo(5);
        assertThat(o.err()).contains("not found");
    }
}
