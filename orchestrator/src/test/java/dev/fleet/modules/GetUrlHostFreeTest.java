package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code get_url} without a host: the download script, secrets kept off command lines, statuses, checksums. */
class GetUrlHostFreeTest {
    private static final String URL = "http://10.0.0.5/pkg/app.tar.gz";
    private static final String DEST = "/opt/app.tar.gz";
    private static final String TMP = "/opt/.fleet-get_url.abc123";
    private static final String BODY_SHA1 = FakeFiles.sha1("new\n");

    private final FakeHostSession host = new FakeHostSession("web1");

    GetUrlHostFreeTest() {
        host.on("command -v curl", 0, "curl\n");
    }

    /** The download script answers: status line, digests, size and header dump. */
    private void served(int status, String digest, String... headers) {
        String out = TMP + "\n0\n" + status + " " + URL + "\n" + BODY_SHA1 + "  -\n" + digest + "\n4\n"
                + "__FLEET_GET_URL_HEADERS__\nHTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Whatever") + "\r\n"
                + String.join("\r\n", headers) + "\r\n";
        host.on("__FLEET_GET_URL_HEADERS__", 0, out);
    }

    private List<String> downloads() {
        return FakeFiles.scripts(host).stream().filter(s -> s.contains("__FLEET_GET_URL_HEADERS__")).toList();
    }

    @Test
    void downloadsWithCurlAndKeepsSecretsOffTheCommandLine() throws Exception {
        FakeFiles.missing(host, DEST);
        served(200, "", "Content-Length: 4");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST, "url_username", "bob",
                "url_password", "s3cret", "headers", Map.of("X-Token", "t0k")));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("OK (4 bytes)");
        assertThat(o.data()).containsEntry("dest", DEST).containsEntry("url", URL).containsEntry("status_code", 200)
                .containsEntry("checksum_src", BODY_SHA1).containsEntry("src", TMP).doesNotContainKey("checksum_dest");
        FakeHostSession.Exec download = host.execs().stream()
                .filter(e -> e.command().contains("__FLEET_GET_URL_HEADERS__")).findFirst().orElseThrow();
        assertThat(download.command()).doesNotContain("s3cret").doesNotContain("t0k").contains("curl")
                .contains("/opt/.fleet-get_url.XXXXXX").doesNotContain(" -z ");
        assertThat(download.stdinText()).contains("user = \"bob:s3cret\"").contains("header = \"X-Token: t0k\"")
                .contains("user-agent = \"ansible-httpget\"");
        assertThat(FakeFiles.writeScript(host)).contains("t=" + TMP + "; p=" + DEST).contains("mv -f -- \"$t\" \"$p\"");
        assertThat(String.join("\n", host.commands())).doesNotContain("s3cret");
    }

    @Test
    void anExistingFileIsFetchedConditionallyAndA304ChangesNothing() throws Exception {
        FakeFiles.file(DEST, "old\n").on(host);
        served(304, "");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("status_code", 304);
        assertThat(downloads().get(0)).contains(" -z " + DEST);
        assertThat(host.commandsContaining("rm -f -- " + TMP)).hasSize(1);
        assertThat(host.commands().stream().filter(FakeFiles::isWrite)).isEmpty();
    }

    @Test
    void sameContentIsNotAChangeAndForceDropsTheCondition() throws Exception {
        FakeFiles.file(DEST, "new\n").on(host);
        served(200, "");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST, "force", true));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("checksum_dest", BODY_SHA1);
        assertThat(downloads().get(0)).doesNotContain(" -z ");
    }

    @Test
    void aMatchingChecksumOnAnExistingFileSkipsTheDownload() throws Exception {
        String sha256 = FakeFiles.digest("sha256", "new\n".getBytes());
        FakeFiles.file(DEST, "new\n").on(host);
        host.when(c -> FakeFiles.isLook(c) && c.contains("sha256sum"),
                c -> FakeHostSession.result(0, lookWithChecksum(sha256), ""));
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST,
                "checksum", "sha256:" + sha256.toUpperCase()));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("file already exists");
        assertThat(downloads()).isEmpty();
    }

    private static String lookWithChecksum(String sum) {
        return "exists\n8180|0|0|root|root|1|2|3|4|1|5|4\n110\n\n\n" + sum + "  -\nnone\n";
    }

    @Test
    void aChecksumMismatchFailsBeforeAnythingIsReplaced() throws Exception {
        FakeFiles.missing(host, DEST);
        served(200, "ffff  -");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST, "checksum", "md5:abcd"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("The checksum for " + DEST + " did not match abcd; it was ffff.");
        assertThat(downloads().get(0)).contains("md5sum < \"$t\"");
        assertThat(host.commands().stream().filter(FakeFiles::isWrite)).isEmpty();
        assertThat(host.commandsContaining("rm -f -- " + TMP)).hasSize(1);
    }

    @Test
    void anHttpErrorFailsWithItsStatus() throws Exception {
        FakeFiles.missing(host, DEST);
        served(404, "");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Request failed");
        assertThat(o.data()).containsEntry("status_code", 404).containsEntry("response", "HTTP Error 404: Whatever");
    }

    @Test
    void aDirectoryDestTakesTheContentDispositionName() throws Exception {
        FakeFiles.dir("/opt").on(host);
        FakeFiles.missing(host, "/opt/real-name.tgz");
        served(200, "", "Content-Disposition: attachment; filename=\"../real-name.tgz\"");
        TaskOutcome o = ModuleHarness.run(host, "get_url", args("url", URL, "dest", "/opt"));
        assertThat(o.data()).containsEntry("dest", "/opt/real-name.tgz");
        assertThat(FakeFiles.writeScript(host)).contains("p=/opt/real-name.tgz");
    }

    @Test
    void checkModeDownloadsAsideAndWritesNothing() throws Exception {
        FakeFiles.missing(host, DEST);
        served(200, "");
        TaskOutcome o = ModuleHarness.check(host, "get_url", args("url", URL, "dest", DEST));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(downloads().get(0)).contains("t=$(mktemp) ||");
        assertThat(host.commands().stream().filter(FakeFiles::isWrite)).isEmpty();
    }

    @Test
    void wgetGetsItsSecretsInAConfigOnStdinAndNoToolFailsClearly() throws Exception {
        host.on("command -v curl", 0, "wget\n");
        FakeFiles.missing(host, DEST);
        served(200, "");
        ModuleHarness.run(host, "get_url", args("url", URL, "dest", DEST, "url_username", "bob",
                "url_password", "s3cret", "validate_certs", false));
        FakeHostSession.Exec download = host.execs().stream()
                .filter(e -> e.command().contains("__FLEET_GET_URL_HEADERS__")).findFirst().orElseThrow();
        assertThat(download.command()).contains("wget").contains("--config=$c").doesNotContain("s3cret");
        assertThat(download.stdinText()).contains("password = s3cret").contains("check_certificate = off");

        FakeHostSession bare = new FakeHostSession("bare").on("command -v curl", 127, "");
        FakeFiles.missing(bare, DEST);
        assertThat(ModuleHarness.run(bare, "get_url", args("url", URL, "dest", DEST)).msg())
                .isEqualTo("get_url needs curl or wget on the host; neither was found in PATH");
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        assertThat(ModuleHarness.rejection(host, "get_url", args("url", URL, "dest", DEST, "checksum", "abc")))
                .contains("argument 'checksum'");
        assertThat(ModuleHarness.rejection(host, "get_url", args("url", URL, "dest", DEST, "checksum", "crc:1")))
                .contains("unsupported algorithm 'crc'");
        assertThat(ModuleHarness.rejection(host, "get_url", args("url", URL, "dest", DEST, "timeout", "soon")))
                .contains("timeout");
        assertThat(ModuleHarness.rejection(host, "get_url", args("dest", DEST))).contains("url");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void checksumFilesAndUrlNamesAreReadAsAnsibleDoes() {
        String sums = "0000  other.txt\nabcd *./app.tar.gz\n";
        assertThat(GetUrlModule.ExpectedChecksum.fromChecksumFile(sums, "app.tar.gz")).isEqualTo("abcd");
        assertThat(GetUrlModule.ExpectedChecksum.fromChecksumFile("beef\n", "x")).isEqualTo("beef");
        assertThat(GetUrlModule.ExpectedChecksum.fromChecksumFile(sums, "nope")).isNull();
        assertThat(GetUrlModule.urlFileName("http://h/a/b.txt?x=1#y")).isEqualTo("b.txt");
        assertThat(GetUrlModule.urlFileName("http://h/")).isEqualTo("index.html");
        assertThat(GetUrlModule.urlFileName("http://h")).isEqualTo("index.html");
    }
}
