package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sysvinit on an overlay lab host: a small init script the test writes to the host's /etc/init.d is started,
 * stopped and enabled (update-rc.d's links land in the overlay, never in this machine's /etc).
 */
class SysvinitModuleTest {
    private static final String SVC = "fleet-sysv-test";
    private static final String SCRIPT = """
            #!/bin/sh
            ### BEGIN INIT INFO
            # Provides:          fleet-sysv-test
            # Required-Start:
            # Required-Stop:
            # Default-Start:     2 3 4 5
            # Default-Stop:      0 1 6
            # Short-Description: fleet sysvinit test service
            ### END INIT INFO
            PIDFILE=/run/fleet-sysv-test.pid
            running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
            case "$1" in
              start) running && exit 0; sleep 600 </dev/null >/dev/null 2>&1 & echo $! > "$PIDFILE"; echo Starting ;;
              stop) running && kill "$(cat "$PIDFILE")"; rm -f "$PIDFILE"; echo Stopping ;;
              restart|reload) "$0" stop; "$0" start ;;
              status) if running; then echo "fleet-sysv-test is running"; exit 0; fi
                      echo "fleet-sysv-test is not running"; exit 3 ;;
              *) exit 2 ;;
            esac
            exit 0
            """;

    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @BeforeEach
    void connect() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/update-rc.d")), "no update-rc.d");
        host.reset();
        host.session().upload(SCRIPT.getBytes(StandardCharsets.UTF_8), "/etc/init.d/" + SVC, 0755);
    }

    @AfterEach
    void stopService() throws Exception {
        host.exec("/etc/init.d/" + SVC + " stop");
    }

    private TaskOutcome run(Map<String, Object> args) throws Exception {
        return host.run(new SysvinitModule(), args, false);
    }

    private boolean running() throws Exception {
        return host.sh("/etc/init.d/" + SVC + " status; true").strip().equals("fleet-sysv-test is running");
    }

    @Test
    void startedAndStoppedAreIdempotentAndCheckModeChangesNothing() throws Exception {
        TaskOutcome check = host.run(new SysvinitModule(), Map.of("name", SVC, "state", "started"), true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(running()).isFalse();
        TaskOutcome start = run(Map.of("name", SVC, "state", "started"));
        assertThat(start.status()).as(start.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(running()).isTrue();
        assertThat(run(Map.of("name", SVC, "state", "started")).status()).isEqualTo(TaskStatus.OK);
        assertThat(run(Map.of("name", SVC, "state", "restarted", "sleep", 0)).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(running()).isTrue();
        assertThat(run(Map.of("name", SVC, "state", "stopped")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(running()).isFalse();
        assertThat(run(Map.of("name", SVC, "state", "stopped")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void enablingCreatesStartLinksInTheOverlayOnly() throws Exception {
        TaskOutcome check = host.run(new SysvinitModule(), Map.of("name", SVC, "enabled", true), true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("ls /etc/rc2.d").strip()).doesNotContain(SVC);
        assertThat(run(Map.of("name", SVC, "enabled", true)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("ls /etc/rc2.d").strip()).contains("S01" + SVC);
        assertThat(Path.of("/etc/rc2.d/S01" + SVC)).doesNotExist();
        assertThat(host.lab().upperDir("host1").resolve("etc/rc2.d/S01" + SVC)).exists();
        assertThat(run(Map.of("name", SVC, "enabled", true)).status()).isEqualTo(TaskStatus.OK);
        assertThat(run(Map.of("name", SVC, "enabled", false, "runlevels", List.of("2", "3"))).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("ls /etc/rc2.d /etc/rc4.d | grep " + SVC).strip()).isEqualTo("K01" + SVC + "\nS01" + SVC);
        assertThat(run(Map.of("name", SVC, "enabled", false, "runlevels", List.of("2", "3"))).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void aMissingScriptAndABadArgumentFail() throws Exception {
        TaskOutcome o = run(Map.of("name", "fleet-no-such-script", "state", "started"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Could not find the requested service fleet-no-such-script: ");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> run(Map.of("name", SVC, "state", "running"))))
                .isInstanceOf(ModuleException.class).hasMessageContaining("argument 'state' must be one of");
    }
}
