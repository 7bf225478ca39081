package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code wait_for}: one command runs the whole polling loop on the host; the test reads the settings it was given
 * (its first line) and scripts how it ends (exit 0 ready, exit 3 timed out, with {@code elapsed_ms=} and
 * {@code match=} lines).
 */
class WaitForHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    /** The loop's settings, from the first line of the script: h, p, f, re, mode, timeout, delay, nap, ct. */
    private Map<String, String> settings() throws Exception {
        assertThat(host.commands()).hasSize(1);
        String script = FakeFiles.script(host.commands().get(0));
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : ShellQuote.split(script.substring(0, script.indexOf('\n')))) {
            out.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        return out;
    }

    private void loopEnds(int rc, String stdout) {
        host.when(c -> c.startsWith("sh -c"), c -> FakeHostSession.result(rc, stdout, ""));
    }

    private TaskOutcome waitFor(Object... kv) throws Exception {
        return ModuleHarness.run(host, "wait_for", args(kv));
    }

    @Test
    void aPortIsWaitedForOnLocalhostWithAnsiblesDefaults() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        waitFor("port", 8080);
        assertThat(settings()).containsEntry("h", "127.0.0.1").containsEntry("p", "8080")
                .containsEntry("mode", "port-up").containsEntry("timeout", "300").containsEntry("delay", "0")
                .containsEntry("nap", "1").containsEntry("ct", "5");
    }

    @Test
    void hostTimeoutDelaySleepAndConnectTimeoutAreHandedToTheLoop() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        waitFor("host", "db.internal", "port", "5432", "timeout", 60, "delay", 2, "sleep", 3, "connect_timeout", 7);
        assertThat(settings()).containsEntry("h", "db.internal").containsEntry("p", "5432")
                .containsEntry("timeout", "60").containsEntry("delay", "2").containsEntry("nap", "3")
                .containsEntry("ct", "7");
    }

    @Test
    void stateStoppedWaitsForThePortToClose() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        waitFor("port", 8080, "state", "stopped");
        assertThat(settings()).containsEntry("mode", "port-down");
    }

    @Test
    void aPathIsWaitedForQuoted() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        waitFor("path", "/run/app it's ready");
        assertThat(settings()).containsEntry("f", "/run/app it's ready").containsEntry("mode", "path-up");
    }

    @Test
    void stateAbsentWaitsForThePathToGo() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        waitFor("path", "/tmp/lock", "state", "absent");
        assertThat(settings()).containsEntry("mode", "path-down");
    }

    @Test
    void searchRegexIsHandedToTheLoopQuoted() throws Exception {
        loopEnds(0, "elapsed_ms=0\nmatch=started\n");
        waitFor("path", "/var/log/app.log", "search_regex", "ready|started 'ok' $x");
        assertThat(settings()).containsEntry("re", "ready|started 'ok' $x").containsEntry("mode", "regex");
    }

    @Test
    void withNeitherPortNorPathItJustWaitsTheTimeout() throws Exception {
        loopEnds(0, "elapsed_ms=5000\n");
        TaskOutcome o = waitFor("timeout", 5);
        assertThat(settings()).containsEntry("mode", "sleep");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("elapsed", 5);
    }

    @Test
    void aReadyPortIsOkWithElapsedSecondsHostAndPort() throws Exception {
        loopEnds(0, "elapsed_ms=2500\n");
        TaskOutcome o = waitFor("port", 8080);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("elapsed", 2).containsEntry("port", 8080)
                .containsEntry("host", "127.0.0.1").containsEntry("state", "started");
    }

    @Test
    void theDelayCountsInElapsed() throws Exception {
        loopEnds(0, "elapsed_ms=500\n");
        assertThat(waitFor("port", 8080, "delay", 3).data()).containsEntry("elapsed", 3);
    }

    @Test
    void aMatchReportsItsGroupsAndNamedGroups() throws Exception {
        loopEnds(0, "elapsed_ms=0\nmatch=listening on port 8080\n");
        TaskOutcome o = waitFor("path", "/var/log/app.log", "search_regex", "listening on port (?<port>\\d+)");
        assertThat(o.data()).containsEntry("match_groups", List.of("8080"))
                .containsEntry("match_groupdict", Map.of("port", "8080"));
    }

    @Test
    void aPortThatNeverOpensFailsWithAnsiblesTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=10000\n");
        TaskOutcome o = waitFor("port", 8080, "timeout", 10);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Timeout when waiting for 127.0.0.1:8080");
        assertThat(o.data()).containsEntry("elapsed", 10);
    }

    @Test
    void aFileThatNeverAppearsFailsWithAnsiblesTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=1000\n");
        assertThat(waitFor("path", "/run/app.pid", "timeout", 1).msg())
                .isEqualTo("Timeout when waiting for file /run/app.pid");
    }

    @Test
    void aSearchThatNeverMatchesFailsWithAnsiblesTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=1000\n");
        assertThat(waitFor("path", "/var/log/app.log", "search_regex", "ready", "timeout", 1).msg())
                .isEqualTo("Timeout when waiting for search string ready in /var/log/app.log");
    }

    @Test
    void aPortThatNeverClosesFailsWithAnsiblesTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=1000\n");
        assertThat(waitFor("port", 8080, "state", "stopped", "timeout", 1).msg())
                .isEqualTo("Timeout when waiting for 127.0.0.1:8080 to stop.");
    }

    @Test
    void aPathThatNeverGoesFailsWithAnsiblesTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=1000\n");
        assertThat(waitFor("path", "/tmp/lock", "state", "absent", "timeout", 1).msg())
                .isEqualTo("Timeout when waiting for /tmp/lock to be absent.");
    }

    @Test
    void msgReplacesTheTimeoutMessage() throws Exception {
        loopEnds(3, "elapsed_ms=1000\n");
        assertThat(waitFor("port", 8080, "timeout", 1, "msg", "php-fpm did not come up").msg())
                .isEqualTo("php-fpm did not come up");
    }

    @Test
    void aLoopThatCannotRunFailsWithItsError() throws Exception {
        host.when(c -> c.startsWith("sh -c"), c -> FakeHostSession.result(2, "", "sh: 1: date: not found\n"));
        TaskOutcome o = waitFor("port", 8080);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.msg()).isEqualTo("wait_for could not run its check on the host (rc=2): sh: 1: date: not found");
    }

    @Test
    void theCommandMayRunForDelayPlusTimeoutPlusConnectTimeoutAndAMargin() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        ModuleHarness.task("wait_for", args("port", 80, "timeout", 60, "delay", 5)).timeout(Duration.ofHours(1))
                .on(host);
        assertThat(host.execs().get(0).timeout()).isEqualTo(Duration.ofSeconds(5 + 60 + 5 + 15));
    }

    @Test
    void theTaskTimeoutCapsTheCommandsTimeout() throws Exception {
        loopEnds(0, "elapsed_ms=0\n");
        ModuleHarness.task("wait_for", args("port", 80, "timeout", 600)).timeout(Duration.ofSeconds(30)).on(host);
        assertThat(host.execs().get(0).timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void portAndPathTogetherAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("port", 80, "path", "/x")))
                .contains("mutually exclusive").contains("port").contains("path");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aPortOutOfRangeIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("port", 70000)))
                .contains("argument 'port' must be 1..65535, got 70000");
    }

    @Test
    void aHostWithShellCharactersIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("host", "x;reboot", "port", 80)))
                .isEqualTo("'x;reboot' is not a host name");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void anInvalidSearchRegexIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("path", "/x", "search_regex", "(")))
                .contains("search_regex").contains("is not a valid regular expression");
    }

    @Test
    void stateDrainedIsRefusedAsUnsupported() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("port", 80, "state", "drained")))
                .contains("argument 'state' must be one of").contains("got 'drained'");
    }

    @Test
    void searchRegexWithAbsentIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("path", "/x", "search_regex", "a",
                "state", "absent"))).isEqualTo("state=absent cannot be used with search_regex");
    }

    @Test
    void aTimeoutThatIsNotANumberIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "wait_for", args("port", 80, "timeout", "soon")))
                .contains("argument 'timeout' must be int, got 'soon'");
    }

    /** Runs a command with this machine's /bin/sh, standing in for the host's shell. */
    private static Object runLocally(String command) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return FakeHostSession.result(124, "", "timed out");
            }
            return FakeHostSession.result(p.exitValue(), new String(p.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aPythonStyleSearchRegexMatchesOnTheHost(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "listening on port 8080\n");
        host.when(c -> c.startsWith("sh -c"), WaitForHostFreeTest::runLocally);
        TaskOutcome o = waitFor("path", log.toString(), "search_regex", "port (\\d+)", "timeout", 1);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("match_groups", List.of("8080"));
    }

    @Test
    void aPosixSearchRegexMatchesOnTheHost(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "listening on port 8080\n");
        host.when(c -> c.startsWith("sh -c"), WaitForHostFreeTest::runLocally);
        TaskOutcome o = waitFor("path", log.toString(), "search_regex", "port ([0-9]+)", "timeout", 1);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("match_groups", List.of("8080"));
    }
}
