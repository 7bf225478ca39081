package dev.fleet.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.cli.Main;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The recovery playbook against a real Ubuntu 24.04 (php8.3-fpm) in a container: the Debian lab's playbook
 * must work there unchanged, through facts. Skipped where there is no Docker engine (as on the machine this
 * project is developed on); users with Docker get the real Ubuntu check.
 */
@Testcontainers(disabledWithoutDocker = true)
class Ubuntu2404ContainerTest {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    @Test
    void recoversAStoppedPhpFpmOnUbuntu() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
                .redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        String pub = Files.readString(Path.of(key + ".pub")).strip();
        try (GenericContainer<?> host = new GenericContainer<>(new ImageFromDockerfile("fleet-ubuntu-2404-host", false)
                .withFileFromPath(".", REPO.resolve("examples/docker/ubuntu-24.04")))
                .withEnv("AUTHORIZED_KEY", pub)
                .withExposedPorts(22, 80)
                .waitingFor(Wait.forListeningPorts(22, 80))
                .withStartupTimeout(Duration.ofMinutes(5))) {
            host.start();
            assertThat(host.execInContainer("service", "php8.3-fpm", "stop").getExitCode()).isZero();
            String site = "http://127.0.0.1:" + host.getMappedPort(80) + "/index.php";
            assertThat(status(site)).isEqualTo(502);

            Path inv = dir.resolve("inventory.ini");
            Files.writeString(inv, "ubuntu ansible_host=127.0.0.1 ansible_port=" + host.getMappedPort(22)
                    + " ansible_user=root ansible_ssh_private_key_file=" + key + "\n");
            Path json = dir.resolve("r.json");
            StringWriter out = new StringWriter();
            int code = Main.execute(new PrintWriter(out), new PrintWriter(out), "run", "-i", inv.toString(),
                    "--known-hosts", dir.resolve("known_hosts").toString(), "--host-key-checking", "accept-new",
                    "-e", "site_url=http://127.0.0.1/index.php", "--json", json.toString(),
                    REPO.resolve("playbooks/nginx-502-recovery.yml").toString());
            assertThat(code).as(out.toString()).isZero();
            assertThat(status(site)).isEqualTo(200);
            JsonObject report = new JsonObject(Files.readString(json));
            assertThat(report.getJsonObject("hosts").getJsonObject("ubuntu").getString("status")).isEqualTo("changed");
            assertThat(report.encode()).contains("\"php_fpm_service\":\"php8.3-fpm\"");
        }
    }

    static int status(String url) throws Exception {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
