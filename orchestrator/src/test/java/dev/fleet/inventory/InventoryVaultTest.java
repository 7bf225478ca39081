package dev.fleet.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InventoryVaultTest {
    @TempDir
    Path dir;

    final VaultSecret secret = VaultSecret.of("default", "inv-pass");
    final List<String> revealed = new ArrayList<>();
    final Vault vault = new Vault(List.of(secret), revealed::add);

    @Test
    void vaultedIniInventoryIsReadWithTheSecret() throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts"), vault.encrypt("[web]\nweb1 ansible_port=2222\n", secret));
        Inventory i = Inventory.load(inv, vault);
        assertThat(i.varsFor("web1")).containsEntry("ansible_port", 2222);
        assertThatThrownBy(() -> Inventory.load(inv)).hasMessageContaining("hosts")
                .hasMessageContaining("no vault secrets found");
    }

    @Test
    void vaultedYamlInventoryAndVaultedHostVarsRevealTheirValues() throws Exception {
        Path inv = Files.writeString(dir.resolve("hosts.yml"),
                vault.encrypt("all:\n  hosts:\n    db1:\n      db_pass: inline-db-pass\n", secret));
        Files.createDirectories(dir.resolve("host_vars/db1"));
        Files.writeString(dir.resolve("host_vars/db1/vault.yml"), vault.encrypt("api_key: key-from-dir\n", secret));
        Inventory i = Inventory.load(inv, vault);
        assertThat(i.varsFor("db1")).containsEntry("db_pass", "inline-db-pass").containsEntry("api_key",
                "key-from-dir");
        assertThat(revealed).contains("inline-db-pass", "key-from-dir");
    }
}
