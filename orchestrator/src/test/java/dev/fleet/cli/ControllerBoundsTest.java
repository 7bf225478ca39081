package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, controller-side work is bounded: whole runs (in-process, --json) against real sshd hosts in which one
 * host's task asks the controller for unbounded work (100 MB of output, a runaway template, a catastrophically
 * backtracking regex). That task ends with an error naming the limit, and the other host's tasks complete.
 * Without the limits these runs hang or exhaust the heap, and the class timeout fails them.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ControllerBoundsTest {
    /** The transport's cap on each of a command's output streams (SshTransport.DEFAULT_OUTPUT_CAP). */
    private static final int OUTPUT_CAP = 8 << 20;
    /** A text that the regex below cannot match, but only after trying every way to split it. */
    private static final String EVIL = "a".repeat(50) + "!";
    private static final String EVIL_REGEX = "(.*a){20}$";

    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    Run fleet(String playbook) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbook);
    }

    @Test
    void hundredMegabytesOfStdoutAreCappedWhileTheyAreRead() throws IOException {
        long before = usedHeapAfterGc();
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - name: print 100 MB
                      shell: "head -c 100000000 /dev/zero | tr '\\\\0' a; echo done >&2; exit 3"
                      register: big
                      failed_when: big.rc != 3
                    - name: what was registered
                      debug:
                        msg: "{{ big.stdout_lines | length }} {{ big.stdout | length }} {{ big.stdout_truncated }}"
                """);
        long growth = usedHeapAfterGc() - before;
        JsonObject big = r.task("host1", 0);
        assertThat(big.getString("status")).as(r.describe().substring(0, 2000)).isEqualTo("changed");
        assertThat(big.getInteger("rc")).isEqualTo(3);
        assertThat(big.getString("stderr")).isEqualTo("done");
        String stdout = big.getString("stdout");
        long dropped = 100_000_000L - OUTPUT_CAP;
        assertThat(stdout).startsWith("[fleet: stdout truncated: the first " + dropped + " of 100000000 bytes were "
                + "dropped, showing the last " + OUTPUT_CAP + "]\n");
        assertThat(stdout.length()).isLessThan(OUTPUT_CAP + 200);
        assertThat(stdout).endsWith("aaaa");
        JsonObject data = big.getJsonObject("data");
        assertThat(data.getBoolean("stdout_truncated")).isTrue();
        assertThat(data.containsKey("stderr_truncated")).isFalse();
        assertThat(data.getJsonArray("warnings").getString(0)).contains("stdout").contains(dropped + " bytes");
        assertThat(r.task("host1", 1).getString("msg")).isEqualTo("2 " + stdout.length() + " True");
        assertThat(r.out()).contains("[WARNING]: [host1]: the command wrote more to stdout than fleet keeps: its first "
                + dropped + " bytes were read and dropped");
        // What the run left behind (the report read back, the run's own state) is a few copies of the capped
        // output at most: 100 MB held once would be 100 MB here. Generous: the heap is shared with the lab.
        assertThat(growth).as("heap growth in bytes").isLessThan(60L << 20);
    }

    @Test
    void aRunawayTemplateEndsItsHostsTaskNamingTheLimit() throws IOException {
        Run r = fleet("""
                - hosts: host1,host2
                  gather_facts: false
                  tasks:
                    - name: a loop of loops on host1
                      debug:
                        msg: "{% if inventory_hostname == 'host1' %}{% for i in range(100000) %}\
                {% for j in range(100000) %}{% endfor %}{% endfor %}{% endif %}done"
                    - name: doubling a string on host2
                      debug:
                        msg: "{% set s = 'x' %}{% for i in range(64 if inventory_hostname == 'host2' else 1) %}\
                {% set s = s ~ s %}{% endfor %}{{ s | length }}"
                    - name: after
                      command: echo ok
                """);
        assertThat(r.statuses("host1")).as(r.describe()).containsExactly("failed");
        assertThat(r.task("host1", 0).getString("task")).isEqualTo("a loop of loops on host1");
        assertThat(r.task("host1", 0).getString("msg"))
                .contains("template took longer than its time budget of 10s (fleet's limit for one template)");
        assertThat(r.statuses("host2")).containsExactly("ok", "failed");
        assertThat(r.task("host2", 1).getString("msg")).contains("template output too large");
    }

    @Test
    void aCatastrophicRegexEndsItsHostsTaskAndTheOtherHostCompletes() throws IOException {
        Path file = dir.resolve("lines");
        Run r = fleet("""
                - hosts: host1,host2
                  gather_facts: false
                  vars:
                    evil: "%s"
                    evil_regex: "%s"
                    file: "%s-{{ inventory_hostname }}"
                  tasks:
                    - name: failed_when with a regex test
                      command: echo ok
                      failed_when: inventory_hostname == 'host1' and evil is search(evil_regex)
                      ignore_errors: true
                    - name: until with a regex test
                      command: echo {{ evil }}
                      register: u
                      until: inventory_hostname == 'host2' or u.stdout is match(evil_regex)
                      retries: 1
                      delay: 0
                      ignore_errors: true
                    - name: a regex filter
                      debug:
                        msg: "{{ evil | regex_findall(evil_regex if inventory_hostname == 'host1' else 'a!') }}"
                      ignore_errors: true
                    - name: a file with a long line
                      copy:
                        dest: "{{ file }}"
                        content: "{{ evil }}\\n"
                    - name: lineinfile matches its regexp on the controller
                      lineinfile:
                        path: "{{ file }}"
                        regexp: "{{ evil_regex if inventory_hostname == 'host1' else '^a' }}"
                        line: replaced
                """.formatted(EVIL, EVIL_REGEX, file));
        String regexError = "regular expression '" + EVIL_REGEX + "' took ";
        assertThat(r.statuses("host1")).as(r.describe()).containsExactly("failed", "failed", "failed", "changed",
                "failed");
        for (int i = 0; i < 3; i++) {
            assertThat(r.task("host1", i).getString("msg")).as("task " + i).contains(regexError)
                    .contains("catastrophic backtracking");
        }
        assertThat(r.task("host1", 4).getString("msg")).startsWith("lineinfile: regular expression ")
                .contains("catastrophic backtracking");
        assertThat(r.statuses("host2")).containsExactly("changed", "changed", "ok", "changed", "changed");
        assertThat(Files.readString(Path.of(file + "-host2"))).isEqualTo("replaced\n");
        assertThat(Files.readString(Path.of(file + "-host1"))).isEqualTo(EVIL + "\n");
    }

    @Test
    void slurpAndFetchRefuseWhatTheyCannotHoldWithoutReadingIt() throws IOException {
        Path sparse = dir.resolve("sparse");
        try (var f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(100_000_000L); // 100 MB long, no disk used
        }
        Files.writeString(dir.resolve("small"), "hello\n");
        Run r = fleet("""
                - hosts: host1,host2
                  gather_facts: false
                  tasks:
                    - name: slurp
                      slurp:
                        src: "{{ '/dev/zero' if inventory_hostname == 'host1' else '%1$s/small' }}"
                      ignore_errors: true
                    - name: slurp a 100 MB file
                      slurp:
                        src: "%1$s/{{ 'sparse' if inventory_hostname == 'host1' else 'small' }}"
                      ignore_errors: true
                    - name: fetch a 100 MB file
                      fetch:
                        src: "%1$s/{{ 'sparse' if inventory_hostname == 'host1' else 'small' }}"
                        dest: "%1$s/fetched/"
                      ignore_errors: true
                """.formatted(dir));
        assertThat(r.statuses("host1")).as(r.describe()).containsExactly("failed", "failed", "failed");
        assertThat(r.task("host1", 0).getString("msg")).isEqualTo("slurp: /dev/zero is larger than 4 MiB; fleet "
                + "does not read files that large");
        assertThat(r.task("host1", 1).getString("msg")).contains("sparse is larger than 4 MiB");
        assertThat(r.task("host1", 2).getString("msg")).contains("sparse is larger than 4 MiB");
        assertThat(r.statuses("host2")).containsExactly("ok", "ok", "changed");
        assertThat(r.task("host2", 0).getJsonObject("data").getString("content")).isEqualTo("aGVsbG8K");
    }

    private static long usedHeapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
