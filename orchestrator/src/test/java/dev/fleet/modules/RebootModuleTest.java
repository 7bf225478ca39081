package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reboot} through fleet run against a real sshd, with a simulated reboot: nothing is ever rebooted. Every
 * task names its {@code reboot_command}, a script that only leaves a file saying a reboot was asked for; the test
 * then plays the machine: stops the host's sshd (dropping fleet's connection), writes a new boot id, and starts
 * sshd again. The module must reconnect, see the new boot id and pass its test command.
 */
class RebootModuleTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    @BeforeEach
    void fakeRebootScript() throws IOException {
        Path script = dir.resolve("fake-reboot");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" > '" + dir.resolve("reboot-requested") + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("boot_id"), "first\n");
    }

    @AfterEach
    void hostIsUpAgain() {
        if (!lab.running("host1")) lab.restart("host1");
    }

    private Run fleet(String playbookYaml, String... options) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml.replace("DIR", dir.toString()),
                options);
    }

    /** Once a reboot is asked for: sshd stops, the boot id changes, and after {@code downFor} (if any) sshd is back. */
    private CompletableFuture<Void> machine(Duration downFor) {
        return CompletableFuture.runAsync(() -> {
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!Files.exists(dir.resolve("reboot-requested")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                lab.stop("host1");
                Files.writeString(dir.resolve("boot_id"), "second\n");
                if (downFor == null) return;
                Thread.sleep(downFor);
                lab.restart("host1");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void theHostGoesDownComesBackWithANewBootIdAndLaterTasksUseTheNewConnection() throws Exception {
        CompletableFuture<Void> machine = machine(Duration.ofSeconds(2));
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - reboot:
                        reboot_command: DIR/fake-reboot now please
                        boot_time_command: cat DIR/boot_id
                        test_command: test -f DIR/boot_id
                        reboot_timeout: 60
                        connect_timeout: 2
                    - command: cat DIR/boot_id
                """);
        machine.get();
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed", "changed");
        assertThat(r.task("host1", 0).getJsonObject("data").getBoolean("rebooted")).isTrue();
        assertThat(r.task("host1", 0).getJsonObject("data").getLong("elapsed")).isBetween(1L, 30L);
        assertThat(Files.readString(dir.resolve("reboot-requested"))).isEqualTo("now please\n");
        assertThat(r.task("host1", 1).getString("stdout")).isEqualTo("second");
    }

    @Test
    void aRebootCommandIsFoundInTheSearchPaths() throws Exception {
        CompletableFuture<Void> machine = machine(Duration.ofSeconds(1));
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - reboot:
                        reboot_command: fake-reboot found
                        search_paths: [/nonexistent, DIR]
                        boot_time_command: cat DIR/boot_id
                        reboot_timeout: 60
                """);
        machine.get();
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(Files.readString(dir.resolve("reboot-requested"))).isEqualTo("found\n");
    }

    @Test
    void aHostThatDoesNotComeBackFailsAfterTheRebootTimeout() throws Exception {
        CompletableFuture<Void> machine = machine(null);
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - reboot:
                        reboot_command: DIR/fake-reboot
                        boot_time_command: cat DIR/boot_id
                        reboot_timeout: 3
                        connect_timeout: 1
                """);
        machine.get();
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.task("host1", 0).getString("msg"))
                .isEqualTo("Timed out waiting for last boot time check (timeout=3)");
        assertThat(r.task("host1", 0).getJsonObject("data").getBoolean("rebooted")).isTrue();
    }

    @Test
    void checkModeRunsNothing() throws Exception {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - reboot:
                        reboot_command: DIR/fake-reboot
                        boot_time_command: cat DIR/boot_id
                """, "--check");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed");
        assertThat(dir.resolve("reboot-requested")).doesNotExist();
    }
}
