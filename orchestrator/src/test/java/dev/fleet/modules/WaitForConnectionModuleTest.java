package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait_for_connection} through fleet run against a real sshd that the test stops and starts again: the
 * broken connection is dropped and a new one opened once sshd is back, and later tasks use it.
 */
class WaitForConnectionModuleTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    private Run fleet(String playbookYaml) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml.replace("DIR", dir.toString()));
    }

    @AfterEach
    void hostIsUpAgain() {
        if (!lab.running("host1")) lab.restart("host1");
    }

    /** Once {@code marker} appears: stops the host's sshd, and starts it again {@code downFor} later. */
    private CompletableFuture<Void> outageWhen(Path marker, Duration downFor) {
        return CompletableFuture.runAsync(() -> {
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(50);
                lab.stop("host1");
                Thread.sleep(downFor);
                lab.restart("host1");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aConnectionBrokenBySshdRestartingIsOpenedAgainAndUsedByLaterTasks() throws Exception {
        CompletableFuture<Void> outage = outageWhen(dir.resolve("stop-me"), Duration.ofSeconds(3));
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - command: touch DIR/stop-me
                    - wait_for_connection: {delay: 1, sleep: 1, timeout: 30, connect_timeout: 2}
                      register: waited
                    - command: echo after
                """);
        outage.get();
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed", "ok", "changed");
        assertThat(r.task("host1", 1).getJsonObject("data").getLong("elapsed")).isBetween(2L, 15L);
        assertThat(r.task("host1", 2).getString("stdout")).isEqualTo("after");
    }

    @Test
    void asTheFirstTaskItWaitsForAHostThatIsNotUpYet() throws Exception {
        lab.stop("host1");
        CompletableFuture<Void> back = lab.restartAfter("host1", Duration.ofMillis(2500));
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - wait_for_connection: {timeout: 30, connect_timeout: 2}
                    - command: echo up
                """);
        back.get();
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("ok", "changed");
        assertThat(r.task("host1", 0).getJsonObject("data").getLong("elapsed")).isGreaterThanOrEqualTo(1L);
    }

    @Test
    void aHostThatStaysDownFailsTheTaskAfterTheTimeout() throws Exception {
        lab.stop("host1");
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - wait_for_connection: {timeout: 2, connect_timeout: 1}
                """);
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.statuses("host1")).containsExactly("failed");
        assertThat(r.task("host1", 0).getString("msg")).startsWith("timed out waiting for ping module test: ");
    }

    @Test
    void checkModeSkipsIt() throws Exception {
        Run r = new FleetCli(dir, lab.inventory(), lab.knownHosts()).run("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - wait_for_connection:
                """, "--check");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("skipped");
    }
}
