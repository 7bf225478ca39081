package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code reboot} against a fake host (nothing is ever rebooted): the commands it runs in order, how it waits for
 * the boot id to change and the test command to pass, and its failures. Waits are shortened a hundredfold.
 */
class RebootHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");
    private final List<Duration> slept = new ArrayList<>();
    private final RebootModule reboot = new RebootModule(d -> {
        slept.add(d);
        Thread.sleep(d.toMillis() / 100);
    });
    private final AtomicInteger bootReads = new AtomicInteger();

    /** The boot id reads "old" {@code oldReads} times, then "new". */
    private void bootIdChangesAfter(int oldReads) {
        host.when(c -> c.contains("boot_id"), c -> FakeHostSession.result(0,
                bootReads.incrementAndGet() <= oldReads ? "old\n" : "new\n", ""));
    }

    private TaskOutcome run(HostSession session, Map<String, Object> args, boolean check) throws Exception {
        return reboot.run(new ModuleContext(session, args, check, false, Duration.ofSeconds(30), Map.of(), null,
                Path.of(".")));
    }

    private TaskOutcome run(Map<String, Object> args) throws Exception {
        return run(host, args, false);
    }

    @Test
    void theDefaultRebootFindsShutdownWaitsForANewBootIdThenRunsTheTestCommand() throws Exception {
        bootIdChangesAfter(2);
        host.on("for d in", 0, "/sbin/shutdown\n");
        TaskOutcome o = run(args());
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("rebooted", true).containsKey("elapsed");
        List<String> c = host.commands();
        assertThat(c.get(0)).isEqualTo("cat /proc/sys/kernel/random/boot_id");
        assertThat(c.get(1)).startsWith("for d in /sbin /bin /usr/sbin /usr/bin /usr/local/sbin; do")
                .contains("shutdown");
        assertThat(c.get(2)).isEqualTo("/sbin/shutdown -r 0 'Reboot initiated by Ansible'");
        assertThat(c.subList(3, c.size())).containsExactly("cat /proc/sys/kernel/random/boot_id",
                "cat /proc/sys/kernel/random/boot_id", "whoami");
        assertThat(slept.get(0)).isEqualTo(Duration.ZERO); // post_reboot_delay
        assertThat(slept.get(1)).isBetween(Duration.ofSeconds(1), Duration.ofMillis(2000)); // backoff 2^0 + jitter
    }

    @Test
    void preRebootDelayIsGivenToShutdownInMinutesAndTheMessageIsQuoted() throws Exception {
        bootIdChangesAfter(1);
        host.on("for d in", 0, "/usr/sbin/shutdown\n");
        run(args("pre_reboot_delay", 125, "msg", "it's time", "search_paths", List.of("/usr/sbin"),
                "post_reboot_delay", 2));
        assertThat(host.commands()).contains("/usr/sbin/shutdown -r 2 'it'\\''s time'");
        assertThat(slept.get(0)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void negativeAndFractionalDelaysCountAsWholeSecondsFromZero() throws Exception {
        bootIdChangesAfter(1);
        host.on("for d in", 0, "/sbin/shutdown\n");
        run(args("pre_reboot_delay", -61, "post_reboot_delay", -0.5));
        assertThat(host.commands()).contains("/sbin/shutdown -r 0 'Reboot initiated by Ansible'");
        assertThat(slept.get(0)).isEqualTo(Duration.ZERO);
    }

    @Test
    void aGivenRebootCommandRunsAsWrittenAndTheConnectionIsReopenedWhenLost() throws Exception {
        bootIdChangesAfter(1);
        host.loseConnectionOn("/opt/fake-reboot");
        host.on("uptime", 0, "up");
        TaskOutcome o = run(args("reboot_command", "/opt/fake-reboot --now", "test_command", "uptime",
                "boot_time_command", "cat /tmp/boot_id", "connect_timeout", 7));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).containsExactly("cat /tmp/boot_id", "/opt/fake-reboot --now",
                "cat /tmp/boot_id", "uptime");
        assertThat(host.reconnects()).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void withoutConnectTimeoutALostConnectionIsReopenedWithTheConnectionsOwn() throws Exception {
        bootIdChangesAfter(1);
        host.loseConnectionOn("/opt/fake-reboot");
        host.when(c -> c.contains("boot_id") && host.reconnects().isEmpty() && bootReads.get() >= 1,
                c -> new TransportException("web1", TransportException.Kind.UNREACHABLE, "gone (scripted)"));
        TaskOutcome o = run(args("reboot_command", "/opt/fake-reboot"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.reconnects()).containsExactly((Duration) null);
    }

    @Test
    void aRebootCommandNotFoundInTheSearchPathsIsAClearError() throws Exception {
        bootIdChangesAfter(1);
        host.on("for d in", 1, "");
        assertThat(ModuleHarness.task("reboot", args("reboot_command", "myreboot now", "search_paths", "/opt/bin"))
                .rejection(host)).isEqualTo("Unable to find command \"myreboot\" in search paths: [/opt/bin]");
    }

    @Test
    void aFailingRebootCommandFailsWithoutWaiting() throws Exception {
        bootIdChangesAfter(1);
        host.on("/bin/false", 1, "out", "not permitted");
        TaskOutcome o = run(args("reboot_command", "/bin/false"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Reboot command failed. Error was: 'out, not permitted'");
        assertThat(o.data()).containsEntry("rebooted", false);
        assertThat(host.commands()).hasSize(2);
    }

    @Test
    void aBootIdThatNeverChangesTimesOut() throws Exception {
        bootIdChangesAfter(1_000_000);
        TaskOutcome o = run(args("reboot_command", "/bin/true", "reboot_timeout", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Timed out waiting for last boot time check (timeout=1)");
        assertThat(o.data()).containsEntry("rebooted", true);
        assertThat(host.commands()).doesNotContain("whoami");
    }

    @Test
    void aTestCommandThatKeepsFailingTimesOut() throws Exception {
        bootIdChangesAfter(1);
        host.on("whoami", 1, "", "no");
        TaskOutcome o = run(args("reboot_command", "/bin/true", "reboot_timeout", 1));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Timed out waiting for post-reboot test command (timeout=1)");
    }

    @Test
    void anUnreadableBootIdFailsBeforeAnythingRuns() throws Exception {
        host.on("boot_id", 1, "", "denied");
        TaskOutcome o = run(args());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("reboot: failed to get host boot time info, rc: 1, stdout: , stderr: denied");
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void checkModeReportsTheRebootAndRunsNothing() throws Exception {
        TaskOutcome o = run(host, args(), true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("rebooted", true).containsEntry("elapsed", 0L);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void theControllerIsNeverRebooted() throws Exception {
        HostSession controller = new HostSession() {
            public String host() {
                return "localhost";
            }

            public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
                return host.exec(command, stdin, timeout); // the fake: nothing runs anywhere
            }

            public void upload(byte[] content, String remotePath, int mode) {}

            public boolean isController() {
                return true;
            }

            public void close() {}
        };
        TaskOutcome o = run(controller, args(), false);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Running reboot with local connection would reboot the control node.");
        assertThat(o.data()).containsEntry("rebooted", false);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void badArgumentsAreRefusedNamingThem() throws Exception {
        assertThat(ModuleHarness.rejection(host, "reboot", args("foo", "bar"))).contains("foo");
        assertThat(ModuleHarness.rejection(host, "reboot", args("reboot_timeout", "soon"))).contains("reboot_timeout");
        assertThat(host.commands()).isEmpty();
    }
}
