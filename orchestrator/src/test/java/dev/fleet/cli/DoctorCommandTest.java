package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdFixture.LabHost;
import dev.fleet.testing.SshdLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet doctor} against real sshd faults, one per host: a host that works, a stopped sshd, a changed host
 * key, a host key not in known_hosts, a key the server does not accept, and a user that does not exist. Each must
 * land in its own group with the fix for it, and the exit code says that some hosts cannot log in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DoctorCommandTest {
    @RegisterExtension
    static final SshdLab lab = new SshdLab(6);

    @TempDir
    Path dir;

    @Test
    void everyFaultIsNamedWithItsFix() throws Exception {
        lab.stop("host2");
        try {
            Path otherKey = dir.resolve("other_ed25519");
            Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                    otherKey.toString()).redirectErrorStream(true).start();
            keygen.getInputStream().readAllBytes();
            assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // known_hosts: host3 is listed with host1's key (changed), host4 is missing (unknown)
            LabHost h1 = lab.host("host1");
            LabHost h3 = lab.host("host3");
            StringBuilder kh = new StringBuilder();
            for (LabHost h : lab.hosts()) {
                if (h.name().equals("host4")) continue;
                kh.append(h.name().equals("host3") ? "[" + h3.address() + "]:" + h3.port() + " "
                        + h1.hostKeyPublicLine().split("\\s+")[0] + " " + h1.hostKeyPublicLine().split("\\s+")[1]
                        : h.knownHostsLine()).append('\n');
            }
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), kh.toString());
            String inventory = Files.readString(lab.inventory())
                    .replaceFirst("(?m)^(host5 .*ansible_ssh_private_key_file=)\\S+", "$1" + otherKey)
                    .replaceFirst("(?m)^(host6 .*ansible_user=)\\S+", "$1nosuchuser");
            Path inv = Files.writeString(dir.resolve("inventory.ini"), inventory);

            Run r = FleetCli.fleet("doctor", "-i", inv.toString(), "--known-hosts", knownHosts.toString(), "-T", "5");
            String out = r.out();
            assertThat(r.exit()).as(out + r.err()).isEqualTo(3);
            assertThat(out).contains("fleet doctor: 6 hosts: 1 ready, 5 not");
            assertThat(out).containsPattern(
                    "XX nothing listens on the SSH port: host2\n.*refused.*\n\\s+fix: start sshd");
            assertThat(out).containsPattern("XX the host key changed: host3\n.*expected .*SHA256:.*, got .*SHA256:");
            assertThat(out).contains("fix: only if the host was reinstalled: ssh-keygen -R '[" + h3.address() + "]:"
                    + h3.port() + "' -f " + knownHosts);
            assertThat(out).containsPattern("XX the host key is not in known_hosts: host4\n");
            assertThat(out).contains("ssh-keyscan -p " + lab.host("host4").port() + " " + lab.host("host4").address()
                    + " >> " + knownHosts);
            assertThat(out).containsPattern("XX the server accepted none of the offered keys[^:]*: host5\n");
            assertThat(out).containsPattern("XX the server accepted none of the offered keys[^:]*: host6\n");
            assertThat(out).contains("ssh-copy-id -i " + otherKey + ".pub " + lab.user() + "@" + lab.host("host5")
                    .address() + " -p " + lab.host("host5").port());
            assertThat(out).contains("nosuchuser@" + lab.host("host6").address());
            assertThat(out).containsPattern("ok logs in: host1");
        } finally {
            lab.restart("host2");
        }
    }

    @Test
    void allHostsReadyExitsZero() {
        Run r = FleetCli.fleet("doctor", "-i", lab.inventory().toString(), "--known-hosts",
                lab.knownHosts().toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("fleet doctor: 6 hosts: 6 ready, 0 not").contains("ok logs in (6 hosts): host1, "
                + "host2, host3, host4, host5, host6");
    }

    @Test
    void badOptionsStopBeforeAnyHost() {
        Run r = FleetCli.fleet("doctor", "-i", dir.resolve("missing.ini").toString());
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("missing.ini not found");
    }
}
