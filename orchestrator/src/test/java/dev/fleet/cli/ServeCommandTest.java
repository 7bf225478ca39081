package dev.fleet.cli;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void refusesToStartWithoutAToken() throws Exception {
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Path cfg = dir.resolve("fleet.yml");
        Files.writeString(cfg, "playbook_dirs: [pb]\ninventory_dirs: [inv]\n");
        Run r = fleet("serve", "--config", cfg.toString());
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("fleet serve: ERROR: " + cfg + ": no API token configured");

        Files.writeString(cfg, "tokens: [0123456789abcdef0123]\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n");
        r = fleet("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("OK (0 schedule(s), 1 token(s), listen http://127.0.0.1:8470)");
    }

    @Test
    void theExampleSystemdConfigIsValid() throws Exception {
        // examples/systemd/fleet.yml with its directories made relative to a temp dir
        String yaml = Files.readString(Path.of("..", "examples", "systemd", "fleet.yml"))
                .replace("/etc/fleet/playbooks", "pb").replace("/etc/fleet/inventory", "inv")
                .replace("env: FLEET_TOKEN", "file: ci.token");
        Files.writeString(dir.resolve("ci.token"), "0123456789abcdef0123\n");
        Files.setPosixFilePermissions(dir.resolve("ci.token"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Path cfg = dir.resolve("fleet.yml");
        Files.writeString(cfg, yaml);
        Run r = fleet("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 schedule(s), 1 token(s)");
    }

    @Test
    void theExampleClusterServeConfigIsValid() throws Exception {
        // examples/cluster/serve.yml in a temp dir, with placeholder certificates and its directories made there
        String yaml = Files.readString(Path.of("..", "examples", "cluster", "serve.yml"))
                .replace("../../playbooks", "pb").replace("/tmp/fleet-lab", "inv")
                .replace("env: FLEET_TOKEN", "file: ci.token");
        Files.writeString(dir.resolve("ci.token"), "0123456789abcdef0123\n");
        Files.setPosixFilePermissions(dir.resolve("ci.token"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Files.createDirectories(dir.resolve("certs"));
        for (String f : new String[] {"coordinator.key", "coordinator.crt", "ca.crt"}) {
            Files.writeString(dir.resolve("certs").resolve(f), "pem");
        }
        Path cfg = dir.resolve("serve.yml");
        Files.writeString(cfg, yaml);
        Run r = fleet("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1 schedule(s), 1 token(s)")
                .contains("runs on cluster 'fleet-example' as 127.0.0.2:5701");
    }
}
