package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --list-tasks shows what a run with the same --tags/--skip-tags would run, as ansible-playbook does. */
class ListTasksTest {
    @TempDir
    Path dir;

    @Test
    void listTasksHonoursTagsAndSkipTags() throws Exception {
        Path pb = Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - {name: tagged a, command: echo a, tags: [a]}
                    - {name: tagged b, command: echo b, tags: [b]}
                    - {name: always runs, command: echo c, tags: [always]}
                """);
        FleetCli.Run onlyA = FleetCli.fleet("run", "-i", "h1,", pb.toString(), "--list-tasks", "--tags", "a");
        assertThat(onlyA.exit()).isZero();
        assertThat(onlyA.out()).contains("tagged a").contains("always runs").doesNotContain("tagged b");
        FleetCli.Run skipA = FleetCli.fleet("run", "-i", "h1,", pb.toString(), "--list-tasks", "--skip-tags", "a");
        assertThat(skipA.out()).contains("tagged b").doesNotContain("tagged a");
    }
}
