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

    @Test
    void repeatedInventoryOptionsAreMergedInOrder() throws Exception {
        Path a = dir.resolve("a.ini");
        Files.writeString(a, "[web]\nweb1 v=1\n");
        Path script = dir.resolve("cmdb");
        Files.writeString(script, "#!/bin/sh\nprintf '{\"web\": {\"hosts\": [\"web1\", \"web2\"]}, \"_meta\": "
                + "{\"hostvars\": {\"web1\": {\"v\": 2}}}}'\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Run o = fleet("inventory", "-i", a.toString(), "-i", script.toString(), "-i", "extra1,", "--list");
        assertThat(o.exit()).as(o.err()).isZero();
        JsonObject j = new JsonObject(o.out());
        assertThat(j.getJsonObject("web").getJsonArray("hosts").getList()).containsExactly("web1", "web2");
        assertThat(j.getJsonObject("ungrouped").getJsonArray("hosts").getList()).containsExactly("extra1");
        assertThat(j.getJsonObject("_meta").getJsonObject("hostvars").getJsonObject("web1").getInteger("v"))
                .isEqualTo(2);
    }

    @Test
    void aFailingScriptIsAParseErrorNamingIt() throws Exception {
        Path script = dir.resolve("cmdb");
        Files.writeString(script, "#!/bin/sh\necho 'token expired' >&2\nexit 2\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Run o = fleet("inventory", "-i", script.toString(), "--graph");
        assertThat(o.exit()).isEqualTo(4);
        assertThat(o.err()).contains(script.toString(), "exit code 2", "token expired");
    }

    @Test
    void aPlayOnTheImplicitLocalhostRunsLocally() throws Exception {
        Path inv = dir.resolve("hosts");
        Files.writeString(inv, "[web]\nweb1\n");
        Path marker = dir.resolve("ran");
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, "- hosts: localhost\n  gather_facts: false\n  tasks:\n"
                + "    - command: touch " + marker + "\n");
        Run o = fleet("run", "-i", inv.toString(), "--no-history", pb.toString());
        assertThat(o.exit()).as(o.out() + o.err()).isZero();
        assertThat(marker).exists();
    }
}
