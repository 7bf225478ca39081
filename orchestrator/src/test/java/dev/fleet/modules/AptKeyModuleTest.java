package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code apt_key} on an overlay host, with a key made there by gpg for the test: through apt-key as Ansible, and
 * with gpg on a keyring file once apt-key is taken away (in the overlay only). URLs are served on loopback.
 */
class AptKeyModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final Module module = ModuleRegistry.builtin().get("apt_key");
    private String armored;
    private String keyId;

    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
        keyId = host.sh("h=$(mktemp -d) && gpg --batch --homedir \"$h\" --passphrase '' --quick-gen-key "
                + "'Fleet Test <t@example.invalid>' ed25519 sign never 2>/dev/null && "
                + "gpg --batch --homedir \"$h\" --armor --export > /root/fleet-key.asc && "
                + "gpg --batch --homedir \"$h\" --export > /root/fleet-key.gpg && "
                + "gpg --batch --homedir \"$h\" --with-colons --list-keys | awk -F: '/^pub/ {print $5}'; "
                + "gpgconf --homedir \"$h\" --kill all; rm -rf \"$h\"").strip();
        armored = host.sh("cat /root/fleet-key.asc");
    }

    @Test
    void dataGoesIntoAKeyringThroughAptKeyAndAbsentTakesItOut() throws Exception {
        String ring = "/etc/apt/trusted.gpg.d/fleet.gpg";
        TaskOutcome o = host.run(module, args("data", armored, "keyring", ring));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("id", keyId).containsEntry("after", List.of(keyId));
        assertThat(host.run(module, args("data", armored, "keyring", ring)).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(module, args("id", keyId, "keyring", ring, "state", "absent"), true, false).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(showKeys(ring)).contains(keyId);
        assertThat(host.run(module, args("id", keyId, "keyring", ring, "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(module, args("id", keyId, "keyring", ring, "state", "absent")).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void aFileAndAUrlOnLoopbackAreAddedToAptsKeyring() throws Exception {
        TaskOutcome o = host.run(module, args("file", "/root/fleet-key.gpg"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(module, args("id", keyId.substring(8))).status()).isEqualTo(TaskStatus.OK);
        host.run(module, args("id", keyId, "state", "absent"));
        HttpServer server = LoopbackHttp.serve("/key.asc", armored.getBytes(StandardCharsets.UTF_8));
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/key.asc";
            o = host.run(module, args("url", url));
            assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
            assertThat(o.data()).containsEntry("key_id", keyId);
            assertThat(host.run(module, args("url", url.replace("/key.asc", "/none"))).msg())
                    .startsWith("Failed to download key");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutAptKeyAKeyringFileIsManagedWithGpg() throws Exception {
        host.sh("rm -f /usr/bin/apt-key");
        String ring = "/etc/apt/keyrings/fleet.gpg";
        assertThat(host.run(module, args("data", armored)).msg()).startsWith("Failed to find required executable");
        TaskOutcome o = host.run(module, args("data", armored, "keyring", ring));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("stat -c %a " + ring)).isEqualTo("644\n");
        assertThat(showKeys(ring).lines().filter(l -> l.startsWith("pub:"))).hasSize(1);
        assertThat(host.run(module, args("file", "/root/fleet-key.asc", "keyring", ring)).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(host.run(module, args("id", keyId, "keyring", ring, "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("wc -c < " + ring).strip()).isEqualTo("0");
        assertThat(host.test("test -e /root/.gnupg")).isFalse();
    }

    /** gpg's colon listing of a keyring file, read with a throw-away home. */
    private String showKeys(String ring) throws Exception {
        return host.sh("h=$(mktemp -d); gpg --batch --no-autostart --homedir \"$h\" --with-colons --show-keys " + ring
                + " 2>/dev/null; rm -rf \"$h\"");
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(host.run(module, args("id", "nothex!")).msg()).isEqualTo("Invalid key_id");
        assertThat(catchThrowable(() -> host.run(module, args("data", armored, "file", "/root/fleet-key.asc"))))
                .hasMessageContaining("mutually exclusive");
    }
}
