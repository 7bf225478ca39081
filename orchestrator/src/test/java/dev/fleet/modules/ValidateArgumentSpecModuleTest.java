package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code validate_argument_spec} through fleet run on a real host: as a task, and as the check a role with
 * {@code meta/argument_specs.yml} starts with (the role's tasks do not run when it fails).
 */
class ValidateArgumentSpecModuleTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(1);

    @Test
    void aRolesCheckStopsTheRoleAndTheTaskFormReportsEveryError() throws Exception {
        Files.createDirectories(dir.resolve("roles/web/meta"));
        Files.createDirectories(dir.resolve("roles/web/tasks"));
        Files.writeString(dir.resolve("roles/web/meta/argument_specs.yml"), """
                argument_specs:
                  main:
                    options:
                      web_port: {type: int, required: true}
                """);
        Files.writeString(dir.resolve("roles/web/tasks/main.yml"), "- command: touch " + dir.resolve("ran") + "\n");
        Files.writeString(dir.resolve("site.yml"), """
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - validate_argument_spec:
                        argument_spec: {size: {type: int}, mode: {choices: [a, b]}}
                        provided_arguments: {size: big, mode: c}
                      ignore_errors: true
                    - include_role: {name: web}
                      vars: {web_port: eighty}
                """);
        Run r = new FleetCli(dir, lab.inventory(), lab.knownHosts()).runFile(dir.resolve("site.yml"));
        assertThat(r.exit()).as(r.describe()).isEqualTo(2);
        assertThat(r.task("host1", 0).getString("msg")).isEqualTo("""
                Validation of arguments failed:
                argument 'size' is of type <class 'str'> and we were unable to convert to int: <class 'str'> \
                cannot be converted to an int
                value of mode must be one of: a, b, got: c""");
        // include_role is a task of its own (dynamic, as in Ansible), then the role's check
        assertThat(r.task("host1", 1).getString("task")).isEqualTo("include_role : web");
        assertThat(r.task("host1", 2).getString("task"))
                .isEqualTo("web : Validating arguments against arg spec 'main'");
        assertThat(r.task("host1", 2).getString("status")).isEqualTo("failed");
        assertThat(dir.resolve("ran")).doesNotExist();
    }
}
