package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getent against a real sshd on this machine: its answers must be what getent says here. */
class GetentModuleTest {
    @TempDir
    static Path labDir;
    static ModuleHost host;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(dev.fleet.testing.SshdFixture.sshdAvailable(), "OpenSSH sshd not installed");
        host = ModuleHost.start(labDir);
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void rootInPasswdIsWhatGetentSaysHere() throws Exception {
        TaskOutcome o = host.run(new GetentModule(), Map.of("database", "passwd", "key", "root"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        Map<String, Object> facts = (Map<String, Object>) o.data().get("ansible_facts");
        String line = ModuleHost.local("getent", "passwd", "root");
        List<String> expected = List.of(line.split(":", -1)).subList(1, 7);
        assertThat((Map<String, Object>) facts.get("getent_passwd")).containsEntry("root", expected);
    }

    @Test
    void aMissingUserFails() throws Exception {
        TaskOutcome o = host.run(new GetentModule(), Map.of("database", "passwd", "key", "fleet-no-such-user"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).contains("could not be found");
    }
}
