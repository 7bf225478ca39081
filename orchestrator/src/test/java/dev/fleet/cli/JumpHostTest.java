package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Jump hosts (ProxyJump): the target is reached through a tunnel the jump host's sshd opens. */
class JumpHostTest {
    @TempDir
    Path dir;
    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    /** Logins the jump host's sshd accepted so far (VERBOSE log). */
    static long logins(String host) throws IOException {
        return Files.readAllLines(lab.log(host)).stream().filter(l -> l.contains("Accepted publickey")).count();
    }

    /** fleet run on an inventory of host2 alone, reached as {@code jumpVars} say. */
    Run runOnHost2(String jumpVars) throws IOException {
        var h2 = lab.host("host2");
        Path inv = dir.resolve("inv.ini");
        Files.writeString(inv, "host2 ansible_host=" + h2.address() + " ansible_port=" + h2.port() + " ansible_user="
                + lab.user() + " ansible_ssh_private_key_file=" + lab.privateKey() + " " + jumpVars + "\n");
        return new FleetCli(dir, inv, lab.knownHosts())
                .run("- hosts: all\n  gather_facts: false\n  tasks:\n    - command: echo through\n");
    }

    @Test
    void proxyJumpInSshCommonArgsTunnelsThroughTheJumpHost() throws IOException {
        var h1 = lab.host("host1");
        long before = logins("host1");
        Run r = runOnHost2("ansible_ssh_common_args='-o ProxyJump=" + lab.user() + "@" + h1.address() + ":"
                + h1.port() + "'");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.task("host2", 0).getString("stdout")).isEqualTo("through");
        assertThat(logins("host1")).as("the jump host saw a login").isEqualTo(before + 1);
    }

    @Test
    void anUnreachableJumpHostMakesTheTargetUnreachable() throws IOException {
        Run r = runOnHost2("ansible_jump_host=127.0.0.1:1");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.task("host2", 0).getString("msg")).contains("127.0.0.1:1");
    }

    @Test
    void jumpSpecsParseAsOpenSshWritesThem() {
        var base = new dev.fleet.transport.ConnectionSpec("web", "10.0.0.5", 22, "deploy", java.util.List.of(),
                java.time.Duration.ofSeconds(5));
        var j = base.via("ops@bastion.example.com:2222").jump();
        assertThat(j.user()).isEqualTo("ops");
        assertThat(j.address()).isEqualTo("bastion.example.com");
        assertThat(j.port()).isEqualTo(2222);
        assertThat(base.via("bastion").jump().user()).isEqualTo("deploy");
        assertThat(base.via("bastion").jump().port()).isEqualTo(22);
        assertThat(dev.fleet.engine.HostTaskExecutorAccess.jumpHost(Map.of("ansible_ssh_common_args",
                "-o StrictHostKeyChecking=no -J admin@jump:22"))).isEqualTo("admin@jump:22");
    }
}
