package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code known_hosts} without a host: ssh-keygen's answers in, the file's new text and Ansible's keys out. */
class KnownHostsHostFreeTest {
    private static final String PATH = "/home/u/.ssh/known_hosts";
    private static final String KEY = "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOLD";
    private static final String NEW = "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINEW";
    private static final String OTHER = "other.org ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    /** The key given to the task names the host (checked by ssh-keygen on a temporary file). */
    private void keyNamesHost() {
        host.when(c -> c.contains("mktemp"), c -> FakeHostSession.result(0, "# Host example.com found: line 1 \n"
                + "example.com ssh-ed25519 x\n", ""));
    }

    private void fileHas(String text, String keygenAnswer) {
        FakeFiles.file(PATH, text).on(host);
        host.when(c -> c.contains("ssh-keygen -F") && c.contains(PATH), c -> FakeHostSession.result(
                keygenAnswer.isEmpty() ? 1 : 0, keygenAnswer, ""));
    }

    @Test
    void addsTheKeyAtTheEndAndReturnsAnsiblesKeys() throws Exception {
        keyNamesHost();
        fileHas(OTHER, "");
        TaskOutcome o = ModuleHarness.run(host, "known_hosts", args("name", "example.com", "key", KEY,
                "path", PATH));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::text)
                .isEqualTo(OTHER + KEY + "\n");
        assertThat(o.data()).containsEntry("name", "example.com").containsEntry("key", KEY)
                .containsEntry("path", PATH).containsEntry("hash_host", false).containsEntry("state", "file");
        assertThat(o.data().get("diff")).isEqualTo(Map.of("before_header", PATH, "after_header", PATH,
                "before", OTHER, "after", OTHER + KEY + "\n"));
    }

    @Test
    void theSameKeyIsNoChangeAndAnotherKeyOfTheTypeReplacesItsLine() throws Exception {
        keyNamesHost();
        fileHas(KEY + " comment\n" + OTHER, "# Host example.com found: line 1 \n" + KEY + " comment\n");
        TaskOutcome same = ModuleHarness.run(host, "known_hosts", args("name", "Example.COM", "key", KEY,
                "path", PATH));
        assertThat(same.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.uploads()).isEmpty();
        TaskOutcome replaced = ModuleHarness.run(host, "known_hosts", args("name", "example.com", "key", NEW,
                "path", PATH));
        assertThat(replaced.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).singleElement().extracting(FakeHostSession.Upload::text)
                .isEqualTo(OTHER + NEW + "\n");
    }

    @Test
    void absentWithoutKeyRemovesTheHostWithSshKeygenAndCheckModeDoesNot() throws Exception {
        fileHas(KEY + "\n", "# Host example.com found: line 1 \n" + KEY + "\n");
        TaskOutcome checked = ModuleHarness.check(host, "known_hosts", args("name", "example.com",
                "path", PATH, "state", "absent"));
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining("ssh-keygen -R")).isEmpty();
        TaskOutcome o = ModuleHarness.run(host, "known_hosts", args("name", "example.com", "path", PATH,
                "state", "absent"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining("ssh-keygen -R")).singleElement().asString()
                .contains("example.com").contains(PATH);
    }

    @Test
    void hashedHostFieldsAreSshKeygensFormat() {
        byte[] salt = new byte[20];
        String field = KnownHostsLines.hashedHostField("example.com", salt);
        assertThat(field).startsWith("|1|" + Base64.getEncoder().encodeToString(salt) + "|");
        String line = KnownHostsLines.hashHost("example.com", "@cert-authority example.com ssh-rsa AAAA");
        assertThat(line).startsWith("@cert-authority |1|").endsWith(" ssh-rsa AAAA");
        KnownHostsLines.Search s = KnownHostsLines.search("# Host example.com found: line 3 \n|1|a|b ssh-rsa AAAA\n",
                "|1|c|d ssh-rsa AAAA\n");
        assertThat(s).isEqualTo(new KnownHostsLines.Search(true, false, 3));
    }

    @Test
    void errorsAreAnsibles() throws Exception {
        assertThat(ModuleHarness.run(host, "known_hosts", args("name", "example.com", "path", PATH)).msg())
                .isEqualTo("No key specified when adding a host");
        assertThat(ModuleHarness.run(host, "known_hosts", args("name", "a.com, b.com", "key", KEY, "path", PATH))
                .msg()).startsWith("Comma separated list of names is not supported.");
        host.when(c -> c.contains("mktemp"), c -> FakeHostSession.result(1, "", ""));
        assertThat(ModuleHarness.run(host, "known_hosts", args("name", "other.org", "key", KEY, "path", PATH))
                .msg()).isEqualTo("Host parameter does not match hashed host field in supplied key");
        assertThat(ModuleHarness.rejection(host, "known_hosts", args("name", "a", "key", "justone", "path", PATH)))
                .contains("argument 'key'");
        assertThat(ModuleHarness.rejection(host, "known_hosts", args("key", KEY))).contains("name");
        assertThat(ModuleHarness.rejection(host, "known_hosts", args("name", "a", "state", "gone")))
                .contains("state");
    }
}
