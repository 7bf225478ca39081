package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** service_facts against a real sshd on this machine: what it reports is what {@code service --status-all} says. */
class ServiceFactsModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/service")), "no service command");
        assumeTrue(!Files.readString(Path.of("/proc/1/comm")).contains("systemd"), "this machine runs systemd");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theInitScriptsAreWhatServiceStatusAllListsHere() throws Exception {
        TaskOutcome o = host.run(new ServiceFactsModule(), Map.of());
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        Map<String, Object> services = (Map<String, Object>) ((Map<String, Object>) o.data().get("ansible_facts"))
                .get("services");
        Map<String, Object> expected = new LinkedHashMap<>();
        for (String line : ModuleLab.local("sh", "-c", "service --status-all 2>/dev/null").split("\n")) {
            String l = line.strip();
            if (!l.startsWith("[ + ]") && !l.startsWith("[ - ]")) continue;
            String name = l.substring(5).strip();
            expected.put(name, Map.of("name", name, "state", l.startsWith("[ + ]") ? "running" : "stopped",
                    "source", "sysv"));
        }
        assertThat(expected).isNotEmpty();
        assertThat(services).isEqualTo(expected);
    }

    @Test
    void anArgumentIsRefused() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(
                () -> host.run(new ServiceFactsModule(), Map.of("name", "ssh"))))
                .isInstanceOf(ModuleException.class).hasMessageContaining("name");
    }
}
