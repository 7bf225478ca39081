package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** include_tasks inside a role: the file is found in the role's tasks/ and its tasks see the role's variables. */
class IncludeInRoleTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void includedTasksOfARoleSeeItsDefaultsAndVars() throws Exception {
        write("roles/app/defaults/main.yml", "app_port: 9000\n");
        write("roles/app/vars/main.yml", "app_user: svc\n");
        write("roles/app/tasks/main.yml", "- include_tasks: setup.yml\n");
        write("roles/app/tasks/setup.yml", "- command: echo {{ app_user }}:{{ app_port }}\n");
        write("site.yml", """
                - hosts: all
                  gather_facts: false
                  roles:
                    - app
                """);
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run(dir.resolve("site.yml"), "h1\n", EngineHarness.options(Map.of()));
        assertThat(h.transport.host("h1").commandsContaining("echo")).containsExactly("echo svc:9000");
        assertThat(run.outcome().exitCode()).isZero();
    }
}
