package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, unreachable is recoverable, against real sshd hosts whose sshd the test stops: a
 * {@code rescue_unreachable} block rescues the lost host, and {@code until} retries reconnect to a host whose sshd
 * comes back between attempts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class UnreachableRecoveryLabTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    @AfterEach
    void hostIsUpAgain() {
        if (!lab.running("host1")) lab.restart("host1");
    }

    private Run fleet(String playbookYaml) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml, "--connect-retries", "0",
                "--connect-timeout", "3");
    }

    @Test
    void aRescueUnreachableBlockRescuesAHostWhoseSshdIsStopped() throws Exception {
        lab.stop("host1");
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - rescue_unreachable: true
                      block:
                        - name: needs the host
                          command: echo reached
                      rescue:
                        - name: lost
                          debug:
                            msg: "lost={{ ansible_failed_result.unreachable }} task={{ ansible_failed_task.name }}"
                      always:
                        - debug: msg=always
                    - debug: msg=after
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("unreachable", "ok", "ok", "ok");
        assertThat(r.task("host1", 1).getString("msg")).isEqualTo("lost=True task=needs the host");
        JsonObject stats = r.stats("host1");
        assertThat(stats.getInteger("rescued")).isEqualTo(1);
        assertThat(stats.getInteger("unreachable")).isZero();
        assertThat(r.statuses("host2")).containsExactly("changed", "ok", "ok");
    }

    @Test
    void theRescuedHostConnectsAgainOnceItsSshdIsBackAndStaysInThePlay() throws Exception {
        lab.stop("host1");
        CompletableFuture<Void> back = lab.restartAfter("host1", Duration.ofMillis(2500));
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - rescue_unreachable: true
                      block:
                        - command: echo reached
                      rescue:
                        - name: wait for the host
                          command: echo back
                          register: again
                          until: again.rc == 0
                          retries: 30
                          delay: 1
                    - command: echo after
                """);
        back.get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("unreachable", "changed", "changed");
        assertThat(r.task("host1", 2).getString("stdout")).isEqualTo("after");
        assertThat(r.stats("host1").getInteger("rescued")).isEqualTo(1);
    }

    @Test
    void untilRetriesReconnectToAHostWhoseSshdComesBack() throws Exception {
        lab.stop("host1");
        CompletableFuture<Void> back = lab.restartAfter("host1", Duration.ofMillis(2500));
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - command: echo up
                      register: probe
                      until: probe.stdout == 'up'
                      retries: 30
                      delay: 1
                    - command: echo after
                """);
        back.get(30, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed", "changed");
        JsonObject data = r.task("host1", 0).getJsonObject("data");
        int attempts = data.getInteger("attempts");
        assertThat(attempts).as(r.describe()).isGreaterThan(1);
        // every attempt but the last found the host down
        assertThat(data.getJsonArray("unreachable_attempts").getList()).hasSize(attempts - 1).contains(1);
        assertThat(r.stats("host1").getInteger("unreachable")).isZero();
    }
}
