package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryScriptTest {
    @TempDir
    Path dir;

    /** A {@code #!/bin/sh} script whose body is {@code body}, made executable. */
    static Path script(Path dir, String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void listWithGroupsAsListsAndObjectsAndMetaHostvars() throws Exception {
        Path s = script(dir, "inv.sh", """
                [ "$1" = "--list" ] || exit 9
                printf '%s' '{"web": ["w1", "w2"], "db": {"hosts": ["d1"], "vars": {"x": 1}, "children": ["dbc"]},
                 "dbc": {"hosts": ["d2"]}, "solo": {"a": 1},
                 "_meta": {"hostvars": {"w1": {"hv": "s", "x": 2}}}}'
                """);
        Inventory inv = Inventory.load(s);
        assertThat(inv.hostsOf("web")).containsExactly("w1", "w2");
        assertThat(inv.hostsOf("db")).containsExactly("d1", "d2");
        // a group object without hosts/vars/children is a host of the group's name with those (group) vars
        assertThat(inv.hostsOf("solo")).containsExactly("solo");
        assertThat(inv.varsFor("solo")).containsEntry("a", 1);
        assertThat(inv.varsFor("w1")).containsEntry("hv", "s").containsEntry("x", 2);
        assertThat(inv.varsFor("d2")).containsEntry("x", 1).containsEntry("group_names", List.of("db", "dbc"));
        assertThat(inv.hostsOf("ungrouped")).isEmpty();
    }

    @Test
    void withoutMetaEachHostIsAskedWithHost() throws Exception {
        Path s = script(dir, "inv", """
                case "$1" in
                  --list) printf '{"g": ["h1", "h2"], "other": {"hosts": ["h3"]}}' ;;
                  --host) [ "$2" = h3 ] || printf '{"who": "%s"}' "$2" ;;
                  *) exit 9 ;;
                esac
                """);
        Inventory inv = Inventory.load(s);
        assertThat(inv.varsFor("h1")).containsEntry("who", "h1");
        assertThat(inv.varsFor("h2")).containsEntry("who", "h2");
        assertThat(inv.varsFor("h3")).doesNotContainKey("who"); // empty output: no variables
    }

    @Test
    void metaWithoutHostvarsStillAsksEachHost() throws Exception {
        Path s = script(dir, "inv", """
                case "$1" in
                  --list) printf '{"g": ["h1"], "_meta": {}}' ;;
                  --host) printf '{"asked": true}' ;;
                esac
                """);
        assertThat(Inventory.load(s).varsFor("h1")).containsEntry("asked", true);
    }

    @Test
    void aFailingScriptIsNamedWithItsExitCodeAndStderr() throws Exception {
        Path s = script(dir, "broken", "echo 'cannot reach the CMDB' >&2\necho partial\nexit 3");
        assertThatThrownBy(() -> Inventory.load(s)).isInstanceOf(ParseException.class)
                .hasMessageContaining(s.toString())
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("cannot reach the CMDB");
    }

    @Test
    void outputThatIsNotJsonIsShown() throws Exception {
        Path s = script(dir, "notjson", "printf '{\"web\": [\"w1\",'");
        assertThatThrownBy(() -> Inventory.load(s)).isInstanceOf(ParseException.class)
                .hasMessageContaining(s.toString())
                .hasMessageContaining("not JSON")
                .hasMessageContaining("{\"web\": [\"w1\",");
    }

    @Test
    void aListThatIsNotAnObjectIsRefused() throws Exception {
        Path s = script(dir, "list", "printf '[\"w1\"]'");
        assertThatThrownBy(() -> Inventory.load(s)).hasMessageContaining("expected a JSON object of groups");
        Path bad = script(dir, "badhosts", "printf '{\"web\": {\"hosts\": \"w1\"}}'");
        assertThatThrownBy(() -> Inventory.load(bad)).hasMessageContaining("'hosts' of group 'web' must be a list");
    }

    @Test
    void aHungScriptIsKilledAfterTheTimeout() throws Exception {
        Path s = script(dir, "slow", "sleep 30");
        long start = System.nanoTime();
        assertThatThrownBy(() -> InventoryLoader.load(List.of(s.toString()), Vault.NONE, Duration.ofMillis(500)))
                .isInstanceOf(ParseException.class).hasMessageContaining(s.toString())
                .hasMessageContaining("did not finish --list");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void onlyExecutableProgramsAreRun() throws Exception {
        // not executable: read as INI, where the #! line is a comment
        Path plain = dir.resolve("plain");
        Files.writeString(plain, "#!/bin/sh\n[web]\nw1\n");
        assertThat(Inventory.load(plain).hostsOf("web")).containsExactly("w1");
        // executable but without #!: Ansible cannot execute it either and reads it as INI
        Path exec = dir.resolve("exec");
        Files.writeString(exec, "[web]\nw2\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Inventory.load(exec).hostsOf("web")).containsExactly("w2");
    }
}
