package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.template.SimpleTemplater;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.LocalSession;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code iptables} for real, inside a network namespace of its own: the lab hosts share this machine's network
 * namespace, so instead every command runs through {@code nsenter} into a fresh namespace held by a
 * {@code unshare --net sleep} this test starts (and ends). Each command first checks that its network namespace
 * is not this machine's and refuses to run otherwise; the machine's own rules are compared before and after.
 */
class IptablesNetnsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static Process holder;
    private static String machineNs;
    private static String machineRules;
    private static HostSession session;
    private final IptablesModule iptables = new IptablesModule();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        machineNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        machineRules = machineRules();
        holder = new ProcessBuilder("unshare", "--net", "sleep", "600").start();
        String ns = "";
        for (int i = 0; i < 50 && (ns.isEmpty() || ns.equals(machineNs)); i++) {
            Thread.sleep(100);
            try {
                ns = Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/net")).toString();
            } catch (java.io.IOException e) {
                ns = "";
            }
        }
        assumeTrue(!ns.isEmpty() && !ns.equals(machineNs), "cannot make a network namespace here");
        session = new NamespacedSession(holder.pid(), machineNs);
        assumeTrue(session.exec("iptables -t filter -L INPUT", TIMEOUT).exitCode() == 0, "no iptables here");
    }

    @AfterAll
    static void stop() throws Exception {
        if (holder != null) {
            holder.destroy();
            holder.waitFor(5, TimeUnit.SECONDS);
            assertThat(machineRules()).as("this machine's own rules").isEqualTo(machineRules);
        }
    }

    private static String machineRules() throws Exception {
        Process p = new ProcessBuilder("iptables", "-S").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** Runs every command in the namespace of {@code pid}, refusing to run in this machine's. */
    private record NamespacedSession(long pid, String machineNs) implements HostSession {
        public String host() {
            return "netns";
        }

        public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
            String guarded = "[ \"$(readlink /proc/self/ns/net)\" != " + ShellQuote.quote(machineNs)
                    + " ] || { echo 'refused: this is the machine'\"'\"'s network namespace' >&2; exit 97; }\n"
                    + command;
            return new LocalSession("netns").exec("nsenter -t " + pid + " -n -- /bin/sh -c "
                    + ShellQuote.quote(guarded), stdin, timeout);
        }

        public void upload(byte[] content, String remotePath, int mode) {
            throw new UnsupportedOperationException("iptables uploads nothing");
        }

        public void close() {
            // the namespace ends with its holder process
        }
    }

    private TaskOutcome run(Map<String, Object> args, boolean check) throws Exception {
        return iptables.run(new ModuleContext(session, args, check, false, TIMEOUT, Map.of(), new SimpleTemplater(),
                Path.of(".")));
    }

    private String rules() throws Exception {
        return session.exec("iptables -S", TIMEOUT).stdout();
    }

    @Test
    void aRuleIsAddedOnceAndRemovedCheckModeChangingNothing() throws Exception {
        var rule = args("chain", "INPUT", "protocol", "tcp", "destination_port", "2222", "jump", "ACCEPT",
                "comment", "fleet test");
        assertThat(run(rule, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).doesNotContain("2222");
        assertThat(run(rule, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).contains("-A INPUT -p tcp -m tcp --dport 2222 -m comment --comment \"fleet test\""
                + " -j ACCEPT");
        assertThat(run(rule, false).status()).isEqualTo(TaskStatus.OK);
        var gone = new java.util.HashMap<>(rule);
        gone.put("state", "absent");
        assertThat(run(gone, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).contains("2222");
        assertThat(run(gone, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).doesNotContain("2222");
        assertThat(run(gone, false).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void policyChainManagementAndFlush() throws Exception {
        assertThat(run(args("chain", "FORWARD", "policy", "DROP"), false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(run(args("chain", "FORWARD", "policy", "DROP"), false).status()).isEqualTo(TaskStatus.OK);
        assertThat(rules()).contains("-P FORWARD DROP");
        var chain = args("chain", "FLEET", "chain_management", true, "jump", "RETURN");
        assertThat(run(chain, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).contains("-N FLEET").contains("-A FLEET -j RETURN");
        assertThat(run(args("chain", "FLEET", "flush", true), false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).doesNotContain("-A FLEET");
        assertThat(run(args("chain", "FLEET", "state", "absent", "chain_management", true), false).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(rules()).doesNotContain("FLEET");
        TaskOutcome bad = run(args("chain", "NOSUCH", "jump", "DROP"), false);
        assertThat(bad.status()).isEqualTo(TaskStatus.FAILED);
    }
}
