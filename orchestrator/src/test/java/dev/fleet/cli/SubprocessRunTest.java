package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.SshdFixture;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fleet as its own process ({@code java -cp <test classpath> dev.fleet.cli.Main}), for what cannot be tested
 * in-process: signals (SIGINT -> cancel -> exit 99) and environment variables (FLEET_BECOME_PASS).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SubprocessRunTest {
    @TempDir
    static Path labDir;
    @TempDir
    Path dir;

    static SshdFixture lab;

    @BeforeAll
    static void startLab() throws IOException {
        assumeTrue(SshdFixture.sshdAvailable(), "sshd not installed");
        assumeTrue(ProcessHandle.current().info().command().isPresent(), "no java binary path");
        lab = SshdFixture.start(labDir, 2);
    }

    @AfterAll
    static void stopLab() {
        if (lab != null) lab.close();
    }

    record Fleet(Process process, Path out, Path err, Path json) {
        String stdout() throws IOException {
            return Files.readString(out);
        }

        String stderr() throws IOException {
            return Files.readString(err);
        }
    }

    Fleet start(String playbook, Map<String, String> env, String... extra) throws IOException {
        Path pb = dir.resolve("pb.yml");
        Files.writeString(pb, playbook);
        Path json = dir.resolve("report.json");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "run",
                "-i", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(),
                "--json", json.toString(), "--no-color"));
        cmd.addAll(List.of(extra));
        cmd.add(pb.toString());
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder b = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        b.environment().remove("FLEET_BECOME_PASS");
        b.environment().putAll(env);
        return new Fleet(b.start(), out, err, json);
    }

    static void await(Fleet f, Duration limit) throws Exception {
        if (!f.process().waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            f.process().destroyForcibly();
            throw new AssertionError("fleet did not exit within " + limit + "\n" + f.stdout() + "\n" + f.stderr());
        }
    }

    // ---- SIGINT ---------------------------------------------------------------------------------------------

    @Test
    void sigintStopsTheRunExits99WritesThePartialReportAndKillsRemoteCommands() throws Exception {
        Fleet f = start("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - name: warm up
                      command: 'true'
                    - name: long sleep
                      command: sleep 37
                    - name: never reached
                      command: echo never
                """, Map.of());
        try {
            // Wait for the sleep to be running on both hosts (the lab hosts are processes on this machine).
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (sleeps().size() < 2 && System.nanoTime() < deadline && f.process().isAlive()) Thread.sleep(100);
            assertThat(sleeps()).as("remote sleeps started\n" + f.stdout() + f.stderr()).hasSize(2);
            Thread.sleep(500);
            long t0 = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(f.process().pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            await(f, Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(f.process().exitValue()).as(f.stdout() + f.stderr()).isEqualTo(99);
            assertThat(took).isLessThan(Duration.ofSeconds(10));
        } finally {
            f.process().destroyForcibly();
        }
        assertThat(f.stdout()).contains("INTERRUPTED").doesNotContain("never reached");
        assertThat(f.stderr()).contains("interrupted");
        JsonObject report = new JsonObject(Files.readString(f.json()));
        assertThat(report.getBoolean("interrupted")).isTrue();
        assertThat(report.getJsonObject("hosts").fieldNames()).containsExactlyInAnyOrder("host1", "host2");
        // The remote commands were stopped, not left running on the hosts.
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!sleeps().isEmpty() && System.nanoTime() < deadline) Thread.sleep(100);
        assertThat(sleeps()).as("sleep 37 still running on a host").isEmpty();
    }

    static List<ProcessHandle> sleeps() {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(h -> h.info().commandLine().map(c -> c.matches("(\\S*/)?sleep 37")).orElse(false))
                    .toList();
        }
    }

    // ---- become password --------------------------------------------------------------------------------------

    @Test
    void theBecomePasswordAndNoLogValuesNeverReachConsoleReportOrLogs() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: sudo without a password");
        String password = "Pw-" + Long.toHexString(System.nanoTime()) + "-s3cr3t";
        String hidden = "NoLog-" + Long.toHexString(System.nanoTime()) + "-value";
        Fleet f = start("""
                - hosts: lab
                  gather_facts: false
                  vars:
                    hidden: %s
                  tasks:
                    - name: as nobody
                      command: id -un
                      become: true
                      become_user: nobody
                    - name: reads its stdin under become
                      shell: cat
                      become: true
                      become_user: nobody
                    - name: become with stdin of its own
                      command: cat
                      args:
                        stdin: given-input
                      become: true
                      become_user: nobody
                    - name: secret output
                      command: echo {{ hidden }}
                      no_log: true
                      register: out
                    - name: secret in a failing task
                      command: "false {{ hidden }}"
                      no_log: true
                      ignore_errors: true
                    - name: secret in debug
                      debug:
                        msg: "{{ hidden }}"
                      no_log: true
                    - name: uses the registered value without showing it
                      command: test -n "{{ out.stdout }}"
                      no_log: true
                """.formatted(hidden), Map.of("FLEET_BECOME_PASS", password), "-v");
        await(f, Duration.ofSeconds(60));
        String out = f.stdout();
        String err = f.stderr();
        String json = Files.readString(f.json());
        assertThat(f.process().exitValue()).as(out + err).isZero();
        JsonObject report = new JsonObject(json);
        for (String h : List.of("host1", "host2")) {
            var tasks = report.getJsonObject("hosts").getJsonObject(h).getJsonArray("tasks");
            assertThat(tasks.getJsonObject(0).getString("stdout")).isEqualTo("nobody");
            assertThat(tasks.getJsonObject(1).getString("stdout")).as("stdin of a become command").isEmpty();
            assertThat(tasks.getJsonObject(2).getString("stdout")).isEqualTo("given-input");
            assertThat(tasks.getJsonObject(6).getString("status")).isEqualTo("changed");
        }
        for (String sink : List.of(out, err, json)) {
            assertThat(sink).doesNotContain(password).doesNotContain(hidden);
        }
        for (var h : lab.hosts()) {
            assertThat(Files.readString(lab.log(h.name()))).doesNotContain(password);
        }
    }
}
