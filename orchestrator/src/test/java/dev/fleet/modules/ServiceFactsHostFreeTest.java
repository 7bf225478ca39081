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
 * {@code service_facts} against an in-memory host: a probe for the init tools, then {@code service --status-all}
 * and, with systemd as PID 1, systemctl's unit lists, in the output shapes those tools print.
 */
class ServiceFactsHostFreeTest {
    private static final String STATUS_ALL = """
             [ - ]  cron
             [ ? ]  hwclock.sh
             [ + ]  ssh
             [ - ]  x11-common
            """;
    private static final String LIST_UNITS = """
              UNIT                      LOAD      ACTIVE   SUB     DESCRIPTION
              cron.service              loaded    active   running Regular background program processing daemon
            ● nginx.service             loaded    failed   failed  A high performance web server
            ● systemd-fsck-root.service not-found inactive dead    systemd-fsck-root.service
              ssh.service               loaded    inactive dead    OpenBSD Secure Shell server

            LOAD   = Reflects whether the unit definition was properly loaded.
            ACTIVE = The high-level unit activation state, i.e. generalization of SUB.
            SUB    = The low-level unit activation state, values depend on unit type.
            4 loaded units listed.
            To show all installed unit files use 'systemctl list-unit-files'.
            """;
    private static final String LIST_UNIT_FILES = """
            UNIT FILE                 STATE           VENDOR PRESET
            cron.service              enabled         enabled
            getty@.service            enabled         enabled
            nginx.service             enabled         enabled
            ssh.service               disabled        enabled
            systemd-fsck-root.service static          -

            5 unit files listed.
            """;

    private final FakeHostSession host = new FakeHostSession("web1");

    private void probe(String answer) {
        host.when(c -> c.contains("for t in service chkconfig"), c -> FakeHostSession.result(0, answer, ""));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services(TaskOutcome o) {
        return (Map<String, Object>) ((Map<String, Object>) o.data().get("ansible_facts")).get("services");
    }

    private static Map<String, Object> svc(String name, String state, String status, String source) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("state", state);
        if (status != null) m.put("status", status);
        m.put("source", source);
        return m;
    }

    @Test
    void withoutSystemdTheInitScriptsAreReadFromServiceStatusAll() throws Exception {
        probe("service=/usr/sbin/service\nsystemctl=/usr/bin/systemctl\n");
        host.on("--status-all", 0, STATUS_ALL);
        TaskOutcome o = ModuleHarness.run(host, "service_facts", args());
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(services(o)).containsExactly(
                Map.entry("cron", svc("cron", "stopped", null, "sysv")),
                Map.entry("ssh", svc("ssh", "running", null, "sysv")),
                Map.entry("x11-common", svc("x11-common", "stopped", null, "sysv")));
        assertThat(host.commands()).hasSize(2);
        assertThat(host.commands().get(1)).isEqualTo("LANG=C LC_ALL=C /usr/sbin/service --status-all");
        assertThat(host.commandsContaining("systemctl list")).isEmpty();
    }

    @Test
    void withSystemdAsInitUnitsAndUnitFilesAreAdded() throws Exception {
        probe("service=/usr/sbin/service\nsystemctl=/usr/bin/systemctl\ninit=systemd\n");
        host.on("--status-all", 0, STATUS_ALL);
        host.on("list-units --no-pager --type service --all", 0, LIST_UNITS);
        host.on("list-unit-files --no-pager --type service --all", 0, LIST_UNIT_FILES);
        host.on("--property=ActiveState", 0, "getty@.service\tinactive\n");
        Map<String, Object> s = services(ModuleHarness.run(host, "service_facts", args()));
        assertThat(s).containsEntry("cron", svc("cron", "stopped", null, "sysv"))
                .containsEntry("cron.service", svc("cron.service", "running", "enabled", "systemd"))
                .containsEntry("nginx.service", svc("nginx.service", "stopped", "failed", "systemd"))
                .containsEntry("systemd-fsck-root.service",
                        svc("systemd-fsck-root.service", "stopped", "not-found", "systemd"))
                .containsEntry("ssh.service", svc("ssh.service", "stopped", "disabled", "systemd"))
                .containsEntry("getty@.service", svc("getty@.service", "inactive", "enabled", "systemd"));
        // only the unit file no unit listed is asked for its ActiveState
        String show = host.commandsContaining("--property=ActiveState").get(0);
        assertThat(show).contains("getty@.service").doesNotContain("cron.service");
    }

    @Test
    void aUnitFileWhoseStateCannotBeReadIsUnknown() throws Exception {
        probe("systemctl=/usr/bin/systemctl\ninit=systemd\n");
        host.on("list-units", 0, "");
        host.on("list-unit-files", 0, "UNIT FILE STATE VENDOR PRESET\nfoo.service disabled enabled\n");
        Map<String, Object> s = services(ModuleHarness.run(host, "service_facts", args()));
        assertThat(s).containsExactly(Map.entry("foo.service", svc("foo.service", "unknown", "disabled", "systemd")));
    }

    @Test
    void aFailingServiceToolIsAWarning() throws Exception {
        probe("service=/usr/sbin/service\n");
        host.on("--status-all", 1, " [ + ]  ssh\n", "cannot read /etc/init.d/broken\n");
        TaskOutcome o = ModuleHarness.run(host, "service_facts", args());
        assertThat(o.data().get("warnings")).isEqualTo(List.of("Unable to query 'service' tool (1): cannot read"
                + " /etc/init.d/broken\n"));
        assertThat(services(o)).containsOnlyKeys("ssh");
    }

    @Test
    void chkconfigHostsAreNotReadAsSysv() throws Exception {
        probe("service=/usr/sbin/service\nchkconfig=/sbin/chkconfig\n");
        TaskOutcome o = ModuleHarness.run(host, "service_facts", args());
        assertThat(host.commandsContaining("--status-all")).isEmpty();
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void noServicesAtAllIsASkipWithAnsiblesMessage() throws Exception {
        probe("");
        TaskOutcome o = ModuleHarness.run(host, "service_facts", args());
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(o.msg()).isEqualTo("Failed to find any services. This can be due to privileges or some other"
                + " configuration issue.");
        assertThat(o.data()).doesNotContainKey("ansible_facts");
    }

    @Test
    void checkModeGathersAsWell() throws Exception {
        probe("service=/usr/sbin/service\n");
        host.on("--status-all", 0, STATUS_ALL);
        assertThat(services(ModuleHarness.check(host, "service_facts", args()))).containsKeys("cron", "ssh");
    }

    @Test
    void anArgumentIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "service_facts", args("name", "ssh"))).contains("name");
        assertThat(host.commands()).isEmpty();
    }
}
