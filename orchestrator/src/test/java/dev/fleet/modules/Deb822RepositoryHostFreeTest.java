package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code deb822_repository}: the stanza Ansible 2.15 writes, in its field order and spelling. */
class Deb822RepositoryHostFreeTest {
    private static final String DEST = "/etc/apt/sources.list.d/local-mirror.sources";
    private static final String STANZA = "Architectures: amd64 arm64\nComponents: main contrib\nEnabled: yes\n"
            + "X-Repolib-Name: Local Mirror\nSigned-By: /etc/apt/keyrings/local.gpg\nSuites: bookworm\n"
            + "Trusted: no\nTypes: deb deb-src\nURIs: http://127.0.0.1:8080/debian\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static java.util.Map<String, Object> mirror() {
        return args("name", "Local Mirror", "types", List.of("deb", "deb-src"), "uris", "http://127.0.0.1:8080/debian",
                "suites", "bookworm", "components", List.of("main", "contrib"), "architectures", "amd64,arm64",
                "signed_by", "/etc/apt/keyrings/local.gpg", "enabled", true, "trusted", false);
    }

    @Test
    void namesAndMultiLineValuesAreWrittenAsAnsibleDoes() {
        assertThat(Deb822RepositoryModule.slug("My_Repo  Name!")).isEqualTo("my-repo-name");
        assertThat(Deb822RepositoryModule.fieldName("allow_downgrade_to_insecure"))
                .isEqualTo("Allow-Downgrade-To-Insecure");
        assertThat(Deb822RepositoryModule.fieldName("uris")).isEqualTo("URIs");
        assertThat(Deb822RepositoryModule.multiline("-----BEGIN-----\n\nabc\n-----END-----\n"))
                .isEqualTo("\n    -----BEGIN-----\n    .\n    abc\n    -----END-----");
    }

    @Test
    void aNewRepositoryIsWrittenWithItsMode() throws Exception {
        host.on("test -f '/etc/apt/keyrings/local.gpg'", 0, "");
        FakeFiles.missing(host, DEST);
        TaskOutcome o = ModuleHarness.run(host, "deb822_repository", mirror());
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("repo", STANZA).containsEntry("dest", DEST)
                .containsEntry("key_filename", "/etc/apt/keyrings/local.gpg");
        assertThat(host.files().values()).containsExactly(STANZA);
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0644");
    }

    @Test
    void theSameStanzaChangesNothingAndCheckModeWritesNothing() throws Exception {
        host.on("test -f '/etc/apt/keyrings/local.gpg'", 0, "");
        FakeFiles.file(DEST, STANZA).on(host);
        assertThat(ModuleHarness.run(host, "deb822_repository", mirror()).status()).isEqualTo(TaskStatus.OK);
        FakeFiles.file(DEST, "Types: deb\n").on(host);
        assertThat(ModuleHarness.check(host, "deb822_repository", mirror()).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void anInlineKeyIsFoldedIntoTheStanza() throws Exception {
        FakeFiles.missing(host, "/etc/apt/sources.list.d/k.sources");
        TaskOutcome o = ModuleHarness.run(host, "deb822_repository", args("name", "k", "uris", "file:/srv/r",
                "suites", "./", "signed_by", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY"
                        + " BLOCK-----\n"));
        assertThat((String) o.data().get("repo")).isEqualTo("X-Repolib-Name: k\nSigned-By:\n"
                + "    -----BEGIN PGP PUBLIC KEY BLOCK-----\n    .\n    mDMEZ\n    -----END PGP PUBLIC KEY BLOCK-----\n"
                + "Suites: ./\nTypes: deb\nURIs: file:/srv/r\n");
        assertThat(o.data()).doesNotContainKey("key_filename");
    }

    @Test
    void aKeyUrlIsDownloadedOnTheHost() throws Exception {
        FakeFiles.missing(host, "/etc/apt/sources.list.d/k.sources");
        host.on("curl -fsSL", 0, "/etc/apt/keyrings/k.asc\nchanged\n");
        TaskOutcome o = ModuleHarness.run(host, "deb822_repository", args("name", "k", "uris", "file:/srv/r",
                "suites", "./", "signed_by", "http://127.0.0.1:1/key.asc"));
        assertThat(o.data()).containsEntry("key_filename", "/etc/apt/keyrings/k.asc");
        assertThat((String) o.data().get("repo")).contains("Signed-By: /etc/apt/keyrings/k.asc\n");
    }

    @Test
    void absentRemovesTheFileAndItsKeys() throws Exception {
        host.on("echo found", 0, "found\n");
        TaskOutcome o = ModuleHarness.run(host, "deb822_repository", args("name", "Local Mirror", "state", "absent"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.scripts(host).get(0)).contains("rm -f -- " + DEST,
                "rm -f -- /etc/apt/keyrings/local-mirror.asc");
        host.on("echo found", 0, "");
        assertThat(ModuleHarness.check(host, "deb822_repository", args("name", "x", "state", "absent")).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void badArguments() throws Exception {
        assertThat(ModuleHarness.rejection(host, "deb822_repository", args("name", "x", "types", "rpm")))
                .contains("types");
        assertThat(ModuleHarness.rejection(host, "deb822_repository", args("uris", "http://x/"))).contains("name");
        assertThat(ModuleHarness.rejection(host, "deb822_repository", args("name", "x", "mode", "abc")))
                .contains("mode");
    }
}
