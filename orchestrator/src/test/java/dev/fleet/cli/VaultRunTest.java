package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Ansible-style project with vaulted data (a whole vaulted group_vars file, a {@code !vault} value in
 * host_vars, a vaulted {@code -e @file}) run against a real sshd host: the values reach the task, and none of
 * them reaches the console, the JSON/JUnit/HTML reports or the history database.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VaultRunTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    static final String DB_PASSWORD = "Sup3r-db-Passw0rd";
    static final String API_TOKEN = "tok_live_8c1f52";
    static final String EXTRA_SECRET = "extra-S3cret-99";
    static final List<String> SECRETS = List.of(DB_PASSWORD, API_TOKEN, EXTRA_SECRET);

    Path pw;
    Path prodPw;

    /** inventory.ini with group_vars/all.yml (vaulted whole, default id) and host_vars/host1.yml (!vault, prod). */
    Path project() throws Exception {
        pw = Files.writeString(dir.resolve("vault-pass"), "default-pass\n");
        prodPw = Files.writeString(dir.resolve("prod-pass"), "prod-pass\n");
        Path inv = Files.copy(lab.inventory(), dir.resolve("inventory.ini"));
        Files.createDirectories(dir.resolve("group_vars"));
        Files.createDirectories(dir.resolve("host_vars"));
        Path all = Files.writeString(dir.resolve("group_vars/all.yml"), "db_user: app\ndb_password: " + DB_PASSWORD
                + "\n");
        ok(FleetCli.fleet("vault", "encrypt", "--vault-password-file", pw.toString(), all.toString()));
        // The !vault value comes from ansible-vault itself where it is installed, else from fleet.
        String token;
        if (VaultCommandTest.ansibleVault()) {
            token = VaultCommandTest.ansibleVault("encrypt_string", "--vault-id", "prod@" + prodPw, "--name",
                    "api_token", API_TOKEN)[1];
        } else {
            Run r = FleetCli.fleet("vault", "encrypt_string", "--vault-id", "prod@" + prodPw, "--name", "api_token",
                    API_TOKEN);
            ok(r);
            token = r.out();
        }
        Files.writeString(dir.resolve("host_vars/host1.yml"), "region: eu\n" + token + "\n");
        Path extra = Files.writeString(dir.resolve("extra.yml"), "extra_secret: " + EXTRA_SECRET + "\n");
        ok(FleetCli.fleet("vault", "encrypt", "--vault-id", "prod@" + prodPw, extra.toString()));
        return inv;
    }

    static void ok(Run r) {
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    @Test
    void vaultedValuesAreUsedButNeverShown() throws Exception {
        Path inv = project();
        Path junit = dir.resolve("junit.xml");
        Path html = dir.resolve("report.html");
        Path db = dir.resolve("history.db");
        Run r = new FleetCli(dir, inv, lab.knownHosts()).run("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: token {{ api_token }} works
                      debug:
                        msg: "token={{ api_token }} region={{ region }}"
                    - name: connect as {{ db_user }} with {{ db_password }}
                      command: sh -c "echo pass={{ db_password }}; echo extra={{ extra_secret }} >&2; exit 3"
                """, "-v", "--vault-id", "prod@" + prodPw, "--vault-password-file", pw.toString(),
                "-e", "@" + dir.resolve("extra.yml"), "--junit", junit.toString(), "--html", html.toString(),
                "--history-db", db.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        // the secrets did reach the host: the command failed with its own exit code, its output masked in place
        var tasks = r.tasks("host1");
        assertThat(tasks.getJsonObject(0).getString("msg")).isEqualTo("token=******** region=eu");
        assertThat(tasks.getJsonObject(1).getInteger("rc")).isEqualTo(3);
        assertThat(tasks.getJsonObject(1).getString("stdout")).isEqualTo("pass=********");
        assertThat(tasks.getJsonObject(1).getString("stderr")).isEqualTo("extra=********");
        assertThat(r.out()).contains("stdout: pass=********", "stderr: extra=********");

        String history = String.join("\n", FleetCli.fleet("history", "--db", db.toString()).out(),
                // the only run in this database: any prefix of its id (which starts with the year) is unique
                FleetCli.fleet("history", "show", "2", "--json", "--db", db.toString()).out());
        List<String> places = List.of(r.out(), r.err(), r.report().encode(), Files.readString(junit),
                Files.readString(html), new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1), history);
        for (String secret : SECRETS) {
            for (String place : places) assertThat(place).doesNotContain(secret);
        }
        assertThat(Files.readString(junit)).contains("********");
        assertThat(Files.readString(html)).contains("********");
        assertThat(history).contains("********");
    }

    @Test
    void missingVaultSecretNamesTheFileAndTheOption() throws Exception {
        Path inv = project();
        Run r = new FleetCli(dir, inv, lab.knownHosts()).run("- hosts: lab\n  gather_facts: false\n  tasks: []\n");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("all.yml", "no vault secrets found", "--vault-password-file");

        Run wrong = new FleetCli(dir, inv, lab.knownHosts()).run("- hosts: lab\n  gather_facts: false\n  tasks: []\n",
                "--vault-password-file", pw.toString(), "--vault-id", "prod@" + pw);
        assertThat(wrong.exit()).isEqualTo(4);
        assertThat(wrong.err()).contains("host1.yml", "prod", "decryption failed")
                .doesNotContain("default-pass", "prod-pass", API_TOKEN);
    }

    @Test
    void inventoryCommandShowsVaultedValuesMasked() throws Exception {
        Path inv = project();
        Run r = FleetCli.fleet("inventory", "-i", inv.toString(), "--host", "host1", "--vault-id", "prod@" + prodPw,
                "--vault-password-file", pw.toString());
        ok(r);
        assertThat(r.out()).contains("\"db_user\" : \"app\"", "\"api_token\" : \"********\"")
                .doesNotContain(API_TOKEN, DB_PASSWORD);
    }
}
