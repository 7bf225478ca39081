package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sysvinit} against an in-memory host: one probe (script, tools, S links), the status command, then
 * update-rc.d and the init script as needed.
 */
class SysvinitHostFreeTest {
    private static final String TOOLS = "service=/usr/sbin/service\nupdate-rc.d=/usr/sbin/update-rc.d\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static boolean isProbe(String command) {
        return FakeFiles.script(command).contains("for t in service update-rc.d chkconfig");
    }

    private void probe(String answer) {
        host.when(SysvinitHostFreeTest::isProbe, c -> FakeHostSession.result(0, answer, ""));
    }

    private void script(boolean running, String... startLevels) {
        StringBuilder s = new StringBuilder("exists=1\n" + TOOLS);
        for (String l : startLevels) s.append("start=").append(l).append('\n');
        probe(s.toString());
        host.on("/usr/sbin/service app status", running ? 0 : 3, running ? "app is running\n" : "app is not running\n");
    }

    private List<String> actions() {
        return host.commands().stream().filter(c -> !isProbe(c) && !c.endsWith(" status")).toList();
    }

    private TaskOutcome run(Object... kv) throws Exception {
        return ModuleHarness.run(host, "sysvinit", args(kv));
    }

    private static Map<String, Object> part(boolean changed, Integer rc, String out, String err) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("changed", changed);
        m.put("rc", rc);
        m.put("stdout", out);
        m.put("stderr", err);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(TaskOutcome o) {
        return (Map<String, Object>) o.data().get("status");
    }

    @Test
    void startingAStoppedScriptRunsItWithStart() throws Exception {
        script(false);
        host.on("/etc/init.d/app start", 0, "Starting app\n");
        TaskOutcome o = run("name", "app", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("/etc/init.d/app start");
        assertThat(o.data()).containsEntry("name", "app");
        assertThat(status(o)).containsExactly(Map.entry("enabled", part(false, null, null, null)),
                Map.entry("started", part(true, 0, "Starting app\n", "")));
    }

    @Test
    void aRunningScriptIsAlreadyStarted() throws Exception {
        script(true);
        TaskOutcome o = run("name", "app", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(actions()).isEmpty();
        assertThat(status(o)).containsEntry("started", part(false, null, null, null));
    }

    @Test
    void stoppingAndRestartingAndReloading() throws Exception {
        script(true);
        assertThat(run("name", "app", "state", "stopped").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(run("name", "app", "state", "restarted", "sleep", 0).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(run("name", "app", "state", "reloaded").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("/etc/init.d/app stop", "/etc/init.d/app stop", "/etc/init.d/app start",
                "/etc/init.d/app reload");
    }

    @Test
    void aStoppedScriptIsAlreadyStoppedButReloadStillRuns() throws Exception {
        script(false);
        assertThat(run("name", "app", "state", "stopped").status()).isEqualTo(TaskStatus.OK);
        assertThat(run("name", "app", "state", "reloaded").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("/etc/init.d/app reload");
    }

    @Test
    void argumentsAreAppendedAndDaemonizeDetaches() throws Exception {
        script(false);
        run("name", "app", "state", "started", "arguments", "--fast 'a b'", "daemonize", true);
        assertThat(actions()).containsExactly("setsid /etc/init.d/app start --fast 'a b' </dev/null");
    }

    @Test
    void aFailingScriptFailsWithItsOutput() throws Exception {
        script(false);
        host.on("/etc/init.d/app start", 1, "", "app: bad config\n");
        TaskOutcome o = run("name", "app", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Failed to start service: app");
        assertThat(o.rc()).isEqualTo(1);
        assertThat(o.stderr()).isEqualTo("app: bad config\n");
    }

    @Test
    void enablingWithoutStartLinksRunsUpdateRcDDefaults() throws Exception {
        script(false);
        TaskOutcome o = run("name", "app", "enabled", true);
        assertThat(actions()).containsExactly("/usr/sbin/update-rc.d app defaults");
        assertThat(status(o)).containsExactly(Map.entry("enabled", part(true, 0, "", "")),
                Map.entry("null", part(false, null, null, null)));
    }

    @Test
    void anEnabledScriptIsAlreadyEnabledAndDisablingRunsDisable() throws Exception {
        script(false, "2", "3", "4", "5");
        assertThat(run("name", "app", "enabled", true).status()).isEqualTo(TaskStatus.OK);
        assertThat(run("name", "app", "enabled", false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).containsExactly("/usr/sbin/update-rc.d app disable");
    }

    @Test
    void runlevelsAreCheckedAndChangedOneByOne() throws Exception {
        script(false, "2", "5");
        TaskOutcome o = run("name", "app", "enabled", false, "runlevels", List.of("2", "3"));
        assertThat(actions()).containsExactly("/usr/sbin/update-rc.d app disable 2 3");
        assertThat(status(o).get("enabled")).isEqualTo(Map.of("changed", true, "rc", 0, "stdout", "",
                "stderr", "", "runlevels", List.of("2", "3")));
        host.commands();
        FakeHostSession again = new FakeHostSession("web2");
        again.when(SysvinitHostFreeTest::isProbe, c -> FakeHostSession.result(0, "exists=1\n" + TOOLS + "start=5\n",
                ""));
        assertThat(ModuleHarness.run(again, "sysvinit", args("name", "app", "enabled", false, "runlevels",
                List.of("2", "3"))).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void anIllegalRunlevelFails() throws Exception {
        script(false);
        host.on("update-rc.d app enable 9", 1, "", "update-rc.d: error: illegal runlevel specified\n");
        TaskOutcome o = run("name", "app", "enabled", true, "runlevels", List.of("9"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Illegal runlevel specified for enable operation on service app");
    }

    @Test
    void checkModeRunsOnlyTheProbeAndTheStatus() throws Exception {
        script(false);
        TaskOutcome o = ModuleHarness.check(host, "sysvinit", args("name", "app", "state", "started",
                "enabled", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(actions()).isEmpty();
        assertThat(status(o)).containsEntry("started", part(true, null, null, null))
                .containsEntry("enabled", part(true, null, null, null));
    }

    @Test
    void aPatternIsLookedForInPsOutput() throws Exception {
        probe("exists=1\n" + TOOLS);
        host.on("ps auxww", 0, "root 1 0.0 /sbin/init\nroot 42 0.0 /usr/bin/app-daemon --foreground\n");
        assertThat(run("name", "app", "state", "started", "pattern", "app-daemon").status())
                .isEqualTo(TaskStatus.OK);
        assertThat(host.commandsContaining(" status")).isEmpty();
    }

    @Test
    void anUnreadableStatusFallsBackToPsWithAWarning() throws Exception {
        probe("exists=1\n" + TOOLS);
        host.on("/usr/sbin/service app status", 5, "weird\nmulti-line\noutput\n");
        host.on("ps auxww", 0, "root 42 0.0 /usr/sbin/app\n");
        TaskOutcome o = run("name", "app", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data().get("warnings")).isEqualTo(List.of("Used ps output to match service name and determine"
                + " it is up, this is very unreliable"));
    }

    @Test
    void aMissingScriptFailsWithAnsiblesMessage() throws Exception {
        probe(TOOLS);
        TaskOutcome o = run("name", "nosuch", "state", "started");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Could not find the requested service nosuch: ");
    }

    @Test
    void aPathNamesTheScriptAndTheNameIsQuotedInTheProbe() throws Exception {
        ModuleHarness.run(host, "sysvinit", args("name", "/opt/app/init; reboot", "state", "started"));
        assertThat(FakeFiles.script(host.commands().get(0))).startsWith("n='/opt/app/init; reboot';"
                + " s='/opt/app/init; reboot'\n");
    }

    @Test
    void statusOutputIsReadAsAnsibleReadsIt() {
        assertThat(StatusOutput.read("app", 0, "app is running\n")).isTrue();
        assertThat(StatusOutput.read("app", 3, "app is not running\n")).isFalse();
        assertThat(StatusOutput.read("app", 0, " * app is stopped\n")).isFalse();
        assertThat(StatusOutput.read("app", 0, "active (exited)\n")).isTrue();
        assertThat(StatusOutput.read("app", 0, "line one\nline two\n")).isNull();
        assertThat(StatusOutput.read("app", 4, "line one\nline two\n")).isFalse();
        assertThat(StatusOutput.read("iptables", 0, "Chain INPUT (policy ACCEPT)\nx\ny\n")).isTrue();
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "sysvinit", args("name", "app")))
                .contains("one of the following is required: state, enabled");
        assertThat(ModuleHarness.rejection(host, "sysvinit", args("name", "app", "state", "running")))
                .contains("argument 'state' must be one of");
        assertThat(ModuleHarness.rejection(host, "sysvinit", args("state", "started")))
                .contains("missing required arguments: name");
    }
}
