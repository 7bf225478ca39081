package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code service} against an in-memory host: one probe command (scripted: init system, unit
 * state), then systemctl or service/update-rc.d commands as needed, or none.
 */
class ServiceHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private static boolean isProbe(String command) {
        return FakeFiles.script(command).contains("echo mgr=systemd");
    }

    /** The host's answer to the probe: init system, LoadState, is-active exit code, is-enabled output. */
    private void probe(String mgr, String load, int active, String enabled) {
        host.when(ServiceHostFreeTest::isProbe, c -> FakeHostSession.result(0,
                "mgr=" + mgr + "\nload=" + load + "\nactive=" + active + "\nenabled=" + enabled + "\n", ""));
    }

    private void systemd(boolean running, String enabled) {
        probe("systemd", "loaded", running ? 0 : 3, enabled);
    }

    private void sysv(boolean running, String enabled) {
        probe("sysv", "loaded", running ? 0 : 3, enabled);
    }

    /** Commands other than the probe: the ones that change something. */
    private List<String> actions() {
        return host.commands().stream().filter(c -> !isProbe(c)).toList();
    }

    private TaskOutcome service(Object... kv) throws Exception {
        return ModuleHarness.run(host, "service", args(kv));
    }

    @Test
    void startingAStoppedSystemdServiceRunsSystemctlStart() throws Exception {
        systemd(false, "enabled");
        TaskOutcome o = service("name", "nginx", "state", "started");
        assertThat(actions()).containsExactly("systemctl start nginx");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("start nginx (systemctl)");
        assertThat(o.data()).containsEntry("name", "nginx").containsEntry("state", "started");
    }

    @Test
    void aRunningServiceIsAlreadyStarted() throws Exception {
        systemd(true, "enabled");
        TaskOutcome o = service("name", "nginx", "state", "started");
        assertThat(actions()).isEmpty();
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("nginx is already started");
    }

    @Test
    void stoppingARunningServiceRunsSystemctlStop() throws Exception {
        systemd(true, "enabled");
        assertThat(service("name", "nginx", "state", "stopped").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("systemctl stop nginx");
    }

    @Test
    void aStoppedServiceIsAlreadyStopped() throws Exception {
        systemd(false, "enabled");
        assertThat(service("name", "nginx", "state", "stopped").status()).isEqualTo(TaskStatus.OK);
        assertThat(actions()).isEmpty();
    }

    @Test
    void restartedAlwaysRestarts() throws Exception {
        systemd(true, "enabled");
        assertThat(service("name", "nginx", "state", "restarted").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("systemctl restart nginx");
    }

    @Test
    void reloadedReloadsARunningService() throws Exception {
        systemd(true, "enabled");
        service("name", "nginx", "state", "reloaded");
        assertThat(actions()).containsExactly("systemctl reload nginx");
    }

    @Test
    void reloadedStartsAStoppedService() throws Exception {
        systemd(false, "enabled");
        service("name", "nginx", "state", "reloaded");
        assertThat(actions()).containsExactly("systemctl start nginx");
    }

    @Test
    void withoutSystemdTheServiceCommandIsUsed() throws Exception {
        sysv(false, "enabled");
        TaskOutcome o = service("name", "php8.2-fpm", "state", "started");
        assertThat(actions()).containsExactly("service php8.2-fpm start");
        assertThat(o.msg()).isEqualTo("start php8.2-fpm (service)");
    }

    @Test
    void enablingADisabledUnitRunsSystemctlEnable() throws Exception {
        systemd(true, "disabled");
        TaskOutcome o = service("name", "nginx", "enabled", true);
        assertThat(actions()).containsExactly("systemctl enable nginx");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("enabled", true);
    }

    @Test
    void disablingAnEnabledUnitRunsSystemctlDisable() throws Exception {
        systemd(true, "enabled");
        service("name", "nginx", "enabled", "no");
        assertThat(actions()).containsExactly("systemctl disable nginx");
    }

    @Test
    void anAlreadyEnabledUnitIsOk() throws Exception {
        systemd(true, "enabled");
        assertThat(service("name", "nginx", "enabled", true).status()).isEqualTo(TaskStatus.OK);
        assertThat(actions()).isEmpty();
    }

    @Test
    void aStaticUnitCountsAsEnabled() throws Exception {
        systemd(true, "static");
        assertThat(service("name", "systemd-journald", "enabled", true).status()).isEqualTo(TaskStatus.OK);
        assertThat(actions()).isEmpty();
    }

    @Test
    void enablingWithoutSystemdUsesUpdateRcD() throws Exception {
        sysv(true, "disabled");
        service("name", "nginx", "enabled", true);
        assertThat(actions()).containsExactly("update-rc.d nginx defaults && update-rc.d nginx enable");
    }

    @Test
    void disablingWithoutSystemdUsesUpdateRcD() throws Exception {
        sysv(true, "enabled");
        service("name", "nginx", "enabled", false);
        assertThat(actions()).containsExactly("update-rc.d nginx disable");
    }

    @Test
    void startAndEnableTogetherRunBothInThatOrder() throws Exception {
        systemd(false, "disabled");
        TaskOutcome o = service("name", "nginx", "state", "started", "enabled", true);
        assertThat(actions()).containsExactly("systemctl start nginx", "systemctl enable nginx");
        assertThat(o.msg()).isEqualTo("start, enable nginx (systemctl)");
    }

    @Test
    void theProbeNamesTheServiceQuoted() throws Exception {
        systemd(true, "enabled");
        service("name", "getty@tty1", "state", "started");
        assertThat(FakeFiles.script(host.commands().get(0))).startsWith("n=getty@tty1\n");
    }

    @Test
    void checkModeReportsWhatWouldChangeAndRunsOnlyTheProbe() throws Exception {
        systemd(false, "disabled");
        TaskOutcome o = ModuleHarness.check(host, "service", args("name", "nginx", "state", "started",
                "enabled", true));
        assertThat(actions()).isEmpty();
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("would start, enable nginx (systemctl)");
    }

    @Test
    void anUnknownServiceFailsWithAnsiblesMessage() throws Exception {
        probe("systemd", "not-found", 4, "");
        TaskOutcome o = service("name", "nginx", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Could not find the requested service nginx: host");
        assertThat(actions()).isEmpty();
    }

    @Test
    void theStatusReportsActiveAndUnitFileState() throws Exception {
        systemd(false, "disabled");
        TaskOutcome o = service("name", "nginx", "state", "started");
        assertThat(o.data()).containsEntry("status", Map.of("ActiveState", "active", "UnitFileState", "disabled"));
    }

    @Test
    void aFailedStartReportsRcOutputAndTheConfigTest() throws Exception {
        systemd(false, "enabled");
        host.on("systemctl start nginx", 1, "", "Job for nginx.service failed.\n");
        host.on("nginx -t", 1, "nginx: [emerg] unknown directive \"lisen\" in /etc/nginx/nginx.conf:12\n");
        TaskOutcome o = service("name", "nginx", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.stderr()).isEqualTo("Job for nginx.service failed.");
        assertThat(o.msg()).isEqualTo("service nginx start failed (rc=1): Job for nginx.service failed.\n"
                + "nginx: [emerg] unknown directive \"lisen\" in /etc/nginx/nginx.conf:12");
        assertThat(o.data()).containsEntry("cmd", "systemctl start nginx")
                .containsEntry("diagnostics",
                        "nginx: [emerg] unknown directive \"lisen\" in /etc/nginx/nginx.conf:12");
    }

    @Test
    void aFailedStartWithoutAConfigTestShowsSystemctlStatus() throws Exception {
        systemd(false, "enabled");
        host.on("systemctl start app", 1, "", "Job for app.service failed.\n");
        host.on("systemctl status", 3, "app.service - App\n   Active: failed (Result: exit-code)\n");
        TaskOutcome o = service("name", "app", "state", "started");
        assertThat(host.commandsContaining("systemctl status")).containsExactly(
                "systemctl status --no-pager -l -n 10 app 2>&1");
        assertThat(o.msg()).endsWith("Active: failed (Result: exit-code)");
    }

    @Test
    void aFailedSysvStartShowsTheScriptsOutput() throws Exception {
        sysv(false, "enabled");
        host.on("service app start", 1, "Starting app: failed!\n");
        TaskOutcome o = service("name", "app", "state", "started");
        assertThat(o.msg()).isEqualTo("service app start failed (rc=1): Starting app: failed!");
        assertThat(actions()).containsExactly("service app start");
    }

    @Test
    void aServiceNameWithShellCharactersIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "service", args("name", "nginx; reboot", "state", "started")))
                .contains("argument 'name' must be a service name").contains("'nginx; reboot'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void anUnknownStateIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "service", args("name", "nginx", "state", "running")))
                .contains("argument 'state' must be one of [reloaded, restarted, started, stopped],"
                        + " got 'running'");
    }

    @Test
    void neitherStateNorEnabledIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "service", args("name", "nginx")))
                .contains("one of the following is required: state, enabled");
    }

    @Test
    void serviceWithoutNameIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "service", args("state", "started")))
                .contains("missing required arguments: name");
    }
}
