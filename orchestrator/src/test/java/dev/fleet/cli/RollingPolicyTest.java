package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.playbook.Play;
import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** serial, max_fail_percentage, any_errors_fatal, throttle, run_once and delegate_to, against real sshd. */
class RollingPolicyTest {
    @TempDir
    Path dir;
    @RegisterExtension
    static final SshdLab lab = new SshdLab(4);

    /** fleet run against the lab; DIR in the playbook stands for this test's temp dir. */
    Run fleet(String yaml, String... extra) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(yaml.replace("DIR", dir.toString()), extra);
    }

    @Test
    void serialSplitsHostsIntoBatchesAsAnsibleDoes() {
        List<String> hosts = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
        assertThat(new Play.Rolling(List.of("1", "3", "50%"), null, false).batches(hosts))
                .containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e", "f", "g", "h", "i"), List.of("j"));
        assertThat(new Play.Rolling(List.of("30%"), null, false).batches(hosts)).hasSize(4);
        assertThat(new Play.Rolling(List.of(), null, false).batches(hosts)).hasSize(1);
    }

    @Test
    void serialRunsTheWholePlayOnOneBatchBeforeTheNext() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  serial: 2
                  tasks:
                    - command: 'true'
                    - command: 'true'
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        // host3 (second batch) starts only after host1 and host2 finished their last task
        assertThat(r.start("host3", 0)).isAfterOrEqualTo(r.end("host1", 1)).isAfterOrEqualTo(r.end("host2", 1));
    }

    @Test
    void maxFailPercentageStopsTheRunAfterABadBatch() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  serial: 2
                  max_fail_percentage: 40
                  tasks:
                    - shell: test {{ inventory_hostname }} != host1
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("PLAY ABORTED: max_fail_percentage 40% exceeded: 1 of 2 hosts");
        assertThat(r.host("host3").getJsonArray("tasks")).isEmpty();
    }

    @Test
    void anyErrorsFatalStopsEveryHostAfterTheFailingTask() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                    - shell: test {{ inventory_hostname }} != host2
                    - command: echo second
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.host("host1").getJsonArray("tasks")).hasSize(1);
        assertThat(r.out()).contains("any_errors_fatal");
    }

    @Test
    void throttleLimitsOneTaskOnly() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - command: sleep 0.3
                      throttle: 1
                """);
        assertThat(r.exit()).isZero();
        List<Instant[]> spans = new ArrayList<>();
        for (String h : List.of("host1", "host2", "host3", "host4")) spans.add(new Instant[] {r.start(h, 0), r.end(h, 0)});
        spans.sort((a, b) -> a[0].compareTo(b[0]));
        for (int i = 1; i < spans.size(); i++) assertThat(spans.get(i)[0]).isAfterOrEqualTo(spans.get(i - 1)[1]);
    }

    @Test
    void runOnceRunsOnOneHostAndSharesTheResult() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - shell: echo {{ inventory_hostname }} >> DIR/once; echo from-{{ inventory_hostname }}
                      run_once: true
                      register: once
                    - command: echo {{ once.stdout }}
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(Files.readAllLines(dir.resolve("once"))).containsExactly("host1");
        assertThat(r.host("host4").getJsonArray("tasks").getJsonObject(0).getString("stdout")).isEqualTo("from-host1");
    }

    @Test
    void delegateToLocalhostRunsOnTheController() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - shell: echo {{ inventory_hostname }} $(cut -d' ' -f4 /proc/$PPID/stat)
                      delegate_to: localhost
                """);
        assertThat(r.exit()).as(r.describe()).isZero();
        String out = r.host("host1").getJsonArray("tasks").getJsonObject(0).getString("stdout");
        assertThat(out).startsWith("host1 ");
        // the shell's parent is this JVM, not an sshd
        assertThat(out).endsWith(" " + ProcessHandle.current().pid());
    }
}
