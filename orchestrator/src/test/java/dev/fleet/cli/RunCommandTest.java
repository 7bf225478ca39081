package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * fleet run, end to end, in-process, against real sshd processes on loopback: per-host results, failures,
 * unreachable hosts, host keys, parse errors, limits, the JSON report and exit codes.
 */
class RunCommandTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(4);

    /** fleet run of the playbook against the whole lab; {@code extra} options go before the playbook. */
    Run fleet(String playbookYaml, String... extra) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml, extra);
    }

    @Test
    void runsEveryTaskOnEveryHostAndReportsEachHostsOwnOutput() throws IOException {
        Run r = fleet("""
                - name: smoke
                  hosts: lab
                  gather_facts: false
                  vars: {greeting: hello}
                  tasks:
                    - name: who am i
                      command: echo {{ greeting }} {{ inventory_hostname }}
                      register: hi
                    - name: shell pipeline
                      shell: echo "{{ hi.stdout }}" | tr a-z A-Z
                    - ansible.builtin.ping:
                """);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.report().getString("schema")).isEqualTo("fleet.run/v1");
        assertThat(r.report().getJsonObject("hosts").fieldNames()).containsExactly("host1", "host2", "host3", "host4");
        for (String h : List.of("host1", "host2", "host3", "host4")) {
            JsonArray t = r.tasks(h);
            assertThat(t).hasSize(3);
            assertThat(t.getJsonObject(0).getString("stdout")).isEqualTo("hello " + h);
            assertThat(t.getJsonObject(0).getInteger("rc")).isZero();
            assertThat(t.getJsonObject(1).getString("stdout")).isEqualTo("HELLO " + h.toUpperCase());
            assertThat(t.getJsonObject(2).getString("status")).isEqualTo("ok");
            assertThat(r.stats(h).getInteger("changed")).isEqualTo(2);
        }
        assertThat(r.out()).contains("PLAY RECAP").contains("host3").contains("ok=3").contains("changed=2");
    }

    @Test
    void aFailingCommandStopsOnlyThatHost() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: fails on host2
                      shell: echo to-stderr >&2; test {{ inventory_hostname }} != host2
                    - name: after
                      command: echo still here
                """);
        assertThat(r.exit()).isEqualTo(2);
        JsonArray h2 = r.tasks("host2");
        assertThat(h2).hasSize(1);
        assertThat(h2.getJsonObject(0).getString("status")).isEqualTo("failed");
        assertThat(h2.getJsonObject(0).getInteger("rc")).isEqualTo(1);
        assertThat(h2.getJsonObject(0).getString("stderr")).isEqualTo("to-stderr");
        assertThat(r.tasks("host1")).hasSize(2);
        assertThat(r.tasks("host3").getJsonObject(1).getString("stdout")).isEqualTo("still here");
        assertThat(r.host("host2").getString("status")).isEqualTo("failed");
        assertThat(r.out()).contains("fatal: [host2]: FAILED!").contains("failed: host2 at TASK [fails on host2]");
    }

    @Test
    void ignoreErrorsKeepsTheHostGoing() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - command: "false"
                      ignore_errors: true
                    - command: echo next
                """);
        assertThat(r.exit()).isZero();
        assertThat(r.tasks("host1")).hasSize(2);
        assertThat(r.out()).contains("...ignoring").contains("ignored=1");
    }

    @Test
    void anUnreachableHostIsReportedAndDoesNotHoldUpTheOthers() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        Path inv = dir.resolve("inv.ini");
        Files.writeString(inv, Files.readString(lab.inventory()) + "\n[lab]\nghost ansible_host=127.0.0.1 ansible_port="
                + closedPort + "\n");
        Run r = new FleetCli(dir, inv, lab.knownHosts()).run(
                "- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: echo ok\n",
                "--private-key", lab.privateKey().toString());
        assertThat(r.took()).isLessThan(Duration.ofSeconds(20));
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.host("ghost").getString("status")).isEqualTo("unreachable");
        assertThat(r.task("ghost", 0).getString("msg")).contains("127.0.0.1").contains(String.valueOf(closedPort));
        assertThat(r.host("host1").getString("status")).isEqualTo("changed");
        assertThat(r.out()).contains("fatal: [ghost]: UNREACHABLE!");
    }

    @Test
    void aHostKeyMismatchRefusesTheHostAndRunsNothingOnIt() throws IOException {
        // host1's known_hosts entry carries host2's key: exactly what a man in the middle looks like.
        var h1 = lab.host("host1");
        var h2 = lab.host("host2");
        Path kh = dir.resolve("known_hosts");
        String forged = h1.knownHostsLine().replace(h1.hostKeyPublicLine().split(" ")[1],
                h2.hostKeyPublicLine().split(" ")[1]);
        List<String> lines = new ArrayList<>(Files.readAllLines(lab.knownHosts()));
        lines.replaceAll(l -> l.startsWith("[" + h1.address() + "]:" + h1.port()) ? forged : l);
        Files.write(kh, lines);
        Path marker = dir.resolve("markers");
        Files.createDirectories(marker);
        Run r = new FleetCli(dir, lab.inventory(), kh).run(
                "- hosts: host1,host3\n  gather_facts: false\n  tasks:\n    - command: touch " + marker + "/{{ inventory_hostname }}\n");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.out()).contains("fatal: [host1]: UNREACHABLE!").contains("does not match");
        assertThat(marker.resolve("host1")).doesNotExist();
        assertThat(marker.resolve("host3")).exists();
    }

    @Test
    void badYamlStopsTheRunBeforeAnyHostIsTouched() throws IOException {
        Path marker = dir.resolve("touched");
        Run r = fleet("- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: touch " + marker + "\n- hosts: lab\n  gather_facts: false\n  tasks:\n"
                + "    - shell: echo 'unterminated\n   bad: [\n");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).containsPattern("pb-\\d+\\.yml:\\d+:\\d+: invalid YAML");
        assertThat(marker).doesNotExist();
        assertThat(r.report()).isNull();
    }

    @Test
    void anUnknownModuleIsAParseErrorWithItsPosition() throws IOException {
        Run r = fleet("- hosts: lab\n  gather_facts: false\n  tasks:\n    - name: typo\n      shel: echo hi\n");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).containsPattern("\\.yml:5:7: unknown module or task keyword 'shel'");
    }

    @Test
    void limitAndPatternsSelectHosts() throws IOException {
        Run r = fleet("- hosts: 'lab:!host4'\n  gather_facts: false\n  tasks:\n    - command: 'true'\n", "--limit", "host1:host3:host4");
        assertThat(r.exit()).isZero();
        assertThat(r.report().getJsonObject("hosts").fieldNames()).containsExactly("host1", "host3");
        Run glob = fleet("- hosts: 'host*:&lab'\n  gather_facts: false\n  tasks:\n    - command: 'true'\n", "-l", "*2,*4");
        assertThat(glob.report().getJsonObject("hosts").fieldNames()).containsExactly("host2", "host4");
    }

    @Test
    void linearStrategyFinishesEachTaskEverywhereBeforeTheNext() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - shell: sleep 0.$(echo {{ inventory_hostname }} | tr -dc 0-9)
                    - command: 'true'
                """);
        assertThat(r.exit()).as(r.out()).isZero();
        Instant lastFirst = Instant.MIN;
        Instant firstSecond = Instant.MAX;
        for (String h : List.of("host1", "host2", "host3", "host4")) {
            Instant end1 = r.end(h, 0);
            Instant start2 = r.start(h, 1);
            if (end1.isAfter(lastFirst)) lastFirst = end1;
            if (start2.isBefore(firstSecond)) firstSecond = start2;
        }
        assertThat(firstSecond).isAfterOrEqualTo(lastFirst);
    }

    @Test
    void freeStrategyLetsFastHostsRunAhead() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  strategy: free
                  tasks:
                    - shell: if [ {{ inventory_hostname }} = host1 ]; then sleep 2; fi
                    - command: 'true'
                """);
        assertThat(r.exit()).isZero();
        Instant slowEnd = r.end("host1", 0);
        Instant fastDone = r.end("host2", 1);
        assertThat(fastDone).isBefore(slowEnd);
    }

    @Test
    void forksBoundHowManyHostsWorkAtOnce() throws IOException {
        Run r = fleet("- hosts: lab\n  gather_facts: false\n  tasks:\n    - command: sleep 0.3\n", "--forks", "1");
        assertThat(r.exit()).isZero();
        List<Instant[]> spans = new ArrayList<>();
        for (String h : List.of("host1", "host2", "host3", "host4")) {
            spans.add(new Instant[] {r.start(h, 0), r.end(h, 0)});
        }
        spans.sort((a, b) -> a[0].compareTo(b[0]));
        for (int i = 1; i < spans.size(); i++) assertThat(spans.get(i)[0]).isAfterOrEqualTo(spans.get(i - 1)[1]);
    }

    @Test
    void badOptionsExitFive() throws IOException {
        Run bogus = FleetCli.fleet("run", "-i", "x", "--bogus", "x.yml");
        assertThat(bogus.exit()).isEqualTo(5);
        assertThat(bogus.err()).contains("--bogus");
        Path pb = dir.resolve("ok.yml");
        Files.writeString(pb, "- hosts: all\n  gather_facts: false\n  tasks: []\n");
        assertThat(FleetCli.fleet("run", "-i", lab.inventory().toString(), "--forks", "0", pb.toString()).exit())
                .isEqualTo(5);
        assertThat(FleetCli.fleet("run", "-i", lab.inventory().toString(), "--host-key-checking", "maybe",
                pb.toString()).exit()).isEqualTo(5);
    }

    @Test
    void aTaskThatOutlivesItsTimeoutFailsThatHostOnly() throws IOException {
        Instant start = Instant.now();
        Run r = fleet("- hosts: host1,host2\n  gather_facts: false\n  tasks:\n    - shell: if [ {{ inventory_hostname }} = host1 ]; then sleep 60; fi\n",
                "--task-timeout", "2");
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(15));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.tasks("host1").getJsonObject(0).getString("msg")).contains("2s");
        assertThat(r.tasks("host2").getJsonObject(0).getString("status")).isEqualTo("changed");
    }
}
