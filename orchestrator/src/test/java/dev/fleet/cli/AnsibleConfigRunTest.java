package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fleet run in a directory with an ansible.cfg, as its own process (the config is found from the working
 * directory): the inventory comes from it, -v names the file, unused settings are warned about once.
 */
class AnsibleConfigRunTest {
    @TempDir
    Path dir;

    @Test
    void aProjectsAnsibleCfgSuppliesTheInventoryAndIsNamedUnderVerbose() throws Exception {
        Files.writeString(dir.resolve("ansible.cfg"), """
                [defaults]
                inventory = hosts.ini
                forks = 2
                retry_files_enabled = False
                """);
        Files.writeString(dir.resolve("hosts.ini"), "box1 ansible_connection=local\nbox2 ansible_connection=local\n");
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo from-{{ inventory_hostname }}
                      register: r
                    - assert:
                        that: r.stdout == 'from-' ~ inventory_hostname
                """);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "run", "site.yml", "-v",
                "--no-history"));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Using " + dir.toRealPath().resolve("ansible.cfg") + " as config file")
                .contains("settings fleet does not use: defaults.retry_files_enabled")
                .contains("box1").contains("box2");
    }
}
