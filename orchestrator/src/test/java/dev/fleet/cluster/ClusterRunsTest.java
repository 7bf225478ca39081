package dev.fleet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultSecret;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a clustered run ships to the workers, and what it refuses to ship before it joins the cluster. */
class ClusterRunsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------ what the open message ships

    static final VaultSecret PROD = VaultSecret.of("prod", "prod-pass");

    static String vaulted(String plaintext) {
        return new Vault(List.of(PROD), x -> {}).encrypt(plaintext, PROD);
    }

    static RunOptions options(Map<String, Object> extraVars) {
        return new RunOptions(5, null, null, null, Duration.ofSeconds(5), Duration.ofSeconds(60), extraVars, false,
                false, Set.of(), Set.of(), null, null, null, 0);
    }

    static List<String> entries(byte[] zip) throws Exception {
        List<String> out = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) out.add(e.getName());
        }
        return out;
    }

    @Test
    void shipsTheRolesItUsesFromTheRolesPathAndTheWorkersRolesPath() throws Exception {
        Path pbDir = dir.resolve("project");
        Path shared = dir.resolve("shared-roles");
        Path inside = pbDir.resolve("more-roles");
        for (String r : List.of("web", "unused", "base")) {
            Files.createDirectories(shared.resolve(r).resolve("tasks"));
            Files.writeString(shared.resolve(r).resolve("tasks/main.yml"), "- debug: msg=" + r + "\n");
        }
        Files.writeString(shared.resolve("web/tasks/main.yml"), "- debug: msg={{ word }}\n");
        Files.createDirectories(shared.resolve("web/meta"));
        Files.writeString(shared.resolve("web/meta/main.yml"), "dependencies: [base]\n");
        Files.createDirectories(shared.resolve("onlydefaults/defaults"));
        Files.writeString(shared.resolve("onlydefaults/defaults/main.yml"), "word: hello\n");
        Files.createDirectories(inside.resolve("local/tasks"));
        Files.writeString(inside.resolve("local/tasks/main.yml"), "- debug: msg=local\n");
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  roles: [onlydefaults, web, local]\n");
        List<Path> rolesPath = List.of(dir.resolve("nothing-here"), shared, inside);
        Playbook playbook = new RunSetup().withRolesPath(rolesPath).parse(pb);

        JsonObject open = OpenMessage.build(pb, playbook, Inventory.parse("h1\n", "inv"), options(Map.of()),
                new RunInputs(rolesPath, Vault.NONE, Set.of()));

        assertThat(entries(open.getBinary("archive"))).contains("playbook/site.yml",
                "playbook/more-roles/local/tasks/main.yml", "roles_path/1/web/tasks/main.yml",
                "roles_path/1/web/meta/main.yml", "roles_path/1/base/tasks/main.yml",
                "roles_path/1/onlydefaults/defaults/main.yml").noneMatch(e -> e.contains("unused"));
        assertThat(open.getJsonArray("rolesPath").getList())
                .containsExactly("roles_path/0", "roles_path/1", "playbook/more-roles");
        assertThat(open.getJsonArray("vaultIds")).isEmpty();
    }

    @Test
    void aRoleIncludeRoleNamesLiterallyIsShippedWithItsDependenciesAndTheRolesItIncludes() throws Exception {
        Path pbDir = Files.createDirectories(dir.resolve("project"));
        Path shared = dir.resolve("shared-roles");
        for (String r : List.of("app", "dep", "inner", "unused")) {
            Files.createDirectories(shared.resolve(r).resolve("tasks"));
            Files.writeString(shared.resolve(r).resolve("tasks/main.yml"), "- debug: msg=" + r + "\n");
        }
        Files.createDirectories(shared.resolve("app/meta"));
        Files.writeString(shared.resolve("app/meta/main.yml"), "dependencies: [dep]\n");
        Files.writeString(shared.resolve("app/tasks/main.yml"), "- include_role: {name: inner}\n");
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, """
                - hosts: all
                  tasks:
                    - include_role: {name: app}
                    - include_role: {name: "{{ 'unu' }}sed"}
                """);
        List<Path> rolesPath = List.of(shared);
        Playbook playbook = new RunSetup().withRolesPath(rolesPath).parse(pb);

        JsonObject open = OpenMessage.build(pb, playbook, Inventory.parse("h1\n", "inv"), options(Map.of()),
                new RunInputs(rolesPath, Vault.NONE, Set.of()));

        // a templated name is known only when a host reaches the include: not shipped from the roles path
        assertThat(entries(open.getBinary("archive"))).contains("roles_path/0/app/tasks/main.yml",
                "roles_path/0/app/meta/main.yml", "roles_path/0/dep/tasks/main.yml",
                "roles_path/0/inner/tasks/main.yml").noneMatch(e -> e.contains("unused"));
    }

    @Test
    void aRoleOutsideThePlaybookAndTheRolesPathIsRefusedBeforeTheClusterIsJoined() throws Exception {
        Path pbDir = dir.resolve("project");
        Files.createDirectories(dir.resolve("elsewhere/odd/tasks"));
        Files.writeString(dir.resolve("elsewhere/odd/tasks/main.yml"), "- debug: msg=odd\n");
        Files.createDirectories(pbDir);
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  roles: [../elsewhere/odd]\n");
        Playbook playbook = new RunSetup().withRolesPath(List.of(dir.resolve("r"))).parse(pb);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OpenMessage.build(pb, playbook,
                Inventory.parse("h1\n", "inv"), options(Map.of()), new RunInputs(List.of(dir.resolve("r")),
                Vault.NONE, Set.of()))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("elsewhere/odd is outside the playbook's directory")
                .hasMessageContaining("add its parent directory to roles_path");
    }

    @Test
    void vaultedValuesTravelEncryptedAndTheVaultIdsUsedAreNamed() throws Exception {
        Path pbDir = dir.resolve("project");
        Files.createDirectories(pbDir);
        Files.writeString(pbDir.resolve("secrets.yml"), vaulted("db_password: s3cret-db\n"));
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  vars_files: [secrets.yml]\n  tasks:\n    - debug: msg=hi\n");
        Path invDir = dir.resolve("inv");
        Files.createDirectories(invDir.resolve("host_vars"));
        Files.writeString(invDir.resolve("hosts.ini"), "h1\nh2 plain=visible\n");
        StringBuilder token = new StringBuilder("api_token: !vault |\n");
        vaulted("tok-98765").lines().forEach(l -> token.append("  ").append(l).append('\n'));
        Files.writeString(invDir.resolve("host_vars/h1.yml"),
                token + "port_number: 2222\nnested: {a: [1, tok-98765]}\n");

        Set<String> revealed = ConcurrentHashMap.newKeySet();
        Vault vault = new Vault(List.of(VaultSecret.of("other", "x"), PROD), x -> {}).alsoRevealingTo(revealed::add);
        Inventory inv = Inventory.load(invDir.resolve("hosts.ini"), vault);
        Playbook playbook = new RunSetup().parse(pb, vault);
        JsonObject open = OpenMessage.build(pb, playbook, inv, options(Map.of("from_e", "s3cret-db", "n", 1)),
                new RunInputs(List.of(), vault, revealed));

        assertThat(open.getJsonArray("vaultIds").getList()).containsExactly("prod");
        String shipped = open.encode();
        assertThat(shipped).doesNotContain("tok-98765").doesNotContain("s3cret-db");
        JsonObject h1 = new JsonObject(open.getString("inventory")).getJsonObject("_meta")
                .getJsonObject("hostvars").getJsonObject("h1");
        assertThat(h1.getJsonObject("api_token").getString(VaultSeal.KEY)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod");
        assertThat(h1.getInteger("port_number")).isEqualTo(2222); // not a vaulted value: plain
        assertThat(h1.getJsonObject("nested").containsKey(VaultSeal.KEY)).isTrue(); // holds one: sealed whole
        assertThat(new JsonObject(open.getString("inventory")).getJsonObject("_meta").getJsonObject("hostvars")
                .getJsonObject("h2").getString("plain")).isEqualTo("visible");
        JsonObject extra = open.getJsonObject("options").getJsonObject("extraVars");
        assertThat(extra.getJsonObject("from_e").containsKey(VaultSeal.KEY)).isTrue();
        assertThat(extra.getInteger("n")).isEqualTo(1);
    }

    @Test
    void aRoleLinkedIntoThePlaybooksRolesFromElsewhereIsShippedItself() throws Exception {
        Path pbDir = dir.resolve("project");
        Files.createDirectories(pbDir.resolve("roles"));
        Files.createDirectories(dir.resolve("elsewhere/linked/tasks"));
        Files.writeString(dir.resolve("elsewhere/linked/tasks/main.yml"), "- debug: msg=linked\n");
        Files.createSymbolicLink(pbDir.resolve("roles/linked"), dir.resolve("elsewhere/linked"));
        Path pb = pbDir.resolve("site.yml");
        Files.writeString(pb, "- hosts: all\n  roles: [linked]\n");
        Playbook playbook = new RunSetup().withRolesPath(List.of(dir.resolve("r"))).parse(pb);
        JsonObject open = OpenMessage.build(pb, playbook, Inventory.parse("h1\n", "inv"), options(Map.of()),
                new RunInputs(List.of(dir.resolve("r")), Vault.NONE, Set.of()));
        assertThat(entries(open.getBinary("archive"))).contains("playbook/site.yml",
                "playbook/roles/linked/tasks/main.yml");
    }
}
