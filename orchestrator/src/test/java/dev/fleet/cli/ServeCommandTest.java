package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void refusesToStartWithoutAToken() throws Exception {
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Path cfg = dir.resolve("fleet.yml");
        Files.writeString(cfg, "playbook_dirs: [pb]\ninventory_dirs: [inv]\n");
        String[] r = run("serve", "--config", cfg.toString());
        assertThat(r[0]).isEqualTo("4");
        assertThat(r[2]).contains("fleet serve: ERROR: " + cfg + ": no API token configured");

        Files.writeString(cfg, "tokens: [0123456789abcdef0123]\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n");
        r = run("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("OK (0 schedule(s), listen 127.0.0.1:8470)");
    }

    @Test
    void theExampleSystemdConfigIsValid() throws Exception {
        // examples/systemd/fleet.yml with its directories made relative to a temp dir
        String yaml = Files.readString(Path.of("..", "examples", "systemd", "fleet.yml"))
                .replace("/etc/fleet/playbooks", "pb").replace("/etc/fleet/inventory", "inv")
                .replace("token_env: FLEET_TOKEN", "tokens: [0123456789abcdef0123]");
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        Path cfg = dir.resolve("fleet.yml");
        Files.writeString(cfg, yaml);
        String[] r = run("serve", "--config", cfg.toString(), "--check-config");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("1 schedule(s)");
    }
}
