package dev.fleet.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.SshdFixture.LabHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the fixture with OpenSSH's own client: if this fails, the transport tests cannot be trusted. */
class SshdFixtureTest {

    @BeforeAll
    static void requireSshd() {
        assumeTrue(SshdFixture.sshdAvailable(), "OpenSSH sshd/ssh-keygen not installed");
    }

    @Test
    void opensshClientLogsInToEveryHostWithStrictHostKeyChecking(@TempDir Path dir) throws Exception {
        try (SshdFixture lab = SshdFixture.start(dir, 2)) {
            assertThat(lab.hosts()).hasSize(2);
            assertThat(lab.hosts().get(0).address()).isNotEqualTo(lab.hosts().get(1).address());
            assertThat(lab.hosts().get(0).hostKeyPublicLine()).isNotEqualTo(lab.hosts().get(1).hostKeyPublicLine());
            for (LabHost h : lab.hosts()) {
                Result r = ssh(lab, h, "echo hello-$(id -un)");
                assertThat(r.exit).as("ssh to %s: %s", h, r.output).isZero();
                assertThat(r.output).contains("hello-" + lab.user());
            }
            String inventory = Files.readString(lab.inventory());
            LabHost h1 = lab.hosts().get(0);
            assertThat(inventory).startsWith("[lab]\n").contains("host1 ansible_host=" + h1.address()
                    + " ansible_port=" + h1.port() + " ansible_user=" + lab.user()
                    + " ansible_ssh_private_key_file=" + lab.privateKey());
            assertThat(Files.readAllLines(lab.knownHosts())).hasSize(2).allMatch(l -> l.startsWith("[127.0.0."));
        }
    }

    @Test
    void stopRefusesConnectionsAndRestartServesTheSameKeyAgain(@TempDir Path dir) throws Exception {
        try (SshdFixture lab = SshdFixture.start(dir, 1)) {
            LabHost h = lab.hosts().get(0);
            lab.stop("host1");
            assertThat(lab.running("host1")).isFalse();
            assertThat(canConnect(h)).isFalse();
            lab.restart("host1");
            assertThat(canConnect(h)).isTrue();
            // Same key on restart: strict checking against the unchanged known_hosts still passes.
            Result r = ssh(lab, h, "true");
            assertThat(r.exit).as(r.output).isZero();
        }
        // close() leaves nothing listening behind.
    }

    @Test
    void closeKillsEstablishedSessionsToo(@TempDir Path dir) throws Exception {
        LabHost h;
        Process session;
        try (SshdFixture lab = SshdFixture.start(dir, 1)) {
            h = lab.hosts().get(0);
            session = new ProcessBuilder(sshCommand(lab, h, "sleep 120")).redirectErrorStream(true).start();
            Thread.sleep(1000);
            assertThat(session.isAlive()).isTrue();
        }
        assertThat(session.waitFor(10, TimeUnit.SECONDS)).as("ssh session ended when the host was closed").isTrue();
        assertThat(canConnect(h)).isFalse();
    }

    private record Result(int exit, String output) {}

    private static Result ssh(SshdFixture lab, LabHost h, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(sshCommand(lab, h, command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static List<String> sshCommand(SshdFixture lab, LabHost h, String command) {
        return new ArrayList<>(List.of("ssh", "-i", lab.privateKey().toString(),
                "-F", "/dev/null",
                "-o", "UserKnownHostsFile=" + lab.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes",
                "-p", String.valueOf(h.port()),
                lab.user() + "@" + h.address(), command));
    }

    private static boolean canConnect(LabHost h) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(h.address(), h.port()), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
