package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code community.general.ufw} without a host, and only without one: every ufw command that is not a dry run
 * (the module's first, {@code ufw status verbose}, included) probes netfilter by creating a chain in the kernel,
 * and the lab hosts share this machine's network namespace.
 */
class UfwHostFreeTest {
    private static final String UFW = "/usr/sbin/ufw";
    private static final String GREP = "/usr/bin/grep -h '^### tuple' /lib/ufw/user.rules /lib/ufw/user6.rules"
            + " /etc/ufw/user.rules /etc/ufw/user6.rules /var/lib/ufw/user.rules /var/lib/ufw/user6.rules";
    private static final String INACTIVE = "Status: inactive\n";
    private static final String ACTIVE = "Status: active\nLogging: on (low)\n"
            + "Default: deny (incoming), allow (outgoing), disabled (routed)\nNew profiles: skip\n";
    private final FakeHostSession host = new FakeHostSession("web1");

    UfwHostFreeTest() {
        host.when(c -> c.contains("command -v ufw"), c -> FakeHostSession.result(0, UFW + "\n", ""));
        host.when(c -> c.contains("command -v grep"), c -> FakeHostSession.result(0, "/usr/bin/grep\n", ""));
        host.on("ufw --version", 0, "ufw 0.36.2\nCopyright 2008-2023 Canonical Ltd.\n");
    }

    private void status(String text) {
        host.when(c -> c.contains("ufw status verbose"), c -> FakeHostSession.result(0, text, ""));
    }

    private void rules(String tuples) {
        host.when(c -> c.contains("grep -h"), c -> FakeHostSession.result(tuples.isEmpty() ? 1 : 0, tuples, ""));
    }

    @Test
    void aRuleIsOneCommandLineAndChangeIsJudgedFromTheRulesBeforeAndAfter() throws Exception {
        status(INACTIVE);
        String tuple = "### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n";
        host.when(c -> c.contains("grep -h"), c -> FakeHostSession.result(0,
                host.commandsContaining("allow").isEmpty() ? "" : tuple, ""));
        TaskOutcome o = ModuleHarness.run(host, "community.general.ufw", args("rule", "allow", "port", "22",
                "proto", "tcp", "comment", "ssh; rm -rf /"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("commands")).isEqualTo(List.of(UFW + " status verbose", GREP, UFW + " --version",
                UFW + " allow from any to any port 22 proto tcp comment 'ssh; rm -rf /'", UFW + " status verbose",
                GREP));
        assertThat(o.msg()).isEqualTo("Status: inactive");
        assertThat(FakeFiles.scripts(host)).contains(
                "LANG=C /usr/sbin/ufw allow from any to any port 22 proto tcp comment 'ssh; rm -rf /'");
    }

    @Test
    void ruleWordsFollowTheCollectionsOrder() throws Exception {
        status(ACTIVE);
        rules("");
        ModuleHarness.run(host, "ufw", args("rule", "deny", "route", true, "insert", 2, "direction", "in",
                "interface", "eth0", "log", true, "from", "10.0.0.0/8", "from_port", "53", "to", "any", "app",
                "OpenSSH"));
        ModuleHarness.run(host, "ufw", args("rule", "reject", "delete", true, "insert", 1, "interface_in", "lo",
                "to_port", "80"));
        assertThat(FakeFiles.scripts(host)).contains("LANG=C /usr/sbin/ufw route insert 2 deny in on eth0 log"
                        + " from 10.0.0.0/8 port 53 to any app OpenSSH",
                "LANG=C /usr/sbin/ufw delete reject in on lo from any to any port 80");
    }

    @Test
    void insertRelativeToIsResolvedFromTheNumberedStatus() throws Exception {
        status(ACTIVE);
        rules("");
        host.on("ufw status numbered", 0, "Status: active\n\n     To    Action    From\n"
                + "[ 1] 22/tcp   ALLOW IN    Anywhere\n[ 2] 80/tcp   ALLOW IN    Anywhere\n"
                + "[ 3] 22/tcp (v6)   ALLOW IN    Anywhere (v6)\n[ 4] 80/tcp (v6)   ALLOW IN    Anywhere (v6)\n");
        ModuleHarness.run(host, "ufw", args("rule", "allow", "to_port", "443", "insert", 0,
                "insert_relative_to", "first-ipv6"));
        ModuleHarness.run(host, "ufw", args("rule", "allow", "to_port", "444", "insert", 1,
                "insert_relative_to", "last-ipv6"));
        assertThat(FakeFiles.scripts(host)).anyMatch(s -> s.endsWith("ufw insert 3 allow from any to any port 443"))
                .anyMatch(s -> s.endsWith("ufw allow from any to any port 444"));
    }

    @Test
    void checkModeUsesDryRunAndJudgesTheChange() throws Exception {
        status(ACTIVE);
        rules("### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n");
        host.on("--dry-run allow", 0, "*filter\n### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n"
                + "### tuple ### allow tcp 80 0.0.0.0/0 any 0.0.0.0/0 in\n");
        host.on("--dry-run deny", 0, "Skipping adding existing rule\n");
        assertThat(ModuleHarness.check(host, "ufw", args("rule", "allow", "port", "80", "proto", "tcp")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "ufw", args("rule", "deny", "port", "81")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "ufw", args("state", "enabled")).status()).isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "ufw", args("state", "disabled")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "ufw", args("default", "deny")).status()).isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "ufw", args("default", "deny", "direction", "outgoing")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "ufw", args("default", "allow", "direction", "routed")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "ufw", args("logging", "low")).status()).isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.check(host, "ufw", args("logging", "high")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.scripts(host)).filteredOn(s -> s.contains("/usr/sbin/ufw ") && !s.contains("status")
                && !s.contains("--version") && !s.contains("command -v")).allMatch(s -> s.contains("--dry-run"));
    }

    @Test
    void statesDefaultsAndLoggingRunTheirCommands() throws Exception {
        status(ACTIVE);
        rules("");
        TaskOutcome o = ModuleHarness.run(host, "ufw", args("state", "reloaded", "policy", "reject",
                "direction", "incoming", "logging", "medium"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("commands")).isEqualTo(List.of(UFW + " status verbose", GREP, UFW + " -f reload",
                UFW + " default reject incoming", UFW + " logging medium", UFW + " status verbose"));
    }

    @Test
    void errorsAreTheCollections() throws Exception {
        status(INACTIVE);
        rules("");
        assertThat(ModuleHarness.run(host, "ufw", args("rule", "allow", "direction", "routed")).msg())
                .isEqualTo("For rules, direction must be one of \"in\" and \"out\", or direction must not be"
                        + " specified.");
        assertThat(ModuleHarness.run(host, "ufw", args("default", "allow", "direction", "in")).msg())
                .startsWith("For default, direction must be one of");
        assertThat(ModuleHarness.run(host, "ufw", args("rule", "allow", "interface_in", "a", "interface_out", "b"))
                .msg()).isEqualTo("Only route rules can combine interface_in and interface_out");
        host.on("ufw -f enable", 1, "", "ERROR: problem running ufw-init\n");
        TaskOutcome failed = ModuleHarness.run(host, "ufw", args("state", "enabled"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.msg()).isEqualTo("ERROR: problem running ufw-init\n");
        assertThat(ModuleHarness.rejection(host, "ufw", args("direction", "in"))).contains("state")
                .contains("rule");
        assertThat(ModuleHarness.rejection(host, "ufw", args("rule", "allow", "interface", "eth0")))
                .contains("direction");
        assertThat(ModuleHarness.rejection(host, "ufw", args("rule", "allow", "app", "x", "proto", "tcp")))
                .contains("mutually exclusive");
    }

    @Test
    void theVersionIsReadWithTheCollectionsGreedyPattern() {
        assertThat(UfwModule.version("ufw 0.36.2\n")).containsExactly(6, 2);
        assertThat(UfwModule.version("ufw 0.34\n")).containsExactly(0, 34);
        assertThat(UfwModule.version("\n")).isNull();
    }
}
