package dev.fleet.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlVaultTest {
    @TempDir
    Path dir;

    final VaultSecret prod = VaultSecret.of("prod", "prod-password");
    final List<String> revealed = new ArrayList<>();
    final Vault vault = new Vault(List.of(prod), revealed::add);

    /** The vault text of {@code plain}, indented as encrypt_string writes it. */
    String inline(String plain) {
        StringBuilder sb = new StringBuilder("!vault |\n");
        for (String line : vault.encrypt(plain, prod).split("\n")) sb.append("          ").append(line).append('\n');
        return sb.toString();
    }

    @Test
    void vaultTaggedScalarBecomesItsDecryptedString() throws Exception {
        String yaml = "user: admin\npassword: " + inline("s3cret-pw") + "port: " + inline("5432");
        var m = (YamlNode.Mapping) YamlLoader.load(yaml, "vars.yml", vault);
        assertThat(m.toPlain()).isEqualTo(Map.of("user", "admin", "password", "s3cret-pw", "port", "5432"));
        assertThat(revealed).containsExactly("s3cret-pw", "5432");
    }

    @Test
    void wholeVaultedFileIsDecryptedAndEveryValueRevealed() throws Exception {
        Path f = Files.writeString(dir.resolve("vault.yml"),
                vault.encrypt("db:\n  password: hunter2hunter2\n  port: 5432\n  tls: true\n", prod));
        var m = (YamlNode.Mapping) YamlLoader.load(f, vault);
        assertThat(m.toPlain()).isEqualTo(Map.of("db", Map.of("password", "hunter2hunter2", "port", 5432,
                "tls", true)));
        assertThat(revealed).containsExactly("hunter2hunter2", "5432");
    }

    @Test
    void withoutSecretsTheErrorNamesTheFileAndTheOption() throws Exception {
        Path f = Files.writeString(dir.resolve("group_vars_all.yml"), vault.encrypt("a: b\n", prod));
        assertThatThrownBy(() -> YamlLoader.load(f)).isInstanceOf(ParseException.class)
                .hasMessageContaining("group_vars_all.yml").hasMessageContaining("no vault secrets found")
                .hasMessageContaining("--vault-password-file").hasMessageContaining("prod");
        assertThatThrownBy(() -> YamlLoader.load("k: " + inline("v"), "pb.yml"))
                .hasMessageContaining("pb.yml:1:4").hasMessageContaining("no vault secrets found");
    }

    @Test
    void wrongSecretNamesThePositionButNoSecret() throws Exception {
        Vault wrong = new Vault(List.of(VaultSecret.of("prod", "not-it")), s -> {});
        assertThatThrownBy(() -> YamlLoader.load("a: 1\nk: " + inline("the-plaintext"), "pb.yml", wrong))
                .hasMessageContaining("pb.yml:2:4").hasMessageContaining("decryption failed")
                .message().doesNotContain("the-plaintext").doesNotContain("not-it").doesNotContain("prod-password");
        assertThatThrownBy(() -> YamlLoader.load("k: !vault not-vault-text", "pb.yml", vault))
                .hasMessageContaining("!vault value must be vault text");
    }
}
