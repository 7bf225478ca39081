package dev.fleet.cli;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet vault} against the real ansible-vault, both ways, for format 1.1 (default id) and 1.2 (labelled
 * ids), files and encrypt_string. Test vectors are made on the spot by both tools; none are stored.
 */
class VaultCommandTest {
    @TempDir
    Path dir;
    Path pw;
    Path prodPw;
    static final String PLAIN = "---\napi_token: tok-3141592653\nlist:\n  - ünïcödé\n";

    @BeforeEach
    void passwords() throws IOException {
        pw = Files.writeString(dir.resolve("pw"), "correct horse\n");
        prodPw = Files.writeString(dir.resolve("prod-pw"), "battery staple\n");
    }

    static boolean ansibleVault() {
        try {
            return new ProcessBuilder("ansible-vault", "--version").redirectErrorStream(true).start()
                    .waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs a command with optional stdin and extra environment; returns {exit, stdout, stderr}. */
    static String[] sh(String stdin, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        p.waitFor(120, TimeUnit.SECONDS);
        return new String[] {"" + p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8)};
    }

    static String[] ansibleVault(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-vault"));
        cmd.addAll(List.of(args));
        String[] r = sh(null, Map.of(), cmd.toArray(String[]::new));
        assertThat(r[0]).as("ansible-vault %s\n%s%s", args, r[1], r[2]).isEqualTo("0");
        return r;
    }

    /** fleet in a JVM of its own, for stdin and $EDITOR, which the in-process runner cannot give. */
    static String[] fleetProcess(String stdin, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main"));
        cmd.addAll(List.of(args));
        return sh(stdin, env, cmd.toArray(String[]::new));
    }

    @Test
    void fleetEncryptsWhatAnsibleVaultDecrypts() throws Exception {
        assumeTrue(ansibleVault(), "ansible-vault is not on the PATH");
        Path f11 = Files.writeString(dir.resolve("v11.yml"), PLAIN);
        Run r = fleet("vault", "encrypt", "--vault-password-file", pw.toString(), f11.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Encryption successful");
        assertThat(Files.readString(f11)).startsWith("$ANSIBLE_VAULT;1.1;AES256\n");
        assertThat(ansibleVault("view", "--vault-password-file", pw.toString(), f11.toString())[1]).isEqualTo(PLAIN);

        Path f12 = Files.writeString(dir.resolve("v12.yml"), PLAIN);
        r = fleet("vault", "encrypt", "--vault-id", "dev@" + pw, "--vault-id", "prod@" + prodPw,
                "--encrypt-vault-id", "prod", f12.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(f12)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        ansibleVault("decrypt", "--vault-id", "prod@" + prodPw, f12.toString());
        assertThat(Files.readString(f12)).isEqualTo(PLAIN);
    }

    @Test
    void fleetDecryptsWhatAnsibleVaultEncrypts() throws Exception {
        assumeTrue(ansibleVault(), "ansible-vault is not on the PATH");
        Path f11 = Files.writeString(dir.resolve("a11.yml"), PLAIN);
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), f11.toString());
        Run r = fleet("vault", "view", "--vault-password-file", pw.toString(), f11.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(PLAIN);

        Path f12 = Files.writeString(dir.resolve("a12.yml"), PLAIN);
        ansibleVault("encrypt", "--vault-id", "prod@" + prodPw, f12.toString());
        assertThat(Files.readString(f12)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        Path out = dir.resolve("plain.yml");
        // the wrong id is given first: the label match must win, as in Ansible
        r = fleet("vault", "decrypt", "--vault-id", "dev@" + pw, "--vault-id", "prod@" + prodPw,
                "--output", out.toString(), f12.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).isEqualTo(PLAIN);
    }

    @Test
    void wrongPasswordNamesTheFileAndNothingSecret() throws Exception {
        Path f = Files.writeString(dir.resolve("secret.yml"), PLAIN);
        assertThat(fleet("vault", "encrypt", "--vault-id", "prod@" + prodPw, f.toString()).exit()).isZero();
        String before = Files.readString(f);
        Run r = fleet("vault", "decrypt", "--vault-id", "prod@" + pw, f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("secret.yml", "prod", "decryption failed")
                .doesNotContain("correct horse", "battery staple", "tok-3141592653");
        assertThat(Files.readString(f)).isEqualTo(before);
    }

    @Test
    void rekeyMovesAFileToANewVaultId() throws Exception {
        assumeTrue(ansibleVault(), "ansible-vault is not on the PATH");
        Path f = Files.writeString(dir.resolve("r.yml"), PLAIN);
        ansibleVault("encrypt", "--vault-password-file", pw.toString(), f.toString());
        Run r = fleet("vault", "rekey", "--vault-password-file", pw.toString(), "--new-vault-id",
                "prod@" + prodPw, f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("Rekey successful");
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        assertThat(ansibleVault("view", "--vault-id", "prod@" + prodPw, f.toString())[1]).isEqualTo(PLAIN);
    }

    @Test
    void encryptStringFromArgumentsAndStdinReadsBackInAnsible() throws Exception {
        assumeTrue(ansibleVault(), "ansible-vault is not on the PATH");
        Run r = fleet("vault", "encrypt_string", "--vault-id", "prod@" + prodPw, "--name", "db_pass", "s3cr3t-db");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("db_pass: !vault |\n          $ANSIBLE_VAULT;1.2;AES256;prod\n          ");
        String[] piped = fleetProcess("from-stdin-42", Map.of(), "vault", "encrypt_string", "--vault-password-file",
                pw.toString(), "--stdin-name", "api_key");
        assertThat(piped[0]).as(piped[2]).isEqualTo("0");
        assertThat(piped[1]).startsWith("api_key: !vault |\n          $ANSIBLE_VAULT;1.1;AES256\n");
        // Ansible itself reads both back from a vars file
        Path vars = Files.writeString(dir.resolve("vars.yml"), r.out() + piped[1]);
        String[] shown = sh(null, Map.of(), "ansible", "localhost", "-c", "local", "-m", "debug", "-a",
                "msg={{ db_pass }}/{{ api_key }}", "-e", "@" + vars, "--vault-id", "prod@" + prodPw,
                "--vault-password-file", pw.toString());
        assertThat(shown[0]).as(shown[1] + shown[2]).isEqualTo("0");
        assertThat(shown[1]).contains("s3cr3t-db/from-stdin-42");
    }

    @Test
    void ansibleEncryptStringDecryptsInFleet() throws Exception {
        assumeTrue(ansibleVault(), "ansible-vault is not on the PATH");
        String yaml = ansibleVault("encrypt_string", "--vault-id", "prod@" + prodPw, "--name", "k", "v-a-l-u-e")[1];
        StringBuilder text = new StringBuilder();
        for (String line : yaml.split("\n")) if (line.startsWith(" ")) text.append(line.strip()).append('\n');
        Path f = Files.writeString(dir.resolve("s.vault"), text);
        Run r = fleet("vault", "view", "--vault-id", "prod@" + prodPw, f.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("v-a-l-u-e");
    }

    @Test
    void editUsesAPrivateTempFileThatIsRemoved() throws Exception {
        Path f = Files.writeString(dir.resolve("e.yml"), PLAIN);
        assertThat(fleet("vault", "encrypt", "--vault-id", "prod@" + prodPw, f.toString()).exit()).isZero();
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nstat -c %a \"$1\" > " + dir.resolve("mode") + "\necho \"$1\" > "
                + dir.resolve("path") + "\necho 'added: yes' >> \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        String[] r = fleetProcess(null, Map.of("EDITOR", editor.toString()), "vault", "edit", "--vault-id",
                "prod@" + prodPw, f.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(Files.readString(dir.resolve("mode")).strip()).isEqualTo("600");
        assertThat(Path.of(Files.readString(dir.resolve("path")).strip())).doesNotExist();
        assertThat(Files.readString(f)).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n");
        Run view = fleet("vault", "view", "--vault-id", "prod@" + prodPw, f.toString());
        assertThat(view.out()).isEqualTo(PLAIN + "added: yes\n");

        Path created = dir.resolve("new.yml");
        r = fleetProcess(null, Map.of("EDITOR", editor.toString()), "vault", "create", "--vault-password-file",
                pw.toString(), created.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(fleet("vault", "view", "--vault-password-file", pw.toString(), created.toString()).out())
                .isEqualTo("added: yes\n");
        assertThat(fleet("vault", "create", "--vault-password-file", pw.toString(), created.toString()).err())
                .contains("exists", "edit");
    }

    @Test
    void severalIdsNeedEncryptVaultId() throws Exception {
        Path f = Files.writeString(dir.resolve("x.yml"), PLAIN);
        Run r = fleet("vault", "encrypt", "--vault-id", "a@" + pw, "--vault-id", "b@" + prodPw, f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("a, b", "--encrypt-vault-id");
        assertThat(Files.readString(f)).isEqualTo(PLAIN);
    }

    @Test
    void ansibleEnvironmentNamesThePasswordAndNoneMeansAskAtATerminal() throws Exception {
        Path f = Files.writeString(dir.resolve("env.yml"), PLAIN);
        assertThat(fleet("vault", "encrypt", "--vault-id", "prod@" + prodPw, f.toString()).exit()).isZero();
        String[] r = fleetProcess(null, Map.of("ANSIBLE_VAULT_IDENTITY_LIST", "dev@" + pw + ",prod@" + prodPw),
                "vault", "view", f.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).isEqualTo(PLAIN);
        r = fleetProcess(null, Map.of(), "vault", "view", f.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("needs a terminal", "--vault-password-file");
    }
}
