package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * service against a throwaway SysV init script, /etc/init.d/fleet-test-svc, on a real sshd host (this machine).
 * Root only, and only where the machine does not run systemd (the lab's situation).
 */
class ServiceModuleTest {
    private static final String SVC = "fleet-test-svc";
    private static final Path SCRIPT = Path.of("/etc/init.d/" + SVC);

    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to write /etc/init.d");
        assumeTrue(!Files.isDirectory(Path.of("/run/systemd/system")), "this machine runs systemd");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/service")), "no service command");
    }

    @BeforeEach
    void installScript() throws Exception {
        assumeTrue(!Files.exists(SCRIPT), SCRIPT + " already exists; not touching it");
        String script = """
                #!/bin/sh
                PIDFILE=%1$s/svc.pid
                LOG=%1$s/calls.log
                FAIL=%1$s/fail
                running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
                echo "$1" >> "$LOG"
                case "$1" in
                  start)
                    if [ -f "$FAIL" ]; then echo "fleet-test-svc: [emerg] unknown directive \\"lisen\\" in /etc/fleet-test.conf:3" >&2; exit 1; fi
                    running && exit 0
                    sleep 600 </dev/null >/dev/null 2>&1 &
                    echo $! > "$PIDFILE" ;;
                  stop)
                    running && kill "$(cat "$PIDFILE")"; rm -f "$PIDFILE" ;;
                  restart|reload)
                    if [ -f "$FAIL" ]; then echo "Restarting fleet-test-svc: failed!"; echo "fleet-test-svc: [emerg] unknown directive \\"lisen\\" in /etc/fleet-test.conf:3" >&2; exit 1; fi
                    "$0" stop; "$0" start ;;
                  status)
                    running && { echo "fleet-test-svc is running"; exit 0; }
                    echo "fleet-test-svc is not running"; exit 3 ;;
                  *) echo "Usage: $0 {start|stop|restart|reload|status}" >&2; exit 2 ;;
                esac
                exit 0
                """.formatted(tmp);
        Files.writeString(SCRIPT, script);
        Files.setPosixFilePermissions(SCRIPT, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void removeScript() throws Exception {
        if (Files.exists(SCRIPT) && Files.readString(SCRIPT).contains(tmp.toString())) {
            new ProcessBuilder(SCRIPT.toString(), "stop").start().waitFor();
            Files.delete(SCRIPT);
        }
    }

    private TaskOutcome run(String state) throws Exception {
        return host.run(new ServiceModule(), Map.of("name", SVC, "state", state));
    }

    private List<String> calls() throws Exception {
        Path log = tmp.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private boolean running() throws Exception {
        // not through the script, which would log a "status" call
        Path pid = tmp.resolve("svc.pid");
        return Files.exists(pid) && Files.exists(Path.of("/proc", Files.readString(pid).strip()));
    }

    @Test
    void startedIsIdempotent() throws Exception {
        TaskOutcome first = run("started");
        assertThat(first.status()).as(first.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.data()).containsEntry("name", SVC).containsEntry("state", "started")
                .containsEntry("status", Map.of("ActiveState", "active", "UnitFileState", "unknown"));
        assertThat(running()).isTrue();
        TaskOutcome second = run("started");
        assertThat(second.status()).as(second.msg()).isEqualTo(TaskStatus.OK);
        assertThat(calls()).containsExactly("status", "start", "status");
    }

    @Test
    void stoppedIsIdempotent() throws Exception {
        run("started");
        TaskOutcome stop = run("stopped");
        assertThat(stop.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(stop.data()).containsEntry("status", Map.of("ActiveState", "inactive", "UnitFileState", "unknown"));
        assertThat(running()).isFalse();
        assertThat(run("stopped").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void restartedAndReloadedAlwaysAct() throws Exception {
        run("started");
        assertThat(run("restarted").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(run("reloaded").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(running()).isTrue();
        assertThat(calls()).containsSubsequence("restart", "reload");
        // reloading a stopped service starts it
        run("stopped");
        TaskOutcome reload = run("reloaded");
        assertThat(reload.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls().get(calls().size() - 1)).isEqualTo("start");
    }

    @Test
    void failingRestartCarriesTheServicesError() throws Exception {
        run("started");
        Files.writeString(tmp.resolve("fail"), "");
        TaskOutcome o = run("restarted");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.msg()).startsWith("service " + SVC + " restart failed (rc=1): ")
                .contains("[emerg] unknown directive \"lisen\" in /etc/fleet-test.conf:3")
                .contains("Restarting fleet-test-svc: failed!");
        assertThat(o.stderr()).contains("[emerg]");
        assertThat(o.data()).containsEntry("cmd", "service " + SVC + " restart");
    }

    @Test
    void checkModeChangesNothing() throws Exception {
        TaskOutcome o = new ServiceModule().run(host.ctx(Map.of("name", SVC, "state", "started"), true,
                ModuleLab.TIMEOUT));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).startsWith("would start");
        assertThat(running()).isFalse();
        assertThat(calls()).containsExactly("status");
        TaskOutcome restart = new ServiceModule().run(host.ctx(Map.of("name", SVC, "state", "restarted"), true,
                ModuleLab.TIMEOUT));
        assertThat(restart.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).containsExactly("status", "status");
    }

    @Test
    void unknownServiceFails() throws Exception {
        TaskOutcome o = host.run(new ServiceModule(), Map.of("name", "fleet-no-such-svc", "state", "started"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Could not find the requested service fleet-no-such-svc: host");
    }
}
