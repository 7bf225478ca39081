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
 * {@code systemd} against an in-memory host: a probe, then the systemctl calls Ansible makes, answered in
 * systemctl's real output shapes: a running systemd ({@code show} prints the unit's properties) and a host not
 * booted with systemd ({@code show} fails, unit-file commands still work).
 */
class SystemdHostFreeTest {
    private static final String PREFIX = "XDG_RUNTIME_DIR=\"${XDG_RUNTIME_DIR:-/run/user/$(id -u)}\" ";
    private static final String NOT_BOOTED = "System has not been booted with systemd as init system (PID 1)."
            + " Can't operate.\nFailed to connect to bus: Host is down\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static boolean isProbe(String command) {
        return FakeFiles.script(command).contains("command -v systemctl");
    }

    private void probe(String answer) {
        host.when(SystemdHostFreeTest::isProbe, c -> FakeHostSession.result(0, "path=/usr/bin:/bin\n" + answer, ""));
    }

    /** A running systemd whose {@code show} reports these states. */
    private void running(String unit, String load, String active, String unitFileState) {
        probe("systemctl=/usr/bin/systemctl\n");
        host.on("systemctl show " + unit, 0, "Type=simple\nRestart=on-failure\nId=" + unit + ".service\n"
                + "LoadState=" + load + "\nActiveState=" + active + "\nSubState=dead\nUnitFileState=" + unitFileState
                + "\nExecStart={ path=/usr/sbin/" + unit + " ; argv[]=/usr/sbin/" + unit + " -g daemon on; ;"
                + " ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n"
                + "Description=The " + unit + " server\n");
    }

    /** Commands after the probe, without the XDG_RUNTIME_DIR prefix. */
    private List<String> calls() {
        return host.commands().stream().filter(c -> !isProbe(c)).map(c -> c.replace(PREFIX, "")).toList();
    }

    private TaskOutcome run(Object... kv) throws Exception {
        return ModuleHarness.run(host, "systemd", args(kv));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(TaskOutcome o) {
        return (Map<String, Object>) o.data().get("status");
    }

    @Test
    void startingAnInactiveUnitRunsStartAndReturnsItsProperties() throws Exception {
        running("nginx", "loaded", "inactive", "enabled");
        TaskOutcome o = run("name", "nginx", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).containsExactly("/usr/bin/systemctl show nginx", "/usr/bin/systemctl start nginx");
        assertThat(o.data()).containsEntry("name", "nginx").containsEntry("state", "started");
        assertThat(status(o)).containsEntry("ActiveState", "inactive").containsEntry("UnitFileState", "enabled")
                .containsEntry("ExecStart", "{ path=/usr/sbin/nginx ; argv[]=/usr/sbin/nginx -g daemon on; ;"
                        + " ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ;"
                        + " status=0/0 }");
    }

    @Test
    void anActiveUnitIsAlreadyStartedAndStoppedStopsIt() throws Exception {
        running("nginx", "loaded", "active", "enabled");
        assertThat(run("name", "nginx", "state", "started").status()).isEqualTo(TaskStatus.OK);
        assertThat(run("name", "nginx", "state", "stopped").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).containsExactly("/usr/bin/systemctl show nginx", "/usr/bin/systemctl show nginx",
                "/usr/bin/systemctl stop nginx");
    }

    @Test
    void restartedAndReloadedActOnARunningUnitAndStartAStoppedOne() throws Exception {
        running("nginx", "loaded", "active", "enabled");
        TaskOutcome reload = run("name", "nginx", "state", "reloaded");
        assertThat(reload.data()).containsEntry("state", "started");
        run("name", "nginx", "state", "restarted");
        running("app", "loaded", "failed", "enabled");
        run("name", "app", "state", "restarted");
        assertThat(calls()).filteredOn(c -> !c.contains(" show ")).containsExactly(
                "/usr/bin/systemctl reload nginx", "/usr/bin/systemctl restart nginx", "/usr/bin/systemctl start app");
    }

    @Test
    void multiLineExecValuesAreJoined() {
        assertThat(SystemctlShow.parse("ExecStart={ path=/bin/sh ; argv[]=/bin/sh -c 'a\nb' ; }\nId=x\n"))
                .containsEntry("ExecStart", "{ path=/bin/sh ; argv[]=/bin/sh -c 'a\nb' ; }").containsEntry("Id", "x");
    }

    @Test
    void enablingChecksIsEnabledThenEnables() throws Exception {
        running("nginx", "loaded", "active", "disabled");
        host.on("is-enabled nginx -l", 1, "disabled\n");
        TaskOutcome o = run("name", "nginx", "enabled", true);
        assertThat(calls()).containsExactly("/usr/bin/systemctl show nginx", "/usr/bin/systemctl is-enabled nginx -l",
                "/usr/bin/systemctl enable nginx");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("enabled", true);
    }

    @Test
    void anEnabledUnitIsOkAndAnIndirectOneCountsAsDisabled() throws Exception {
        running("nginx", "loaded", "active", "enabled");
        host.on("is-enabled nginx -l", 0, "enabled\n  /etc/systemd/system/multi-user.target.wants/nginx.service\n");
        assertThat(run("name", "nginx", "enabled", true).status()).isEqualTo(TaskStatus.OK);
        running("getty", "loaded", "active", "indirect");
        host.on("is-enabled getty -l", 0, "indirect\n");
        assertThat(run("name", "getty", "enabled", true).status()).isEqualTo(TaskStatus.CHANGED);
    }

    @Test
    void maskingAndUnmasking() throws Exception {
        running("nginx", "loaded", "inactive", "enabled");
        host.on("is-enabled nginx", 0, "enabled\n");
        assertThat(run("name", "nginx", "masked", true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).endsWith("/usr/bin/systemctl mask nginx");
        host.on("is-enabled nginx", 1, "masked\n");
        assertThat(run("name", "nginx", "masked", true).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void daemonReloadRunsFirstAndMayBeAlone() throws Exception {
        running("app", "loaded", "inactive", "enabled");
        run("name", "app", "state", "started", "daemon_reload", true);
        assertThat(calls()).containsExactly("/usr/bin/systemctl daemon-reload", "/usr/bin/systemctl show app",
                "/usr/bin/systemctl start app");
        TaskOutcome alone = ModuleHarness.run(host, "systemd", args("daemon-reload", true));
        assertThat(alone.status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void checkModeRunsOnlyWhatReads() throws Exception {
        running("app", "loaded", "inactive", "disabled");
        host.on("is-enabled app -l", 1, "disabled\n");
        TaskOutcome o = ModuleHarness.check(host, "systemd", args("name", "app", "state", "started", "enabled", true,
                "daemon_reload", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).containsExactly("/usr/bin/systemctl show app", "/usr/bin/systemctl is-enabled app -l");
    }

    @Test
    void scopeNoBlockAndForceBecomeOptions() throws Exception {
        probe("systemctl=/usr/bin/systemctl\n");
        host.on("--force show app", 0, "LoadState=loaded\nActiveState=inactive\n");
        ModuleHarness.run(host, "systemd_service", args("name", "app", "state", "started", "scope", "user",
                "no_block", true, "force", true));
        assertThat(calls()).containsExactly("/usr/bin/systemctl --user --no-block --force show app",
                "/usr/bin/systemctl --user --no-block --force start app");
    }

    @Test
    void aFailedStartFailsWithSystemctlsError() throws Exception {
        running("app", "loaded", "inactive", "enabled");
        host.on("systemctl start app", 1, "", "Job for app.service failed because the control process exited.\n");
        TaskOutcome o = run("name", "app", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Unable to start service app: Job for app.service failed because the control"
                + " process exited.\n");
    }

    @Test
    void aUnitThatFailsToLoadFails() throws Exception {
        probe("systemctl=/usr/bin/systemctl\n");
        host.on("systemctl show app", 0, "LoadState=error\nLoadError=org.freedesktop.systemd1.BadUnitSetting"
                + " \"Unit app.service has a bad unit file setting.\"\nActiveState=inactive\n");
        assertThat(run("name", "app", "state", "started").msg()).isEqualTo("Error loading unit file 'app':"
                + " org.freedesktop.systemd1.BadUnitSetting \"Unit app.service has a bad unit file setting.\"");
    }

    // ------------------------------------------------------------------ a host not booted with systemd

    private void notBooted(String isEnabled, int listRc) {
        probe("systemctl=/usr/bin/systemctl\n");
        host.on("systemctl show", 1, "", NOT_BOOTED);
        host.on("systemctl is-enabled", isEnabled.isEmpty() ? 1 : 0, isEnabled);
        host.on("systemctl list-unit-files", listRc, "");
        host.when(c -> c.endsWith("/usr/bin/systemctl"), c -> FakeHostSession.result(1, "", NOT_BOOTED));
    }

    @Test
    void withoutSystemdAStateIsUnknown() throws Exception {
        notBooted("enabled\n", 0);
        TaskOutcome o = run("name", "cron", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Service is in unknown state");
        assertThat(o.data()).containsEntry("status", Map.of());
        assertThat(calls()).containsExactly("/usr/bin/systemctl show cron", "/usr/bin/systemctl is-enabled cron");
    }

    @Test
    void withoutSystemdInAChrootAStateIsOnlyAWarning() throws Exception {
        notBooted("enabled\n", 0);
        probe("systemctl=/usr/bin/systemctl\nchroot=1\n");
        TaskOutcome o = run("name", "cron", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data().get("warnings")).isEqualTo(List.of("Target is a chroot or systemd is offline. This can"
                + " lead to false positives or prevent the init system tools from working."));
    }

    @Test
    void withoutSystemdUnitFilesAreStillEnabled() throws Exception {
        notBooted("disabled\n", 0);
        host.on("is-enabled cron -l", 1, "disabled\n");
        TaskOutcome o = run("name", "cron", "enabled", true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(calls()).endsWith("/usr/bin/systemctl enable cron");
    }

    @Test
    void withoutSystemdAnUnknownUnitFailsWithTheBareSystemctlsError() throws Exception {
        notBooted("", 1);
        TaskOutcome o = run("name", "nosuch", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.msg()).isEqualTo(NOT_BOOTED.strip());
        assertThat(o.stderr()).isEqualTo(NOT_BOOTED);
        assertThat(o.data()).containsEntry("cmd", "/usr/bin/systemctl");
        assertThat(calls()).containsExactly("/usr/bin/systemctl show nosuch", "/usr/bin/systemctl is-enabled nosuch",
                "/usr/bin/systemctl list-unit-files nosuch", "/usr/bin/systemctl");
    }

    @Test
    void withoutSystemdAnInitScriptIsFoundAndEnabledFromItsLinks() throws Exception {
        notBooted("", 1);
        host.when(c -> c.endsWith("/usr/bin/systemctl"), c -> FakeHostSession.result(0, "", ""));
        probe("systemctl=/usr/bin/systemctl\ninitscript=1\ninitenabled=1\n");
        host.on("is-enabled legacy -l", 1, "");
        TaskOutcome o = run("name", "legacy", "enabled", true);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data().get("warnings")).isEqualTo(List.of("The service (legacy) is actually an init script but"
                + " the system is managed by systemd"));
    }

    @Test
    void daemonReloadFailureIsReported() throws Exception {
        notBooted("", 1);
        host.on("daemon-reload", 1, "", NOT_BOOTED);
        TaskOutcome o = run("daemon_reload", true);
        assertThat(o.msg()).isEqualTo("failure 1 during daemon-reload: " + NOT_BOOTED);
    }

    @Test
    void noSystemctlFails() throws Exception {
        probe("");
        assertThat(run("name", "x", "state", "started").msg())
                .isEqualTo("Failed to find required executable \"systemctl\" in paths: /usr/bin:/bin");
    }

    // ------------------------------------------------------------------ arguments

    @Test
    void argumentsAreCheckedAsAnsibleDoes() throws Exception {
        assertThat(run("name", "ng*", "state", "started").msg()).isEqualTo("This module does not currently support"
                + " using glob patterns, found '*' in service name: ng*");
        assertThat(ModuleHarness.rejection(host, "systemd", args("state", "started")))
                .contains("missing parameter(s) required by 'state': name");
        assertThat(ModuleHarness.rejection(host, "systemd", args("name", "x", "scope", "machine")))
                .contains("argument 'scope' must be one of [system, user, global]");
        assertThat(ModuleHarness.rejection(host, "systemd", args("name", "x", "state", "running")))
                .contains("argument 'state' must be one of");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aNameWithShellCharactersIsOneQuotedWord() throws Exception {
        probe("systemctl=/usr/bin/systemctl\n");
        host.on("show 'a b;reboot'", 0, "LoadState=loaded\nActiveState=inactive\n");
        run("name", "a b;reboot", "state", "started");
        assertThat(calls()).contains("/usr/bin/systemctl start 'a b;reboot'");
    }
}
