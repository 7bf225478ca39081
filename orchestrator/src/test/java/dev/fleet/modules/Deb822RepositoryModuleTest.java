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
 * {@code deb822_repository} on an overlay host whose only apt source is the one written here, pointing at an
 * empty local repository: apt-get update reads the stanza for real. Key URLs are served on loopback.
 */
class Deb822RepositoryModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private static final String DEST = "/etc/apt/sources.list.d/fleet-local.sources";

    private final Module module = ModuleRegistry.builtin().get("deb822_repository");

    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
        host.sh("rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*"); // apt-get update stays local
        host.sh("mkdir -p /srv/fleet-repo && touch /srv/fleet-repo/Packages");
    }

    @Test
    void writesAStanzaAptReadsAndIsIdempotent() throws Exception {
        var a = args("name", "fleet local", "uris", "file:/srv/fleet-repo", "suites", "./", "trusted", true);
        TaskOutcome o = host.run(module, a);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        String stanza = "X-Repolib-Name: fleet local\nSuites: ./\nTrusted: yes\nTypes: deb\n"
                + "URIs: file:/srv/fleet-repo\n";
        assertThat(o.data()).containsEntry("dest", DEST).containsEntry("repo", stanza);
        assertThat(host.sh("cat " + DEST + "; stat -c %a " + DEST)).isEqualTo(stanza + "644\n");
        host.sh("apt-get update -q --error-on=any");
        assertThat(host.sh("ls /var/lib/apt/lists")).contains("_srv_fleet-repo_._Packages");
        assertThat(host.run(module, a).status()).isEqualTo(TaskStatus.OK);
        a.put("mode", "0600");
        assertThat(host.run(module, a).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("stat -c %a " + DEST)).isEqualTo("600\n");
    }

    @Test
    void checkModeWritesNothingAndAbsentRemoves() throws Exception {
        var a = args("name", "fleet_local", "uris", List.of("file:/srv/fleet-repo"), "suites", "./");
        assertThat(host.run(module, a, true, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.test("test -e " + DEST)).isFalse();
        host.run(module, a);
        var gone = args("name", "fleet_local", "state", "absent");
        assertThat(host.run(module, gone, true, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.test("test -e " + DEST)).isTrue();
        assertThat(host.run(module, gone).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.test("test -e " + DEST)).isFalse();
        assertThat(host.run(module, gone).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aSignedByUrlIsDownloadedIntoTheKeyringsDirectory() throws Exception {
        byte[] key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZfake\n-----END PGP PUBLIC KEY BLOCK-----\n"
                .getBytes(StandardCharsets.UTF_8);
        HttpServer server = LoopbackHttp.serve("/key.asc", key);
        try {
            var a = args("name", "fleet-local", "uris", "file:/srv/fleet-repo", "suites", "./",
                    "signed_by", "http://127.0.0.1:" + server.getAddress().getPort() + "/key.asc");
            TaskOutcome o = host.run(module, a);
            assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
            assertThat(o.data()).containsEntry("key_filename", "/etc/apt/keyrings/fleet-local.asc");
            assertThat(host.sh("cat " + DEST)).contains("Signed-By: /etc/apt/keyrings/fleet-local.asc\n");
            assertThat(host.sh("cat /etc/apt/keyrings/fleet-local.asc; stat -c %a /etc/apt/keyrings/fleet-local.asc"))
                    .isEqualTo(new String(key, StandardCharsets.UTF_8) + "644\n");
            assertThat(host.run(module, a).status()).isEqualTo(TaskStatus.OK);
            host.run(module, args("name", "fleet-local", "state", "absent"));
            assertThat(host.test("test -e /etc/apt/keyrings/fleet-local.asc")).isFalse();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badArgumentsAreRefused() {
        assertThat(catchThrowable(() -> host.run(module, args("name", "x", "types", List.of("rpm")))))
                .hasMessageContaining("types");
    }
}
