package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fleet serve} over HTTPS with a self-signed certificate made by openssl, and when plain HTTP is refused. */
class ServeTlsTest {
    @TempDir
    Path dir;
    Path root;

    @BeforeEach
    void certificate() throws Exception {
        root = Files.createDirectories(dir.resolve("srv"));
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        openssl(root, "server");
    }

    /** A self-signed P-256 certificate for 127.0.0.1 and localhost: {@code name.crt}, {@code name.key}. */
    static void openssl(Path in, String name) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=fleet test",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout", name + ".key", "-out", name + ".crt").directory(in.toFile()).redirectErrorStream(true)
                .start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    /** An HTTPS client that trusts exactly {@code cert} (and checks the host name against it). */
    static HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("fleet", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
    }

    ServeHarness serve(HttpClient client) throws Exception {
        return new ServeHarness(root, new MemoryRunStore(), """
                listen:
                  host: 127.0.0.1
                  port: 0
                  tls: {cert: server.crt, key: server.key}
                tokens: [%s]
                """.formatted(ServeHarness.TOKEN), "", Map.of(), client);
    }

    @Test
    void aClientThatChecksTheCertificateIsServedOverTls() throws Exception {
        try (ServeHarness s = serve(trusting(root.resolve("server.crt")))) {
            HttpResponse<String> r = s.get("/api/runs");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.uri().getScheme()).isEqualTo("https");
            assertThat(r.sslSession()).hasValueSatisfying(t -> assertThat(t.getProtocol()).startsWith("TLSv1."));
            assertThat(s.send("GET", "/api/runs", null, null).statusCode()).isEqualTo(401); // still needs the token
            assertThat(s.log).anySatisfy(l -> assertThat(l).startsWith("listening on https://127.0.0.1:"));

            // a client trusting only the usual CAs refuses the self-signed certificate
            HttpClient stranger = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> stranger.send(HttpRequest.newBuilder(s.uri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
            // a client trusting another certificate refuses it too
            Path other = Files.createDirectories(dir.resolve("other"));
            openssl(other, "other");
            assertThatThrownBy(() -> trusting(other.resolve("other.crt")).send(HttpRequest.newBuilder(
                    s.uri("/healthz")).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(SSLHandshakeException.class);

            // plain HTTP to the TLS port gets no HTTP answer
            String answer = rawPlainRequest(s.port);
            assertThat(answer).doesNotContain("HTTP/1.1").doesNotContain("\"runs\"");
        }
    }

    /** Sends a plain HTTP request with the token and reads what comes back until the server closes. */
    static String rawPlainRequest(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServeHarness.TOKEN
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; got.size() < 65536 && (n = socket.getInputStream().read(buf)) > 0; ) got.write(buf, 0, n);
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // closed or silent: no HTTP answer either way
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void plainHttpIsOnlyForLoopbackUnlessTheConfigSaysSo() throws Exception {
        Path file = root.resolve("fleet.yml");
        String rest = "tokens: [abcdefghijklmnopqrstuvwxyz]\nplaybook_dirs: [playbooks]\ninventory_dirs: [inventory]\n";
        for (String host : List.of("0.0.0.0", "192.0.2.10", "fleet.example.com", "'::'")) {
            assertThatThrownBy(() -> ServeConfig.parse("listen:\n  host: " + host + "\n" + rest, file, k -> null))
                    .as(host).isInstanceOf(ParseException.class)
                    .hasMessageStartingWith(file + ":2:9: listen.host " + host.replace("'", "")
                            + " is not a loopback address and listen.tls is not set")
                    .hasMessageContaining("allow_plain_http: true");
        }
        for (String host : List.of("127.0.0.1", "127.0.0.9", "localhost", "'::1'")) {
            assertThat(ServeConfig.parse("listen:\n  host: " + host + "\n" + rest, file, k -> null).tls()).isNull();
        }
        ServeConfig allowed = ServeConfig.parse("listen: {host: 0.0.0.0, allow_plain_http: true}\n" + rest, file,
                k -> null);
        assertThat(allowed.tls()).isNull();
        ServeConfig tls = ServeConfig.parse("listen: {host: 0.0.0.0, tls: {cert: server.crt, key: server.key}}\n"
                + rest, file, k -> null);
        assertThat(tls.tls().cert()).isEqualTo(root.resolve("server.crt"));

        assertThatThrownBy(() -> ServeConfig.parse("listen: {tls: {cert: server.crt}}\n" + rest, file, k -> null))
                .hasMessageContaining(":1:15: listen.tls is missing 'key'");
        assertThatThrownBy(() -> ServeConfig.parse("listen: {tls: {cert: server.key, key: server.key}}\n" + rest,
                file, k -> null)).hasMessageContaining(":1:22: listen.tls.cert: ").hasMessageContaining(
                        "holds no PEM 'CERTIFICATE' block");
        assertThatThrownBy(() -> ServeConfig.parse("listen: {tls: {cert: server.crt, key: nope.key}}\n" + rest,
                file, k -> null)).hasMessageContaining(":1:39: listen.tls.key: cannot read ");
        Files.writeString(root.resolve("locked.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n");
        assertThatThrownBy(() -> ServeConfig.parse("listen: {tls: {cert: server.crt, key: locked.key}}\n" + rest,
                file, k -> null)).hasMessageContaining("locked.key is encrypted; fleet serve needs it unencrypted");
        assertThatThrownBy(() -> ServeConfig.parse("listen: {allow_plain_http: yes please}\n" + rest, file,
                k -> null)).hasMessageContaining("listen.allow_plain_http must be true or false");
    }
}
