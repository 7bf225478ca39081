package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code uri}: the host makes the request with curl. The test reads the curl command line it was given and
 * scripts curl's answer (body, then the -w marker line with status, redirects, url and content type on stdout;
 * the response headers on stderr).
 */
class UriHostFreeTest {
    private static final String URL = "http://127.0.0.1/health";

    private final FakeHostSession host = new FakeHostSession("web1");

    /** curl answers: {@code body} with this status and content type, and these header lines. */
    private void respond(int status, String contentType, String body, String headers) {
        host.when(c -> c.contains("curl"), c -> FakeHostSession.result(0,
                body + UriModule.MARKER + status + " 0 " + URL + " " + contentType + "\n",
                "HTTP/1.1 " + status + " X\r\n" + headers));
    }

    /** The words of the curl command line. */
    private List<String> curl() throws Exception {
        assertThat(host.commands()).hasSize(1);
        String c = host.commands().get(0);
        return ShellQuote.split(c.substring(c.indexOf("; curl ") + 2));
    }

    private TaskOutcome uri(Object... kv) throws Exception {
        Map<String, Object> a = args(kv);
        a.putIfAbsent("url", URL);
        return ModuleHarness.run(host, "uri", a);
    }

    @Test
    void aGetRunsCurlWithTheUrlLastAfterDoubleDash() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri();
        List<String> argv = curl();
        assertThat(argv.get(0)).isEqualTo("curl");
        assertThat(argv.subList(argv.size() - 2, argv.size())).containsExactly("--", URL);
        assertThat(argv).containsSequence("-X", "GET").contains("-sS");
    }

    @Test
    void theCommandFirstChecksThatCurlExists() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri();
        assertThat(host.commands().get(0)).startsWith("command -v curl >/dev/null 2>&1 || {");
    }

    @Test
    void aUrlWithShellCharactersIsOneQuotedWord() throws Exception {
        String url = "http://127.0.0.1/a?x=1&y=$(id)'";
        respond(200, "text/plain", "ok", "");
        uri("url", url);
        assertThat(curl()).endsWith(url);
    }

    @Test
    void theTimeoutBecomesCurlsMaxTime() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("timeout", 7);
        assertThat(curl()).containsSequence("--max-time", "7");
    }

    @Test
    void theCommandMayRunForTheTimeoutPlusAMarginCappedByTheTaskTimeout() throws Exception {
        respond(200, "text/plain", "ok", "");
        ModuleHarness.task("uri", args("url", URL, "timeout", 7)).timeout(Duration.ofMinutes(5)).on(host);
        assertThat(host.execs().get(0).timeout()).isEqualTo(Duration.ofSeconds(22));
    }

    @Test
    void theTaskTimeoutCapsTheCommandsTimeout() throws Exception {
        respond(200, "text/plain", "ok", "");
        ModuleHarness.task("uri", args("url", URL, "timeout", 120)).timeout(Duration.ofSeconds(10)).on(host);
        assertThat(host.execs().get(0).timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aGetFollowsRedirectsByDefault() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri();
        assertThat(curl()).contains("-L");
    }

    @Test
    void aPostDoesNotFollowRedirectsByDefault() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "body", "x");
        assertThat(curl()).doesNotContain("-L").containsSequence("-X", "POST");
    }

    @Test
    void followRedirectsNoneNeverFollows() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("follow_redirects", "none");
        assertThat(curl()).doesNotContain("-L");
    }

    @Test
    void headUsesCurlsHeadOption() throws Exception {
        respond(200, "text/plain", "", "");
        uri("method", "head");
        assertThat(curl()).contains("-I").doesNotContain("-X");
    }

    @Test
    void validateCertsFalseAddsInsecure() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("validate_certs", false);
        assertThat(curl()).contains("-k");
    }

    @Test
    void headersAreEachOneQuotedWord() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("headers", Map.of("Authorization", "Bearer a'b $TOKEN"));
        assertThat(curl()).containsSequence("-H", "Authorization: Bearer a'b $TOKEN");
    }

    @Test
    void aHeaderWithANewlineIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "uri", args("url", URL, "headers", Map.of("X", "a\nb"))))
                .isEqualTo("header 'X' contains a newline");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void theBodyGoesToCurlsStdinNotTheCommandLine() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "body", "secret=$(reboot)");
        assertThat(curl()).containsSequence("--data-binary", "@-");
        assertThat(host.commands().get(0)).doesNotContain("secret");
        assertThat(host.execs().get(0).stdinText()).isEqualTo("secret=$(reboot)");
    }

    @Test
    void aJsonBodyIsEncodedAndGetsAJsonContentType() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "body_format", "json", "body", Map.of("name", "web1"));
        assertThat(host.execs().get(0).stdinText()).isEqualTo("{\"name\":\"web1\"}");
        assertThat(curl()).containsSequence("-H", "Content-Type: application/json");
    }

    @Test
    void aGivenContentTypeIsNotOverridden() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "body_format", "json", "body", "{}", "headers",
                Map.of("content-type", "application/vnd.api+json"));
        assertThat(curl()).doesNotContain("Content-Type: application/json")
                .contains("content-type: application/vnd.api+json");
    }

    @Test
    void aFormBodyIsUrlEncoded() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "body_format", "form-urlencoded", "body", args("q", "a b&c", "n", 1));
        assertThat(host.execs().get(0).stdinText()).isEqualTo("q=a+b%26c&n=1");
        assertThat(curl()).containsSequence("-H", "Content-Type: application/x-www-form-urlencoded");
    }

    @Test
    void anExpectedStatusIsOkWithStatusUrlAndHeaders() throws Exception {
        respond(200, "text/plain", "ok", "Content-Type: text/plain\r\nX-Request-Id: 42\r\n");
        TaskOutcome o = uri();
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("status", 200).containsEntry("url", URL).containsEntry("redirected", false)
                .containsEntry("x_request_id", "42").containsEntry("content_type", "text/plain");
    }

    @Test
    void theContentIsOnlyReturnedWhenAskedFor() throws Exception {
        respond(200, "text/plain", "hello", "");
        assertThat(uri().data()).doesNotContainKey("content");
    }

    @Test
    void returnContentReturnsTheBody() throws Exception {
        respond(200, "text/plain", "hello\nworld", "");
        assertThat(uri("return_content", true).data()).containsEntry("content", "hello\nworld");
    }

    @Test
    void aJsonResponseIsParsedIntoJson() throws Exception {
        respond(200, "application/json", "{\"ok\":true,\"n\":[1,2]}", "");
        assertThat(uri().data()).containsEntry("json", Map.of("ok", true, "n", List.of(1, 2)));
    }

    @Test
    void anUnexpectedStatusFailsWithAnsiblesMessageAndTheContent() throws Exception {
        respond(502, "text/html", "<html><title>502 Bad Gateway</title></html>", "");
        TaskOutcome o = uri();
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Status code was 502 and not [200]: HTTP Error 502: 502 Bad Gateway");
        assertThat(o.data()).containsEntry("status", 502).containsKey("content");
    }

    @Test
    void statusCodeAcceptsAListOfCodes() throws Exception {
        respond(204, "text/plain", "", "");
        assertThat(uri("status_code", List.of(200, 204)).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void statusCodeAcceptsACommaSeparatedString() throws Exception {
        respond(301, "text/plain", "", "");
        assertThat(uri("status_code", "200, 301").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aFailedConnectionIsStatusMinusOneWithCurlsError() throws Exception {
        host.when(c -> c.contains("curl"), c -> FakeHostSession.result(7, "",
                "curl: (7) Failed to connect to 127.0.0.1 port 80: Connection refused\n"));
        TaskOutcome o = uri();
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.data()).containsEntry("status", -1);
        assertThat(o.msg()).isEqualTo("Status code was -1 and not [200]: Request failed: curl: (7) Failed to connect"
                + " to 127.0.0.1 port 80: Connection refused");
    }

    @Test
    void aHostWithoutCurlFailsSayingSo() throws Exception {
        host.when(c -> c.contains("curl"), c -> FakeHostSession.result(127, "", "uri needs curl on the host\n"));
        TaskOutcome o = uri();
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("uri needs curl on the host (not found in PATH)");
    }

    @Test
    void checkModeSkipsARequestThatMayChangeSomething() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "uri", args("url", URL, "method", "DELETE"));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aMethodWithShellCharactersIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "uri", args("url", URL, "method", "GET;id")))
                .isEqualTo("'GET;ID' is not an HTTP method");
    }

    @Test
    void anUnknownBodyFormatIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "uri", args("url", URL, "body", "x", "body_format", "xml")))
                .contains("argument 'body_format' must be one of [form-urlencoded, json, raw], got 'xml'");
    }

    @Test
    void aNonNumericStatusCodeIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "uri", args("url", URL, "status_code", "ok")))
                .contains("argument 'status_code' must be list of int").contains("got 'ok'");
    }

    @Test
    void withoutUrlTheTaskIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "uri", args("method", "GET")))
                .contains("missing required arguments: url");
    }

    @Test
    void urlUsernameAndPasswordAreSentAsBasicAuth() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("url_username", "admin", "url_password", "s3cr3t", "force_basic_auth", true);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:s3cr3t".getBytes());
        List<String> argv = curl();
        String stdin = host.execs().get(0).stdinText();
        boolean sent = argv.contains("admin:s3cr3t") || argv.contains("Authorization: " + basic)
                || (stdin != null && (stdin.contains("admin:s3cr3t") || stdin.contains(basic)));
        assertThat(sent).as("credentials in %s (stdin %s)", argv, stdin).isTrue();
    }

    @Test
    void thePasswordAndTheBodyGoInACurlConfigOnStdinNeverOnTheCommandLine() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("method", "POST", "url_username", "admin", "url_password", "p\"w\\d", "body", "@a\nb");
        assertThat(host.commands().get(0)).doesNotContain("p\"w").doesNotContain("admin");
        assertThat(curl()).containsSequence("-K", "-").doesNotContain("--data-binary");
        assertThat(host.execs().get(0).stdinText())
                .isEqualTo("user = \"admin:p\\\"w\\\\d\"\nanyauth\ndata-raw = \"@a\\nb\"\n");
    }

    @Test
    void forceBasicAuthSendsTheCredentialsWithoutWaitingForAChallenge() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("url_username", "admin", "force_basic_auth", true);
        assertThat(host.execs().get(0).stdinText()).isEqualTo("user = \"admin:\"\n");
    }

    @Test
    void aPasswordWithoutAUserNameSendsNoCredentials() throws Exception {
        respond(200, "text/plain", "ok", "");
        uri("url_password", "s3cr3t");
        assertThat(curl()).doesNotContain("-K");
        assertThat(host.execs().get(0).stdin()).isNull();
    }
}
