package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ansible.posix.authorized_key} without a host: the file's new text (cross-checked with Ansible's), errors. */
class AuthorizedKeyHostFreeTest {
    private static final String A = "ssh-ed25519 AAAA1 alice@a";
    private static final String B = "ssh-rsa BBBB2 bob@b";
    private static final String C = "ssh-ed25519 CCCC3";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static String merged(String existing, String key, boolean present, String options, String comment,
            boolean exclusive) {
        LinkedHashMap<String, AuthorizedKeysFile.Entry> entries = AuthorizedKeysFile.read(existing);
        List<String> keys = key.lines().filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        boolean write = AuthorizedKeysFile.merge(entries, new AuthorizedKeysFile.Request(keys, present, options,
                comment, exclusive));
        return write ? AuthorizedKeysFile.write(entries) : null;
    }

    @Test
    void newKeysGoAfterTheExistingOnesAndAKnownKeyIsNoChange() {
        assertThat(merged("# managed\n" + A + "\n", B, true, null, null, false))
                .isEqualTo("# managed\n" + A + "\n" + B + "\n");
        assertThat(merged("# managed\n" + A + "\n", A, true, null, null, false)).isNull();
        assertThat(merged("", A + "\n#x\n" + B, true, null, null, false)).isEqualTo(A + "\n" + B + "\n");
        assertThat(merged("# managed\n" + A + "\n", C, true, null, "new comment", false))
                .isEqualTo("# managed\n" + A + "\n" + C + " new comment\n");
    }

    @Test
    void aKeyWithOtherOptionsOrCommentMovesToTheEnd() {
        assertThat(merged("# managed\n" + A + "\n" + B + "\n", A + " other", true, null, null, false))
                .isEqualTo("# managed\n" + B + "\n" + A + " other\n");
        assertThat(merged("# managed\n" + A + "\n" + B + "\n", A, true, "no-pty,command=\"echo a,b\"", null,
                false)).isEqualTo("# managed\n" + B + "\nno-pty,command=\"echo a,b\" " + A + "\n");
        // options compare as a dictionary: their order does not matter
        assertThat(merged("no-pty,command=\"echo a,b\" " + A + "\n", A, true, "command=\"echo a,b\",no-pty", null,
                false)).isNull();
    }

    @Test
    void exclusiveKeepsOnlyTheGivenKeysAndAbsentRemovesOne() {
        assertThat(merged("# managed\n" + A + "\n" + B + "\n\n\n", C + "\n" + A, true, null, null, true))
                .isEqualTo(A + "\n" + C + " \n");
        assertThat(merged("# managed\n" + A + "\n" + B + "\n", A, false, null, null, false))
                .isEqualTo("# managed\n" + B + "\n");
        assertThat(merged("# managed\n" + B + "\n", A, false, null, null, false)).isNull();
    }

    @Test
    void checkModeWithAPathNeedsNoUserAndWritesNothing() throws Exception {
        FakeFiles.file("/srv/keys", A + "\n").on(host);
        TaskOutcome o = ModuleHarness.check(host, "ansible.posix.authorized_key", args("user", "nobody-such",
                "key", B, "path", "/srv/keys"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("keyfile", "/srv/keys").containsEntry("user", "nobody-such")
                .containsEntry("exclusive", false).containsEntry("state", "file");
        assertThat(host.uploads()).isEmpty();
        assertThat(host.commandsContaining("getent")).isEmpty();
    }

    @Test
    void keysFromAUrlAreFetchedByTheHost() throws Exception {
        FakeFiles.file("/srv/keys", A + "\n").on(host);
        host.on("curl -fsSL -k -- https://keys.example/u", 0, A + "\n" + B + "\n");
        TaskOutcome o = ModuleHarness.check(host, "authorized_key", args("user", "u", "path", "/srv/keys",
                "key", "https://keys.example/u", "validate_certs", false));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("key", "https://keys.example/u");
        host.on("curl -fsSL -- https://keys.example/none", 22, "");
        assertThat(ModuleHarness.check(host, "authorized_key", args("user", "u", "path", "/srv/keys",
                "key", "https://keys.example/none")).msg())
                .isEqualTo("Error getting key from: https://keys.example/none");
    }

    @Test
    void errorsAreAnsibles() throws Exception {
        host.on("getent passwd", 2, "");
        assertThat(ModuleHarness.run(host, "authorized_key", args("user", "bob", "key", A)).msg())
                .isEqualTo("Failed to lookup user bob: \"getpwnam(): name not found: 'bob'\"");
        assertThat(ModuleHarness.check(host, "authorized_key", args("user", "bob", "key", A)).msg())
                .isEqualTo("Either user must exist or you must provide full path to key file in check mode");
        FakeFiles.missing(host, "/srv/keys");
        assertThat(ModuleHarness.check(host, "authorized_key", args("user", "bob", "key", "not a key",
                "path", "/srv/keys")).msg()).isEqualTo("invalid key specified: not a key");
        assertThat(ModuleHarness.rejection(host, "authorized_key", args("user", "bob"))).contains("key");
        assertThat(ModuleHarness.rejection(host, "authorized_key", args("user", "bob", "key", A, "state", "x")))
                .contains("state");
        assertThat(ModuleHarness.run(host, "authorized_key", args("user", "bob", "key", A)).status())
                .isEqualTo(TaskStatus.FAILED);
    }
}
