package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.inventory.Inventory;
import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdFixture;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, security, end to end through fleet run: hostile variable values never reach a shell unquoted, and
 * host key checking understands hashed entries and {@code @cert-authority} lines. (The become password and
 * {@code no_log} are checked in {@link SubprocessRunTest}: FLEET_BECOME_PASS needs its own process.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    /** Each test brings its own inventory or known_hosts: that is what it checks. */
    Run fleet(Path inventory, Path knownHosts, String playbook, String... extra) throws IOException {
        return new FleetCli(dir, inventory, knownHosts).run(playbook, extra);
    }

    // ---- no shell injection -----------------------------------------------------------------------------------

    /** Values that would run `touch` if any shell ever saw them unquoted. */
    List<String> hostile(Path markers, String source) {
        String m = markers.toString();
        return List.of(
                "; touch " + m + "/" + source + "-semicolon",
                "$(touch " + m + "/" + source + "-dollar)",
                "`touch " + m + "/" + source + "-backtick`",
                "line1\ntouch " + m + "/" + source + "-newline",
                "it's'; touch " + m + "/" + source + "-squote; echo '",
                "\"; touch " + m + "/" + source + "-dquote; echo \"",
                "| touch " + m + "/" + source + "-pipe && echo {{ 7 * 7 }} > " + m + "/" + source + "-redirect",
                "-n");
    }

    @Test
    void hostileValuesFromInventoryExtraVarsAndRegisteredOutputReachTheProgramAsOneLiteralArgument()
            throws Exception {
        Path markers = Files.createDirectories(dir.resolve("markers"));
        List<String> fromInventory = hostile(markers, "inv");
        List<String> fromExtra = hostile(markers, "extra");
        // Inventory: YAML host_vars beside an INI inventory, plus one inline INI var.
        Path invDir = Files.createDirectories(dir.resolve("inv"));
        Path inv = invDir.resolve("hosts.ini");
        String iniValue = "$(touch${IFS}" + markers + "/ini-inline)`touch${IFS}" + markers + "/ini-tick`";
        Files.writeString(inv, Files.readString(lab.inventory()).replace("\nhost1 ", "\nhost1 evil_ini=" + iniValue
                + " "));
        Files.createDirectories(invDir.resolve("host_vars"));
        Files.writeString(invDir.resolve("host_vars/host1.yml"),
                "evil_inv: " + new JsonArray(fromInventory).encode() + "\n");
        String evilIni = String.valueOf(Inventory.load(inv).varsFor("host1").get("evil_ini"));
        assertThat(evilIni).contains("$(touch");

        Run r = fleet(inv, lab.knownHosts(), """
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - name: inventory values, quote filter
                      command: printf '%s' {{ item | quote }}
                      loop: "{{ evil_inv + evil_extra + [evil_ini] }}"
                      register: quoted
                    - name: inventory values, argv
                      command:
                        argv: [printf, '%s', "{{ item }}"]
                      loop: "{{ evil_inv + evil_extra + [evil_ini] }}"
                      register: argv
                    - name: registered output fed back in
                      command: printf '%s' {{ item.stdout | quote }}
                      loop: "{{ quoted.results }}"
                      register: again
                    - name: quote filter in shell
                      shell: printf '%s' {{ item | quote }}
                      loop: "{{ evil_inv + evil_extra + [evil_ini] }}"
                      register: shelled
                    - name: unquoted in command (split into words or refused, never run by a shell)
                      command: printf '%s|' {{ item }}
                      loop: "{{ evil_inv + evil_extra + [evil_ini] }}"
                      ignore_errors: true
                    - name: stdin and chdir args
                      command: cat
                      args:
                        stdin: "{{ item }}"
                        chdir: "{{ '/' }}"
                      loop: "{{ evil_inv }}"
                      register: stdin
                    - name: output that looks like a template
                      shell: printf '%s' '{''{ 7 * 7 }''}'
                      register: lit
                    - name: registered output is data, never rendered again
                      command: printf '%s' {{ lit.stdout | quote }}
                """, "-e", new JsonObject().put("evil_extra", new JsonArray(fromExtra)).encode());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        // As in Ansible, inventory and -e values are templates themselves ({{ 7 * 7 }} -> 49); the result is
        // still data, never shell syntax.
        List<String> expected = new ArrayList<>();
        for (String v : fromInventory) expected.add(v.replace("{{ 7 * 7 }}", "49"));
        for (String v : fromExtra) expected.add(v.replace("{{ 7 * 7 }}", "49"));
        expected.add(evilIni);
        JsonArray tasks = r.tasks("host1");
        for (int t : new int[] {0, 1, 2, 3}) {
            JsonArray results = tasks.getJsonObject(t).getJsonObject("data").getJsonArray("results");
            List<String> printed = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) printed.add(results.getJsonObject(i).getString("stdout"));
            assertThat(printed).as(tasks.getJsonObject(t).getString("task")).containsExactlyElementsOf(expected);
        }
        JsonArray stdinResults = tasks.getJsonObject(5).getJsonObject("data").getJsonArray("results");
        for (int i = 0; i < fromInventory.size(); i++) {
            assertThat(stdinResults.getJsonObject(i).getString("stdout")).isEqualTo(expected.get(i));
        }
        assertThat(tasks.getJsonObject(6).getString("stdout")).isEqualTo("{{ 7 * 7 }}");
        assertThat(tasks.getJsonObject(7).getString("stdout")).isEqualTo("{{ 7 * 7 }}");
        try (Stream<Path> files = Files.list(markers)) {
            assertThat(files.toList()).as("files created by injected commands").isEmpty();
        }
    }

    // ---- host keys ----------------------------------------------------------------------------------------

    @Test
    void hashedKnownHostsEntriesWorkEndToEnd() throws Exception {
        Path kh = dir.resolve("known_hosts");
        Files.copy(lab.knownHosts(), kh);
        run("ssh-keygen", "-H", "-f", kh.toString());
        assertThat(Files.readString(kh)).startsWith("|1|").doesNotContain("127.0.0.");
        Run r = fleet(lab.inventory(), kh, "- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: 'true'\n");
        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void certAuthorityLinesAreParsedAlongsidePlainEntries() throws Exception {
        Path ca = dir.resolve("ca");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca.toString());
        String caPub = Files.readString(Path.of(ca + ".pub")).trim();
        Path kh = dir.resolve("known_hosts");
        Files.writeString(kh, "@cert-authority *.example.com " + caPub + "\n"
                + "@cert-authority [10.0.0.1]:2222,10.0.0.2 " + caPub + "\n" + Files.readString(lab.knownHosts()));
        Run r = fleet(lab.inventory(), kh, "- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: 'true'\n");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
    }

    /**
     * A host presenting a certificate signed by a CA that known_hosts trusts with {@code @cert-authority} (and no
     * plain entry for the host), as OpenSSH's {@code ssh} accepts it. Its own sshd: lab's host1 config plus
     * HostCertificate, on another port.
     */
    @Test
    void aCaSignedHostCertificateIsAcceptedUnderStrictChecking() throws Exception {
        Path ca = dir.resolve("ca");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca.toString());
        SshdFixture.LabHost h1 = lab.host("host1");
        Path hostKey = dir.resolve("certhost_ed25519");
        Files.copy(lab.hostKeyFile("host1"), hostKey);
        Files.copy(Path.of(lab.hostKeyFile("host1") + ".pub"), Path.of(hostKey + ".pub"));
        run("ssh-keygen", "-q", "-s", ca.toString(), "-I", "certhost", "-h", "-n", h1.address(), "-V", "-5m:+1h",
                hostKey + ".pub");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(h1.address()))) {
            port = s.getLocalPort();
        }
        String config = Files.readString(lab.workDir().resolve("host1_sshd_config"))
                .replaceAll("(?m)^ListenAddress .*$", "ListenAddress " + h1.address() + ":" + port)
                .replaceAll("(?m)^HostKey .*$", "HostKey " + hostKey + "\nHostCertificate " + hostKey + "-cert.pub")
                .replaceAll("(?m)^PidFile .*$", "PidFile " + dir.resolve("certhost.pid"));
        Path cfg = dir.resolve("certhost_sshd_config");
        Files.writeString(cfg, config);
        Process sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("certhost.log").toFile()).start();
        try {
            awaitBanner(h1.address(), port);
            Path inv = dir.resolve("inv.ini");
            Files.writeString(inv, "certhost ansible_host=" + h1.address() + " ansible_port=" + port
                    + " ansible_user=" + lab.user() + " ansible_ssh_private_key_file=" + lab.privateKey() + "\n");
            Path kh = dir.resolve("known_hosts");
            Files.writeString(kh, "@cert-authority * " + Files.readString(Path.of(ca + ".pub")).trim() + "\n");
            Run r = fleet(inv, kh, "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo certified\n");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(r.tasks("certhost").getJsonObject(0).getString("stdout")).isEqualTo("certified");
            // A certificate from another CA is refused.
            Path other = dir.resolve("other-ca");
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other-ca", "-f", other.toString());
            Files.writeString(kh, "@cert-authority * " + Files.readString(Path.of(other + ".pub")).trim() + "\n");
            Run refused = fleet(inv, kh, "- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo no\n");
            assertThat(refused.exit()).as(refused.out()).isEqualTo(3);
            assertThat(refused.out()).contains("UNREACHABLE!");
        } finally {
            sshd.destroyForcibly();
            sshd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void awaitBanner(String address, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket(address, port)) {
                s.setSoTimeout(2000);
                if (s.getInputStream().read() == 'S') return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("sshd with host certificate did not start on " + address + ":" + port);
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
