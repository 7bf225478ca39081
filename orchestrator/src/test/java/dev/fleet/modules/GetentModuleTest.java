package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** getent against a real sshd on this machine: its answers must be what getent says here. */
class GetentModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @Test
    @SuppressWarnings("unchecked")
    void rootInPasswdIsWhatGetentSaysHere() throws Exception {
        TaskOutcome o = host.run(new GetentModule(), Map.of("database", "passwd", "key", "root"));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        Map<String, Object> facts = (Map<String, Object>) o.data().get("ansible_facts");
        String line = ModuleLab.local("getent", "passwd", "root");
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
