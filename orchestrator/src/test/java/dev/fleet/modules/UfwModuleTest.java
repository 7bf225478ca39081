package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ufw} for real on an overlay host (its /etc/ufw files in the overlay) with every command run in a network
 * namespace of its own: the overlay hosts share this machine's network namespace, so the test makes one inside
 * the host's private mount namespace ({@code unshare --net=/run/fleet-ufw-netns}) and runs each of the module's
 * commands through {@code nsenter} into it; each command first refuses to run in this machine's namespace, and
 * the machine's own {@code iptables -S} is compared before and after.
 */
class UfwModuleTest {
    private static final String NETNS = "/run/fleet-ufw-netns";

    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private static String machineNs;
    private static String machineRules;

    @BeforeAll
    static void connect() throws Exception {
        machineNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        machineRules = machineRules();
        assumeTrue(host.exec("command -v ufw").exitCode() == 0, "ufw is not installed");
        CommandResult made = host.exec("touch " + NETNS + " && unshare --net=" + NETNS + " true && nsenter --net="
                + NETNS + " readlink /proc/self/ns/net");
        String ns = made.stdout().strip();
        assumeTrue(made.exitCode() == 0 && ns.startsWith("net:") && !ns.equals(machineNs),
                "cannot make a network namespace on the overlay host: " + made.stderr());
    }

    @AfterAll
    static void disconnect() throws Exception {
        assertThat(machineRules()).as("this machine's own rules").isEqualTo(machineRules);
    }

    private static String machineRules() throws Exception {
        Process p = new ProcessBuilder("iptables", "-S").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    /** The module with its session's commands sent into the test's network namespace. */
    private record InNamespace(Module inner) implements Module {
        public String name() {
            return inner.name();
        }

        public ArgSpec spec() {
            return inner.spec();
        }

        public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
            throw new UnsupportedOperationException("run() wraps the session");
        }

        @Override
        public TaskOutcome run(ModuleContext ctx) throws TransportException, ModuleException {
            HostSession outer = ctx.session();
            HostSession wrapped = new HostSession() {
                public String host() {
                    return outer.host();
                }

                public CommandResult exec(String command, byte[] stdin, Duration timeout) throws TransportException {
                    String guarded = "[ \"$(readlink /proc/self/ns/net)\" != " + ShellQuote.quote(machineNs)
                            + " ] || { echo refused: the machine network namespace >&2; exit 97; }\n" + command;
                    return outer.exec("nsenter --net=" + NETNS + " -- /bin/sh -c " + ShellQuote.quote(guarded),
                            stdin, timeout);
                }

                public void upload(byte[] content, String remotePath, int mode) throws TransportException {
                    outer.upload(content, remotePath, mode);
                }

                public void close() {
                    // the outer session is the host's
                }
            };
            return inner.run(new ModuleContext(wrapped, ctx.args(), ctx.check(), ctx.diff(), ctx.timeout(),
                    ctx.vars(), ctx.templater(), ctx.playbookDir()));
        }
    }

    private final Module ufw = new InNamespace(new UfwModule());

    private String userRules() throws Exception {
        return host.exec("grep '^### tuple' /etc/ufw/user.rules || true").stdout();
    }

    @Test
    void rulesWhileDisabledThenEnableAndDisableInsideTheNamespace() throws Exception {
        var allow = args("rule", "allow", "port", "2222", "proto", "tcp", "comment", "fleet test");
        TaskOutcome checked = host.run(ufw, allow, true);
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(userRules()).doesNotContain("2222");
        TaskOutcome added = host.run(ufw, allow);
        assertThat(added.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(userRules()).contains("### tuple ### allow tcp 2222 0.0.0.0/0 any 0.0.0.0/0 in comment=");
        assertThat(added.data().get("commands")).asList()
                .contains("/usr/sbin/ufw allow from any to any port 2222 proto tcp comment 'fleet test'");
        assertThat(host.run(ufw, allow).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(ufw, allow, true).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome enabled = host.run(ufw, args("state", "enabled"));
        assertThat(enabled.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(enabled.msg()).startsWith("Status: active");
        assertThat(host.run(ufw, args("state", "enabled"), true).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(ufw, args("logging", "high")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(ufw, args("default", "deny", "direction", "outgoing"), true).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(ufw, args("state", "disabled")).status()).isEqualTo(TaskStatus.CHANGED);
        var delete = args("rule", "allow", "port", "2222", "proto", "tcp", "delete", true);
        assertThat(host.run(ufw, delete).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(userRules()).doesNotContain("2222");
        assertThat(host.run(ufw, delete).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void badArgumentsAreRefused() throws Exception {
        assertThat(catchThrowable(() -> host.run(ufw, args("rule", "allow", "interface", "eth0"))))
                .hasMessageContaining("direction");
        assertThat(host.run(ufw, args("rule", "allow", "direction", "routed")).msg())
                .startsWith("For rules, direction must be");
    }
}
