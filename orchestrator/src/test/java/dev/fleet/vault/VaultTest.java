package dev.fleet.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
    @TempDir
    Path dir;

    private static final String PLAIN = "db_password: hunter2-but-longer\n";

    @Test
    void defaultIdWritesFormat11AndLabelledIdWrites12() throws Exception {
        Vault v = new Vault(List.of(VaultSecret.of("default", "pw-one"), VaultSecret.of("prod", "pw-two")), s -> {});
        String v11 = v.encrypt(PLAIN, v.secrets().get(0));
        String v12 = v.encrypt(PLAIN, v.secrets().get(1));
        assertThat(v11).startsWith("$ANSIBLE_VAULT;1.1;AES256\n").endsWith("\n");
        assertThat(v12).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        for (String line : v11.split("\n")) assertThat(line.length()).isLessThanOrEqualTo(80);
        assertThat(v.decrypt(v11, "a.yml").text()).isEqualTo(PLAIN);
        Vault.Decrypted d = v.decrypt(v12, "b.yml");
        assertThat(d.text()).isEqualTo(PLAIN);
        assertThat(d.vaultId()).isEqualTo("prod");
        // a fresh salt every time: the same plaintext never encrypts to the same text
        assertThat(v.encrypt(PLAIN, v.secrets().get(0))).isNotEqualTo(v11);
    }

    @Test
    void emptyAndBlockSizedPlaintextsRoundTrip() throws Exception {
        Vault v = new Vault(List.of(VaultSecret.of("default", "pw")), s -> {});
        for (String p : List.of("", "x", "0123456789abcdef", "0123456789abcdef0", "ünïcödé ✓")) {
            assertThat(v.decrypt(v.encrypt(p, v.secrets().get(0)), "f").text()).isEqualTo(p);
        }
    }

    @Test
    void wrongPasswordNamesFileAndIdButNoSecret() throws Exception {
        String text = new Vault(List.of(VaultSecret.of("prod", "right-password")), s -> {})
                .encrypt(PLAIN, VaultSecret.of("prod", "right-password"));
        Vault wrong = new Vault(List.of(VaultSecret.of("prod", "wrong-password")), s -> {});
        assertThatThrownBy(() -> wrong.decrypt(text, "group_vars/all/vault.yml"))
                .isInstanceOf(VaultException.class)
                .hasMessageContaining("group_vars/all/vault.yml").hasMessageContaining("prod")
                .hasMessageContaining("decryption failed")
                .message().doesNotContain("wrong-password").doesNotContain("right-password").doesNotContain("hunter2");
    }

    @Test
    void tamperedTextFailsTheMac() throws Exception {
        VaultSecret s = VaultSecret.of("default", "pw");
        Vault v = new Vault(List.of(s), x -> {});
        String text = v.encrypt(PLAIN, s);
        // The body is hex of "salt\nhmac\nciphertext" (itself hex): change one hex digit of the ciphertext to
        // another hex digit and encode again, so the file stays well-formed and only the MAC can notice. Done on
        // the decoded body, the change is the same whatever the random salt.
        String[] lines = text.split("\n");
        String header = lines[0];
        StringBuilder hex = new StringBuilder();
        for (int i = 1; i < lines.length; i++) hex.append(lines[i].strip());
        byte[] inner = java.util.HexFormat.of().parseHex(hex);
        int at = inner.length - 2; // a digit of the ciphertext, the last field
        inner[at] = (byte) (inner[at] == '0' ? '1' : '0');
        String tampered = header + "\n" + java.util.HexFormat.of().formatHex(inner) + "\n";
        assertThatThrownBy(() -> v.decrypt(tampered, "vars.yml")).isInstanceOf(VaultException.class)
                .hasMessageContaining("vars.yml").hasMessageContaining("altered");
        assertThatThrownBy(() -> v.decrypt("$ANSIBLE_VAULT;1.1;AES256\nzz\n", "v.yml"))
                .hasMessageContaining("v.yml").hasMessageContaining("not hexadecimal");
    }

    @Test
    void noSecretsSaysWhichOptionToPass() throws Exception {
        String text = new Vault(List.of(VaultSecret.of("default", "pw")), s -> {})
                .encrypt(PLAIN, VaultSecret.of("default", "pw"));
        assertThatThrownBy(() -> Vault.NONE.decrypt(text, "host_vars/web1.yml"))
                .hasMessageContaining("host_vars/web1.yml").hasMessageContaining("no vault secrets found")
                .hasMessageContaining("--vault-password-file");
    }

    @Test
    void matchingLabelIsTriedFirstThenTheOthersInOrder() throws Exception {
        VaultSecret dev = VaultSecret.of("dev", "dev-pw");
        VaultSecret prod = VaultSecret.of("prod", "prod-pw");
        // a 1.2 header naming "dev" but encrypted with prod's password: the others are tried after the match
        String mislabelled = new VaultEnvelope("1.2", "AES256", "dev",
                VaultEnvelope.parse(new Vault(List.of(prod), s -> {}).encrypt(PLAIN, prod), "x").body()).format();
        Vault.Decrypted d = new Vault(List.of(dev, prod), s -> {}).decrypt(mislabelled, "x");
        assertThat(d.vaultId()).isEqualTo("prod");
        assertThat(d.text()).isEqualTo(PLAIN);
    }

    @Test
    void everyPlaintextIsRevealedToTheListener() throws Exception {
        List<String> seen = new ArrayList<>();
        VaultSecret s = VaultSecret.of("default", "pw");
        Vault v = new Vault(List.of(s), seen::add);
        v.decrypt(v.encrypt("s3cret-value", s), "f");
        assertThat(seen).containsExactly("s3cret-value");
    }

    @Test
    void secretsNeverShowInToString() {
        VaultSecret s = VaultSecret.of("prod", "topsecret");
        assertThat(s.toString()).contains("prod").doesNotContain("topsecret");
        assertThat(new Vault(List.of(s), x -> {}).toString()).doesNotContain("topsecret");
    }

    @Test
    void passwordFilesScriptsAndClientScripts() throws Exception {
        Path file = Files.writeString(dir.resolve("pw.txt"), "  file-pw \n");
        Path script = dir.resolve("pw.sh");
        Files.writeString(script, "#!/bin/sh\necho 'script-pw '\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path client = dir.resolve("vault-client.sh");
        Files.writeString(client, "#!/bin/sh\n[ \"$1\" = --vault-id ] && echo \"pw-for-$2\"\n");
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        VaultPasswords pw = new VaultPasswords(p -> { throw new AssertionError("no prompt expected"); });
        List<VaultSecret> got = pw.load(List.of("dev@" + script, "prod@" + client), List.of(file), false, false);
        assertThat(got).extracting(VaultSecret::id).containsExactly("dev", "prod", "default");
        assertThat(got.get(0).password()).isEqualTo("script-pw ".getBytes(StandardCharsets.UTF_8));
        assertThat(got.get(1).password()).isEqualTo("pw-for-prod".getBytes(StandardCharsets.UTF_8));
        assertThat(got.get(2).password()).isEqualTo("file-pw".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> pw.load("x@" + dir.resolve("missing"), false))
                .hasMessageContaining("missing").hasMessageContaining("not found");
    }

    @Test
    void promptAsksTwiceWhenEncrypting() throws Exception {
        List<String> asked = new ArrayList<>();
        VaultPasswords pw = new VaultPasswords(p -> {
            asked.add(p);
            return "typed".toCharArray();
        });
        VaultSecret s = pw.load("ops@prompt", true);
        assertThat(s.id()).isEqualTo("ops");
        assertThat(asked).containsExactly("New vault password (ops): ", "Confirm new vault password (ops): ");
    }

    @Test
    void remembersTheIdsThatDecryptedSomethingAcrossTheVaultsMadeFromIt() throws Exception {
        VaultSecret a = VaultSecret.of("a", "pass-a");
        VaultSecret b = VaultSecret.of("b", "pass-b");
        Vault vault = new Vault(List.of(a, b, VaultSecret.of("c", "pass-c")), s -> {});
        String byB = vault.encrypt("one", b);
        String byA = vault.encrypt("two", a);
        assertThat(vault.idsUsed()).isEmpty(); // encrypting is not using
        Vault derived = vault.alsoRevealingTo(s -> {});
        derived.decrypt(byB, "f1");
        vault.decrypt(byA, "f2");
        assertThat(vault.idsUsed()).containsExactly("b", "a");
        assertThat(derived.idsUsed()).containsExactly("b", "a");
        assertThatThrownBy(() -> new Vault(List.of(VaultSecret.of("b", "wrong")), s -> {}).decrypt(byB, "f3"))
                .isInstanceOf(VaultException.class);
        assertThat(new Vault(List.of(a, b), s -> {}).idsUsed()).isEmpty();
    }
}
