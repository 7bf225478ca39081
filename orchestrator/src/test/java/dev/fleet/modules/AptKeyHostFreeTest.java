package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code apt_key}: key ids as Ansible parses them, apt-key driven as Ansible does, gpg on a keyring without it. */
class AptKeyHostFreeTest {
    private static final String KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmDMEZ...\n"
            + "-----END PGP PUBLIC KEY BLOCK-----\n";
    private static final String LONG = "FD3B26DF5B64AA79";
    private static final String LISTED = "/etc/apt/trusted.gpg\n--------------------\npub   ed25519/" + LONG
            + " 2026-12-03 [SC]\n      8250D34F8ED4C38E667072C2" + LONG + "\nuid   [ unknown] Fleet Test\n\n";
    private static final String OTHER = "pub   rsa4096/0E98404D386FA1D9 2021-01-17 [SC] [expires: 2029-01-15]\n"
            + "sub   rsa4096/6ED0E7B82643E131 2021-01-17 [S] [expires: 2029-01-15]\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private void tools(boolean aptKey) {
        host.on("command -v apt-key", 0, (aptKey ? "/usr/bin/apt-key\n" : "") + "/usr/bin/gpg\nPATH=/usr/bin:/bin\n");
    }

    /** The listing answers {@code first} once, then {@code later}. */
    private void listings(String fragment, String first, String later) {
        AtomicInteger n = new AtomicInteger();
        host.when(c -> c.contains(fragment), c -> FakeHostSession.result(0, n.getAndIncrement() == 0 ? first : later,
                "Warning: apt-key is deprecated. Manage keyring files in trusted.gpg.d instead (see apt-key(8)).\n"));
    }

    @Test
    void keyIdsAreReadFromListingsOfBothFormats() {
        assertThat(AptKeyTool.parseKeys(LISTED + OTHER, false)).containsExactly(LONG, "0E98404D386FA1D9",
                "6ED0E7B82643E131");
        assertThat(AptKeyTool.parseKeys("pub:-:255:22:" + LONG + ":1796282166:::-:::scSC:\nfpr:::::::::X:\n", true))
                .containsExactly("5B64AA79");
        assertThat(AptKeyModule.KeyId.parse("0x" + LONG.toLowerCase()))
                .isEqualTo(new AptKeyModule.KeyId("5B64AA79", LONG, LONG));
        assertThat(AptKeyModule.KeyId.parse("8250D34F8ED4C38E667072C2" + LONG).fingerprint()).isEqualTo(LONG);
        assertThat(AptKeyModule.KeyId.parse("12345")).isNull();
        assertThat(AptKeyModule.KeyId.parse("XYZXYZXY")).isNull();
    }

    @Test
    void dataIsAddedThroughAptKeyAndVerified() throws Exception {
        tools(true);
        host.on("--show-keys", 0, "pub:-:255:22:" + LONG + ":1796282166:::-:::scSC:\n");
        listings("adv --list-public-keys", OTHER, OTHER + LISTED);
        TaskOutcome o = ModuleHarness.run(host, "apt_key", args("data", KEY));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("id", LONG).containsEntry("short_id", "5B64AA79")
                .containsEntry("fp", LONG).containsEntry("key_id", LONG)
                .containsEntry("before", List.of("0E98404D386FA1D9", "6ED0E7B82643E131"));
        assertThat(host.commands()).contains("apt-key add -");
        assertThat(host.execs().stream().filter(e -> e.command().equals("apt-key add -")).findFirst().orElseThrow()
                .stdinText()).isEqualTo(KEY);
    }

    @Test
    void aKeyAlreadyThereChangesNothingAndShortIdsCompareShort() throws Exception {
        tools(true);
        host.on("adv --list-public-keys", 0, LISTED);
        assertThat(ModuleHarness.run(host, "apt_key", args("id", LONG, "data", KEY)).status())
                .isEqualTo(TaskStatus.OK);
        TaskOutcome o = ModuleHarness.run(host, "apt_key", args("id", "5b64aa79", "file", "/tmp/k.asc"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("before", List.of("5B64AA79"));
        assertThat(host.commandsContaining("apt-key add")).isEmpty();
    }

    @Test
    void absentDeletesByShortIdWithTheKeyring() throws Exception {
        tools(true);
        listings("adv --list-public-keys", LISTED, "");
        TaskOutcome o = ModuleHarness.run(host, "apt_key", args("id", LONG, "state", "absent", "keyring",
                "/etc/apt/keyrings/my key.gpg"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).contains("apt-key --keyring '/etc/apt/keyrings/my key.gpg' del 5B64AA79");
    }

    @Test
    void checkModeAddsNothing() throws Exception {
        tools(true);
        host.on("adv --list-public-keys", 0, OTHER);
        TaskOutcome o = ModuleHarness.check(host, "apt_key", args("id", LONG, "file", "/tmp/k.asc"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining("add")).isEmpty();
    }

    @Test
    void withoutAptKeyAKeyringIsManagedWithGpg() throws Exception {
        tools(false);
        listings("[ ! -s", "",
                "pub:-:255:22:" + LONG + ":1796282166:::-:::scSC:\n");
        TaskOutcome o = ModuleHarness.run(host, "apt_key", args("id", LONG, "file", "/tmp/k.asc", "keyring",
                "/etc/apt/keyrings/t.gpg"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        String add = FakeFiles.scripts(host).stream().filter(s -> s.contains("--import")).findFirst().orElseThrow();
        assertThat(add).contains("--import < /tmp/k.asc", ">> /etc/apt/keyrings/t.gpg");
        assertThat(host.commandsContaining("apt-key")).allMatch(c -> c.startsWith("command -v"));
    }

    @Test
    void withoutAptKeyOrAKeyringItFailsAsAnsible() throws Exception {
        tools(false);
        assertThat(ModuleHarness.run(host, "apt_key", args("id", LONG)).msg())
                .isEqualTo("Failed to find required executable \"apt-key\" in paths: /usr/bin:/bin");
    }

    @Test
    void badIdsAndArguments() throws Exception {
        tools(true);
        TaskOutcome o = ModuleHarness.run(host, "apt_key", args("id", "12345"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Invalid key_id");
        assertThat(ModuleHarness.run(host, "apt_key", args("keyserver", "keys.example")).msg())
                .isEqualTo("Missing key_id, required with keyserver.");
        assertThat(ModuleHarness.rejection(host, "apt_key", args("data", KEY, "file", "/tmp/k")))
                .contains("mutually exclusive");
        assertThat(ModuleHarness.rejection(host, "apt_key", args("id", LONG, "state", "gone"))).contains("state");
    }
}
