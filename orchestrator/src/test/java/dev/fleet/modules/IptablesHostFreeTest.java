package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ansible.builtin.iptables} without a host, and only without one: the lab hosts share this machine's
 * network namespace, so no test here or on a lab host may run iptables for real.
 */
class IptablesHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    IptablesHostFreeTest() {
        host.on("iptables --version", 0, "iptables v1.8.9 (nf_tables)\n");
        host.on("ip6tables --version", 0, "ip6tables v1.8.9 (nf_tables)\n");
    }

    private List<String> commands() {
        return FakeFiles.scripts(host).stream().filter(c -> !c.endsWith("--version")).toList();
    }

    @Test
    void aMissingRuleIsCheckedThenAppended() throws Exception {
        host.on("iptables -t filter -C", 1, "", "iptables: Bad rule (does a matching rule exist in that chain?).\n");
        TaskOutcome o = ModuleHarness.run(host, "ansible.builtin.iptables", args("chain", "INPUT", "protocol", "tcp",
                "destination_port", "22", "ctstate", List.of("NEW", "ESTABLISHED"), "jump", "ACCEPT",
                "comment", "ssh in"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        String rule = "-p tcp -j ACCEPT --destination-port 22 -m conntrack --ctstate NEW,ESTABLISHED -m comment"
                + " --comment 'ssh in'";
        assertThat(commands()).containsExactly("iptables -t filter -C INPUT " + rule,
                "iptables -t filter -L INPUT", "iptables -t filter -A INPUT " + rule);
        assertThat(o.data()).containsEntry("rule", "-p tcp -j ACCEPT --destination-port 22 -m conntrack --ctstate"
                + " NEW,ESTABLISHED -m comment --comment ssh in").containsEntry("chain", "INPUT")
                .containsEntry("table", "filter").containsEntry("ip_version", "ipv4").containsEntry("state", "present")
                .containsEntry("flush", false).containsEntry("chain_management", false);
    }

    @Test
    void aPresentRuleIsNoChangeAndCheckModeOnlyReads() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "iptables", args("chain", "INPUT", "source", "!10.0.0.1",
                "jump", "DROP"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(commands()).containsExactly("iptables -t filter -C INPUT '!' -s 10.0.0.1 -j DROP");
        FakeHostSession other = new FakeHostSession("web2");
        other.on("iptables --version", 0, "iptables v1.8.9 (legacy)\n");
        TaskOutcome checked = ModuleHarness.check(other, "iptables", args("chain", "INPUT", "source", "10.0.0.1",
                "jump", "DROP", "state", "absent"));
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(other.commands()).noneMatch(c -> c.contains(" -D ") || c.contains(" -A "));
    }

    @Test
    void insertWithRuleNumberDeleteAndChainManagement() throws Exception {
        host.on("-C INPUT", 1, "");
        host.on("-C FLEET", 1, "");
        host.on("-L FLEET", 1, "");
        ModuleHarness.run(host, "iptables", args("chain", "INPUT", "action", "insert", "rule_num", "5",
                "in_interface", "lo", "jump", "ACCEPT", "ip_version", "ipv6", "table", "mangle"));
        ModuleHarness.run(host, "iptables", args("chain", "FLEET", "chain_management", true, "jump", "RETURN"));
        ModuleHarness.run(host, "iptables", args("chain", "FORWARD", "state", "absent", "jump", "DROP"));
        assertThat(commands()).contains("ip6tables -t mangle -I INPUT 5 -j ACCEPT -i lo",
                "iptables -t filter -N FLEET", "iptables -t filter -A FLEET -j RETURN",
                "iptables -t filter -D FORWARD -j DROP");
    }

    @Test
    void policyFlushAndChainRemoval() throws Exception {
        host.on("-L INPUT", 0, "Chain INPUT (policy ACCEPT)\ntarget     prot opt source\n");
        assertThat(ModuleHarness.run(host, "iptables", args("chain", "INPUT", "policy", "ACCEPT")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.run(host, "iptables", args("chain", "INPUT", "policy", "DROP")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.run(host, "iptables", args("flush", true, "table", "nat")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.run(host, "iptables", args("chain", "OLD", "state", "absent",
                "chain_management", true)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(commands()).contains("iptables -t filter -P INPUT DROP", "iptables -t nat -F",
                "iptables -t filter -X OLD");
    }

    @Test
    void ruleWordsFollowAnsiblesOrder() throws Exception {
        host.on("-C", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "iptables", args("chain", "INPUT", "wait", "5", "protocol", "tcp",
                "match", List.of("multiport"), "tcp_flags", java.util.Map.of("flags", List.of("ALL"),
                        "flags_set", List.of("ACK", "SYN")), "log_prefix", "in: ", "destination_ports",
                List.of("80", "443"), "syn", "negate", "src_range", "10.0.0.1-10.0.0.9", "limit", "2/second",
                "uid_owner", "0", "reject_with", "tcp-reset", "icmp_type", "8"));
        assertThat(o.data().get("rule")).isEqualTo("-w 5 -p tcp -m multiport --tcp-flags ALL ACK,SYN"
                + " --log-prefix in:  -m multiport --dports 80,443 ! --syn -m iprange --src-range 10.0.0.1-10.0.0.9"
                + " -m limit --limit 2/second -m owner --uid-owner 0 -j REJECT --reject-with tcp-reset"
                + " --icmp-type 8");
        assertThat(commands().get(0)).contains("-j LOG --log-prefix 'in: '");
    }

    @Test
    void errorsAreAnsibles() throws Exception {
        assertThat(ModuleHarness.run(host, "iptables", args("jump", "DROP")).msg())
                .isEqualTo("Either chain or flush parameter must be specified.");
        assertThat(ModuleHarness.run(host, "iptables", args("chain", "INPUT", "jump", "DROP", "log_level", "4"))
                .msg()).isEqualTo("Logging options can only be used with the LOG jump target.");
        host.on("-A INPUT", 4, "", "iptables v1.8.9 (nf_tables): Could not fetch rule set generation id\n");
        host.on("-C INPUT", 1, "");
        TaskOutcome failed = ModuleHarness.run(host, "iptables", args("chain", "INPUT", "jump", "DROP"));
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.msg()).isEqualTo("iptables v1.8.9 (nf_tables): Could not fetch rule set generation id");
        assertThat(failed.rc()).isEqualTo(4);
        assertThat(ModuleHarness.rejection(host, "iptables", args("flush", true, "policy", "DROP")))
                .contains("flush").contains("policy");
        assertThat(ModuleHarness.rejection(host, "iptables", args("chain", "INPUT", "jump", "TEE")))
                .contains("gateway");
        assertThat(ModuleHarness.rejection(host, "iptables", args("chain", "INPUT", "table", "nope")))
                .contains("table");
    }

    @Test
    void versionsCompareByNumbers() {
        assertThat(IptablesModule.compareVersions("1.8.9 (nf_tables)", "1.6.0")).isPositive();
        assertThat(IptablesModule.compareVersions("1.4.21", "1.6.0")).isNegative();
        assertThat(IptablesModule.compareVersions("1.4.20", "1.4.20")).isZero();
    }
}
