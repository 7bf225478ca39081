package dev.fleet.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.engine.Strategies;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A malformed role, imported file or import chain is reported before any host is touched, at the line and column
 * of the file where the problem is (a role's tasks file, not the playbook that uses the role).
 */
class RoleParseErrorsTest {
    @TempDir
    Path dir;

    private Path write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private Playbook parse(String playbook) throws Exception {
        return new PlaybookParser(ModuleRegistry.builtin(), Strategies.names()).parse(write("site.yml", playbook));
    }

    private void assertError(String playbook, String where, String... fragments) {
        var a = assertThatThrownBy(() -> parse(playbook)).isInstanceOf(ParseException.class)
                .hasMessageStartingWith(dir.resolve(where) + ":");
        for (String f : fragments) a.hasMessageContaining(f);
    }

    @Test
    void anUnknownModuleInARolePointsIntoTheRolesTasksFile() throws Exception {
        write("roles/web/tasks/main.yml", "- name: fine\n  command: uptime\n- name: typo\n  comand: uptime\n");
        assertError("- hosts: all\n  roles: [web]\n", "roles/web/tasks/main.yml:4:3",
                "unknown module or task keyword 'comand'");
    }

    @Test
    void aBadHandlerOrNotifyInARolePointsIntoTheRole() throws Exception {
        write("roles/web/tasks/main.yml", "- command: uptime\n  notify: nobody\n");
        assertError("- hosts: all\n  roles: [web]\n", "roles/web/tasks/main.yml:1:3", "notifies 'nobody'");
        write("roles/web/tasks/main.yml", "- command: uptime\n");
        write("roles/web/handlers/main.yml", "- block:\n    - command: uptime\n");
        assertError("- hosts: all\n  roles: [web]\n", "roles/web/handlers/main.yml:1:3", "handlers must be tasks");
    }

    @Test
    void aMissingRoleListsEveryPlaceLookedIn() throws Exception {
        Path extra = Files.createDirectories(dir.resolve("shared-roles"));
        var parser = new PlaybookParser(ModuleRegistry.builtin(), Strategies.names(), List.of(extra));
        Path pb = write("site.yml", "- hosts: all\n  roles:\n    - role: nowhere\n");
        assertThatThrownBy(() -> parser.parse(pb)).isInstanceOf(ParseException.class)
                .hasMessageStartingWith(pb + ":3:7:")
                .hasMessageContaining("role 'nowhere' not found")
                .hasMessageContaining(dir.resolve("roles/nowhere").toString())
                .hasMessageContaining(extra.resolve("nowhere").toString())
                .hasMessageContaining("\n  " + dir.resolve("nowhere"));
    }

    @Test
    void aMissingDependencyPointsAtMetaMain() throws Exception {
        write("roles/web/meta/main.yml", "dependencies:\n  - role: base\n");
        assertError("- hosts: all\n  roles: [web]\n", "roles/web/meta/main.yml:2:5", "role 'base' not found",
                dir.resolve("roles/base").toString());
    }

    @Test
    void dependencyCyclesAreErrors() throws Exception {
        write("roles/a/meta/main.yml", "dependencies: [b]\n");
        write("roles/b/meta/main.yml", "dependencies: [a]\n");
        assertError("- hosts: all\n  roles: [a]\n", "roles/b/meta/main.yml:1:16", "role 'a' depends on itself");
    }

    @Test
    void importPlaybookCyclesAndMissingFilesAreErrors() throws Exception {
        write("other.yml", "- import_playbook: site.yml\n");
        assertError("- import_playbook: other.yml\n", "other.yml:1:20",
                "import_playbook cycle: site.yml -> other.yml -> site.yml");
        assertError("- import_playbook: missing.yml\n", "site.yml:1:20", "missing.yml not found");
        assertError("- import_playbook: other.yml\n  become: true\n", "site.yml:2:3",
                "'become' cannot be used with import_playbook");
    }

    @Test
    void importTasksErrorsPointIntoTheImportedFile() throws Exception {
        write("tasks/setup.yml", "- debug: msg=ok\n- name: broken\n  command: [not, a, string]\n");
        assertError("- hosts: all\n  tasks:\n    - import_tasks: tasks/setup.yml\n", "tasks/setup.yml:3:12",
                "must be a string or a mapping");
        write("tasks/loop.yml", "- import_tasks: loop.yml\n");
        assertError("- hosts: all\n  tasks:\n    - import_tasks: tasks/loop.yml\n", "tasks/loop.yml:1:17",
                "import_tasks cycle: loop.yml -> loop.yml");
        assertError("- hosts: all\n  tasks:\n    - import_tasks: nothere.yml\n", "site.yml:3:21",
                "task file 'nothere.yml' not found", dir.resolve("nothere.yml").toString());
        assertError("- hosts: all\n  tasks:\n    - import_tasks: tasks/setup.yml\n      loop: [1, 2]\n",
                "site.yml:4:7", "static and cannot loop");
    }

    @Test
    void importRoleAndIncludeVarsArgumentsAreChecked() throws Exception {
        write("roles/web/tasks/main.yml", "- debug: msg=web\n");
        assertError("- hosts: all\n  tasks:\n    - import_role: {name: web, tasks_from: nothere}\n",
                "site.yml:3:20", "role web has no tasks file 'nothere'");
        assertError("- hosts: all\n  tasks:\n    - import_role: {nme: web}\n", "site.yml:3:20",
                "unknown 'import_role' option 'nme'");
        assertError("- hosts: all\n  tasks:\n    - include_vars: {file: a.yml, dir: vars}\n", "site.yml:3:21",
                "exactly one of 'file' and 'dir'");
    }

    @Test
    void anImportInHandlersCannotBeNotifiedByItsOwnName() throws Exception {
        // Ansible 2.14: the imported tasks are the handlers; "The requested handler 'restart' was not found"
        write("handlers/restart.yml", "- name: restart web\n  debug: msg=restarting\n");
        assertError("""
                - hosts: all
                  tasks:
                    - command: uptime
                      notify: restart
                  handlers:
                    - name: restart
                      import_tasks: handlers/restart.yml
                """, "site.yml:3:7", "notifies 'restart'");
        Playbook ok = parse("""
                - hosts: all
                  tasks:
                    - command: uptime
                      notify: restart web
                  handlers:
                    - import_tasks: handlers/restart.yml
                """);
        assertThat(ok.plays().get(0).handlers()).extracting(Task::name).containsExactly("restart web");
    }

    @Test
    void roleKeywordsFleetDoesNotSupportAreNotTakenForParameters() throws Exception {
        write("roles/web/tasks/main.yml", "- debug: msg=web\n");
        assertError("- hosts: all\n  roles:\n    - role: web\n      port: 8080\n", "site.yml:4:7",
                "'port' is a role keyword fleet does not support");
    }
}
