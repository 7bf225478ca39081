package dev.fleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 502 runbook on a real lab: every host runs its own sshd, nginx and php-fpm in its own namespaces on
 * 127.0.77.x; each gets a different real fault; playbooks/nginx-502-recovery.yml must fix the fixable ones
 * (checked from outside with an HTTP client), report the broken config with nginx's own error, leave the
 * healthy host unchanged, and change nothing on a second run.
 */
class Nginx502RecoveryTest {
    /** The lab's own third octet, so it never meets a demo lab on 127.0.0.x. */
    static final String LAB_NET = "77";
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    static final Map<String, String> FAULTS = Map.of(
            "host01", "php-fpm-stopped",
            "host02", "socket-permissions",
            "host03", "wrong-socket",
            "host04", "config-broken",
            "host05", "slow-upstream",
            "host07", "max-children");

    @TempDir
    static Path tmp;
    static Path lab;

    @BeforeAll
    static void startLab() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "the 502 lab needs root (namespaces, port 80)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")) && Files.exists(Path.of("/usr/sbin/php-fpm8.2")),
                "needs nginx and php8.2-fpm installed (.ci/run installs them)");
        lab = tmp.resolve("lab");
        sh(List.of(REPO.resolve("examples/lab/start.sh").toString(), "-n", "7", "--web", "--dir", lab.toString()), 120);
        for (var f : new java.util.TreeMap<>(FAULTS).entrySet()) {
            sh(List.of(REPO.resolve("examples/lab/fault.sh").toString(), "--dir", lab.toString(), f.getKey(),
                    f.getValue()), 120);
        }
    }

    @AfterAll
    static void stopLab() throws Exception {
        if (lab != null) sh(List.of(REPO.resolve("examples/lab/stop.sh").toString(), "--dir", lab.toString()), 60);
    }

    static String sh(List<String> cmd, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LAB_NET", LAB_NET);
        pb.environment().put("LAB_BUSY_SECONDS", "40");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) p.destroyForcibly();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
        return out;
    }

    static FleetCli.Run recover(String... options) throws IOException {
        return new FleetCli(tmp, lab.resolve("inventory.ini"), lab.resolve("known_hosts"))
                .runFile(REPO.resolve("playbooks/nginx-502-recovery.yml"), options);
    }

    static int httpStatus(String host) throws Exception {
        String ip = Files.readString(lab.resolve("hosts").resolve(host).resolve("ip")).strip();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + ip + "/index.php"))
                .timeout(Duration.ofSeconds(10)).build();
        try {
            return client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void fixesWhatIsBrokenReportsWhatIsNotAndChangesNothingTheSecondTime() throws Exception {
        List<String> fixable = List.of("host01", "host02", "host03", "host07");
        for (String h : fixable) assertThat(httpStatus(h)).as(h + " is broken before the run").isNotEqualTo(200);

        // A dry run first: the read-only diagnostics run (check_mode: false), every fix only says what it would do,
        // and nothing on the hosts changes.
        FleetCli.Run dry = recover("--check", "--diff");
        assertThat(dry.exit()).as(dry.describe()).isEqualTo(2); // host04's broken config is reported as it is
        for (String h : fixable) {
            assertThat(dry.host(h).getString("status")).as(h + "\n" + dry.describe()).isEqualTo("changed");
            assertThat(httpStatus(h)).as(h + " after --check").isNotEqualTo(200);
        }
        assertThat(dry.out()).contains("would fix: was 502").contains("+++ after: ");
        assertThat(dry.host("host04").getString("status")).isEqualTo("failed");

        FleetCli.Run first = recover();
        assertThat(first.exit()).as(first.describe()).isEqualTo(2);
        for (String h : List.of("host01", "host02", "host03", "host05", "host07")) {
            assertThat(httpStatus(h)).as(h + " after the run\n" + first.describe()).isEqualTo(200);
            assertThat(first.host(h).getString("status")).as(h).isEqualTo("changed");
        }
        JsonObject broken = first.host("host04");
        assertThat(broken.getString("status")).isEqualTo("failed");
        List<String> messages = new ArrayList<>();
        broken.getJsonArray("tasks").forEach(t -> messages.add(((JsonObject) t).getString("msg")));
        assertThat(String.join("\n", messages)).contains("nginx -t failed").contains("[emerg]");
        assertThat(first.host("host06").getJsonObject("stats").getInteger("changed")).as(first.describe()).isZero();
        assertThat(first.host("host06").getString("status")).isEqualTo("ok");

        FleetCli.Run second = recover();
        assertThat(second.exit()).isEqualTo(2); // host04 still needs a human
        for (String h : List.of("host01", "host02", "host03", "host05", "host06", "host07")) {
            assertThat(second.host(h).getJsonObject("stats").getInteger("changed")).as(h + "\n" + second.describe()).isZero();
            assertThat(second.host(h).getString("status")).isEqualTo("ok");
        }
        assertThat(second.host("host04").getJsonObject("stats").getInteger("changed")).isZero();
    }
}
