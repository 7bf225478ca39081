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
        Run r = checkExample(Path.of("..", "examples", "systemd", "fleet.yml"), "/etc/fleet/playbooks",
                "/etc/fleet/inventory");
        assertThat(r.out()).contains("1 schedule(s), 1 token(s)");
    }

    @Test
    void theExampleClusterServeConfigIsValid() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        for (String f : new String[] {"coordinator.key", "coordinator.crt", "ca.crt"}) {
            Files.writeString(dir.resolve("certs").resolve(f), "pem"); // placeholders: only their presence is read
        }
        Run r = checkExample(Path.of("..", "examples", "cluster", "serve.yml"), "../../playbooks", "/tmp/fleet-lab");
        assertThat(r.out()).contains("1 schedule(s), 1 token(s)")
                .contains("runs on cluster 'fleet-example' as 127.0.0.2:5701");
    }

    /** {@code --check-config} of an example config copied here, its directories made relative, its token a file. */
    private Run checkExample(Path example, String playbookDir, String inventoryDir) throws Exception {
        String yaml = Files.readString(example).replace(playbookDir, "pb").replace(inventoryDir, "inv")
                .replace("env: FLEET_TOKEN", "file: ci.token");
        Files.writeString(dir.resolve("ci.token"), "0123456789abcdef0123\n");
        Files.setPosixFilePermissions(dir.resolve("ci.token"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Path cfg = dir.resolve(example.getFileName().toString());
        Files.writeString(cfg, yaml);
        Run r = fleet("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r.exit()).as(r.err()).isZero();
        return r;
    }
}
