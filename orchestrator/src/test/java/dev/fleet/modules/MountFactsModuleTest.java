package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mount_facts} through a real run on a lab host (it only reads): the root file system as this machine's
 * /proc/mounts has it, with sizes, facts usable by later tasks, the same under {@code --check}.
 */
class MountFactsModuleTest {
    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    @TempDir
    Path dir;

    @Test
    void theRootMountAsTheMachineSeesItWithSizes() throws Exception {
        String rootType = Files.readAllLines(Path.of("/proc/mounts")).stream().map(l -> l.split(" "))
                .filter(f -> f[1].equals("/")).map(f -> f[2]).findFirst().orElseThrow();
        String playbook = """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - mount_facts:
                        sources: [/proc/mounts]
                        fstypes: [%s]
                      register: m
                    - assert:
                        that:
                          - ansible_facts.mount_points['/'].fstype == '%s'
                          - ansible_facts.mount_points['/'].size_total > 0
                          - ansible_facts.mount_points['/'].block_used >= 0
                          - ansible_facts.mount_points['/'].ansible_context.source == '/proc/mounts'
                          - m is not changed
                """.formatted(rootType, rootType);
        FleetCli cli = new FleetCli(dir, lab.inventory(), lab.knownHosts());
        for (String[] options : new String[][] {{}, {"--check"}}) {
            Run r = cli.run(playbook, options);
            assertThat(r.exit()).as(r.describe()).isZero();
            JsonObject root = r.task("host1", 0).getJsonObject("data").getJsonObject("ansible_facts")
                    .getJsonObject("mount_points").getJsonObject("/");
            assertThat(root.getString("fstype")).isEqualTo(rootType);
            assertThat(root.getLong("inode_total")).isPositive();
        }
    }
}
