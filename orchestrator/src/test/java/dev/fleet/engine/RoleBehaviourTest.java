package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles, static imports and include_vars through the real engine against in-memory hosts. Each tree was run under
 * ansible-playbook 2.14 first (same files, same assertions, same order of tasks and handlers).
 */
class RoleBehaviourTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private EngineHarness.Run passes(String playbook) throws Exception {
        write("site.yml", playbook);
        EngineHarness.Run run = new EngineHarness(dir).run(dir.resolve("site.yml"), "h1\n",
                EngineHarness.options(Map.of()));
        List<String> failures = run.results().stream().filter(r -> r.status() == TaskStatus.FAILED && !r.ignored())
                .map(r -> r.task() + " (" + r.source() + "): " + r.outcome().msg()).toList();
        assertThat(failures).isEmpty();
        assertThat(run.outcome().exitCode()).isZero();
        return run;
    }

    private static List<String> tasks(EngineHarness.Run run) {
        return run.results().stream().map(TaskResult::task).toList();
    }

    @Test
    void aRoleRunsOncePerPlayUnlessItsParametersDifferOrItAllowsDuplicates() throws Exception {
        write("roles/dup/meta/main.yml", "allow_duplicates: true\n");
        write("roles/dup/tasks/main.yml", "- name: dup\n  debug: msg=dup\n");
        write("roles/nodup/tasks/main.yml", "- name: nodup {{ p | default(0) }}\n  debug: msg=nodup\n");
        EngineHarness.Run run = passes("""
                - hosts: all
                  gather_facts: false
                  roles:
                    - dup
                    - dup
                    - nodup
                    - nodup
                    - {role: nodup, p: 2}
                  tasks:
                    - import_role: {name: nodup}
                    - import_role: {name: nodup}
                """);
        // import_role runs every time it is written
        assertThat(tasks(run)).containsExactly("dup : dup", "dup : dup", "nodup : nodup 0", "nodup : nodup 2",
                "nodup : nodup 0", "nodup : nodup 0");
    }

    @Test
    void aRolesWhenAndTagsReachItsDependencies() throws Exception {
        write("roles/dep/tasks/main.yml", "- name: dep\n  debug: msg=dep\n");
        write("roles/top/meta/main.yml", "dependencies: [dep]\n");
        write("roles/top/tasks/main.yml", "- name: top\n  debug: msg=top\n");
        EngineHarness.Run run = passes("""
                - hosts: all
                  gather_facts: false
                  roles:
                    - {role: top, when: false}
                    - {role: top, tags: [tt]}
                """);
        assertThat(run.results()).extracting(r -> r.task() + "=" + r.status()).containsExactly(
                "dep : dep=SKIPPED", "top : top=SKIPPED", "dep : dep=OK", "top : top=OK");
        var play = new RunSetup().parse(dir.resolve("site.yml")).plays().get(0);
        assertThat(play.allTasks().get(2).keywords().tags()).containsExactly("tt");
    }

    @Test
    void importsHandlersIncludeVarsAndImportedPlaybooks() throws Exception {
        write("roles/r2/tasks/main.yml", "- import_role: {name: dep2}\n  vars: {z: importvars}\n");
        write("roles/dep2/tasks/main.yml", """
                - assert:
                    that:
                      - ansible_parent_role_names == ['r2']
                      - role_name == 'dep2'
                      - z == 'importvars'
                """);
        write("roles/hi/handlers/main.yml", "- name: hi\n  debug: msg=import-role-handler\n");
        write("roles/ho/tasks/main.yml", "- command: echo\n  notify: [hr, hp, hi, \"hr two\", topic]\n");
        write("roles/ho/handlers/main.yml", "- name: hr\n  debug: msg=role-handler\n");
        write("handlers/more.yml", "- name: hr two\n  debug: msg=imported\n- name: listener\n  debug: msg=l\n"
                + "  listen: topic\n");
        // roles and vars_files of an imported playbook are found beside it
        write("sub/roles/subrole/tasks/main.yml",
                "- assert: {that: \"role_path is search('sub/roles/subrole$') and subvar == 1\"}\n");
        write("sub/vars/s.yml", "subvar: 1\npv2: varsfile\n");
        write("sub/imported.yml", """
                - hosts: all
                  gather_facts: false
                  vars_files: [vars/s.yml]
                  vars: {pv: own}
                  roles: [subrole]
                  tasks:
                    - assert: {that: "pv == 'fromimport' and pv2 == 'varsfile'"}
                """);
        write("vars/dd/b.yml", "iv2: b\niv3: b\n");
        write("vars/dd/sub/c.yml", "iv3: c\n");
        write("vars/dd/x.json", "{\"j\": 1}\n");
        write("vars/dd/readme.txt", "not vars\n");
        write("vars/a.yml", "iv1: a\niv2: a\n");
        EngineHarness.Run run = passes("""
                - import_playbook: sub/imported.yml
                  vars: {pv: fromimport, pv2: fromimport}
                - hosts: all
                  gather_facts: false
                  roles: [ho]
                  tasks:
                    - import_role: {name: r2}
                    - assert: {that: "z == 'importvars'"}
                    - import_role: {name: hi}
                    - set_fact: {iv2: setfact}
                    - include_vars: {file: a.yml}
                    - include_vars: {dir: vars/dd, name: nested, ignore_unknown_extensions: true}
                    - include_vars: {dir: vars/dd, depth: 1, files_matching: '^b', name: n2}
                    - include_vars: {dir: vars/dd, ignore_files: ['b.yml', 'readme.txt'], name: n3}
                    - include_vars: {dir: vars/dd, name: n4}
                      ignore_errors: true
                      register: bad
                    - assert:
                        that:
                          - iv1 == 'a'
                          - iv2 == 'setfact'
                          - nested.iv2 == 'b' and nested.iv3 == 'c' and nested.j == 1 and nested | length == 3
                          - n2.iv2 == 'b' and n2.iv3 == 'b' and n2 | length == 2
                          - n3.j == 1 and n3.iv3 == 'c' and n3 | length == 2
                          - bad is failed
                          - bad.ansible_included_var_files | length == 1
                  handlers:
                    - name: hp
                      debug: msg=play-handler
                    - import_tasks: handlers/more.yml
                """);
        // Ansible's handler order: the roles' handlers, the play's own, then those of import_role
        List<String> all = tasks(run);
        assertThat(all.subList(all.size() - 5, all.size())).containsExactly("ho : hr", "hp", "hr two", "listener",
                "hi : hi");
        assertThat(run.results().stream().filter(r -> r.task().equals("include_vars")).toList().get(4).outcome()
                .msg()).contains("readme.txt does not have a valid extension: yaml, yml, json");
    }

    @Test
    void importPlaybookWhenSkipsTheImportedTasksButNotTheirHandlersAndTagsSelect() throws Exception {
        write("other.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: imported
                      command: echo
                      notify: h
                  handlers:
                    - name: h
                      debug: msg=h
                """);
        EngineHarness.Run run = passes("- import_playbook: other.yml\n  when: false\n  tags: [t]\n");
        assertThat(run.status("h1", "imported")).isEqualTo(TaskStatus.SKIPPED);
        var play = new RunSetup().parse(dir.resolve("site.yml")).plays().get(0);
        assertThat(play.handlers().get(0).keywords().when()).isEmpty();
        assertThat(play.handlers().get(0).keywords().tags()).containsExactly("t");
    }

    @Test
    void rolesComeFromTheRolesPathAndCollections() throws Exception {
        write("elsewhere/shared/tasks/main.yml", "- assert: {that: \"role_name == 'shared'\"}\n");
        write("collections/ansible_collections/acme/tools/roles/hello/tasks/main.yml",
                "- name: hello\n  assert: {that: \"role_name == 'hello' and ansible_role_name == 'acme.tools.hello'\"}"
                        + "\n");
        write("site.yml", "- hosts: all\n  gather_facts: false\n  roles: [shared, acme.tools.hello]\n");
        var parser = new dev.fleet.playbook.PlaybookParser(dev.fleet.modules.ModuleRegistry.builtin(),
                Strategies.names(), List.of(dir.resolve("elsewhere")));
        var play = parser.parse(dir.resolve("site.yml")).plays().get(0);
        assertThat(play.allTasks()).extracting(t -> t.role().path())
                .containsExactly(dir.resolve("elsewhere/shared"),
                        dir.resolve("collections/ansible_collections/acme/tools/roles/hello"));
        assertThat(play.allTasks().get(1).displayName()).isEqualTo("acme.tools.hello : hello");
        // what a dynamic include_role calls at run time
        var role = parser.includeRole("shared", Map.of("v", 1), Map.of(), true, dev.fleet.playbook.Keywords.NONE,
                dir, null, dev.fleet.yaml.SourcePosition.of("site.yml"));
        assertThat(role.dir()).isEqualTo(dir.resolve("elsewhere/shared"));
        assertThat(role.exportVars()).containsEntry("v", 1);
        assertThat(role.tasks()).hasSize(1);
        assertThat(RunSetup.rolesPath(Map.of("ANSIBLE_ROLES_PATH", "/a/roles::~/r")))
                .containsExactly(Path.of("/a/roles"), Path.of(System.getProperty("user.home"), "r"));
    }

    @Test
    void aHandlerNameDefinedAgainByALaterRoleNotifiesTheLastOne() throws Exception {
        write("roles/a/tasks/main.yml", "- command: echo\n  notify: restart\n");
        write("roles/a/handlers/main.yml", "- name: restart\n  debug: msg=A\n");
        write("roles/b/handlers/main.yml", "- name: restart\n  debug: msg=B\n");
        EngineHarness.Run bare = passes("- hosts: all\n  gather_facts: false\n  roles: [a, b]\n");
        assertThat(tasks(bare)).containsExactly("a : command echo", "b : restart");
        EngineHarness.Run both = passes("""
                - hosts: all
                  gather_facts: false
                  roles: [a, b]
                  tasks:
                    - command: echo
                      notify: "a : restart"
                """);
        assertThat(tasks(both)).containsExactly("a : command echo", "command echo", "a : restart", "b : restart");
    }

    @Test
    void aRoleWithAnArgumentSpecStartsByCheckingWhatItIsGiven() throws Exception {
        write("roles/s/meta/argument_specs.yml", """
                argument_specs:
                  main:
                    short_description: the s role
                    options:
                      srv_port: {type: int, required: true}
                      mode: {type: str, choices: [a, b], default: a}
                      flag: {type: bool}
                """);
        write("roles/s/tasks/main.yml", "- name: run\n  debug: {msg: \"{{ mode | default('unset') }}\"}\n");
        write("site.yml", """
                - hosts: all
                  gather_facts: false
                  roles:
                    - {role: s, srv_port: "80"}
                    - {role: s, srv_port: x, mode: c, flag: maybe}
                """);
        EngineHarness.Run run = new EngineHarness(dir).run(dir.resolve("site.yml"), "h1\n",
                EngineHarness.options(Map.of()));
        String check = "s : Validating arguments against arg spec 'main' - the s role";
        List<TaskResult> checks = run.results(check);
        assertThat(checks).extracting(TaskResult::status).containsExactly(TaskStatus.OK, TaskStatus.FAILED);
        // the spec's default documents the role: Ansible 2.14 does not set it
        assertThat(run.results("s : run").get(0).outcome().msg()).isEqualTo("unset");
        assertThat(checks.get(1).outcome().msg().split("\n")).satisfiesExactly(
                l -> assertThat(l).isEqualTo("Validation of arguments failed:"),
                l -> assertThat(l).isEqualTo("argument 'srv_port' is of type <class 'str'> and we were unable to"
                        + " convert to int: <class 'str'> cannot be converted to an int"),
                l -> assertThat(l).startsWith("argument 'flag' is of type <class 'str'> and we were unable to"
                        + " convert to bool: The value 'maybe' is not a valid boolean."),
                l -> assertThat(l).isEqualTo("value of mode must be one of: a, b, got: c"));
        assertThat(checks.get(1).outcome().data().get("validate_args_context")).isEqualTo(Map.of("type", "role",
                "name", "s", "argument_spec_name", "main", "path", dir.resolve("roles/s").toString()));
    }

    @Test
    void aRoleParameterTheSpecDoesNotKnowFailsAndTheCheckRunsWhateverTagsAreSelected() throws Exception {
        write("roles/s/meta/argument_specs.yml", "argument_specs:\n  main:\n    options:\n      size: {type: int}\n");
        write("roles/s/tasks/main.yml", "- name: run\n  debug: {msg: ran}\n  tags: [t]\n");
        write("site.yml", """
                - hosts: all
                  gather_facts: false
                  roles:
                    - {role: s, size: 1, colour: red}
                """);
        EngineHarness.Run run = new EngineHarness(dir).run(dir.resolve("site.yml"), "h1\n",
                EngineHarness.options(Map.of()));
        TaskResult check = run.results("s : Validating arguments against arg spec 'main'").get(0);
        assertThat(check.outcome().msg()).isEqualTo("Validation of arguments failed:\n"
                + "colour. Supported parameters include: size.");
        write("site.yml", "- hosts: all\n  gather_facts: false\n  roles: [{role: s, size: x}]\n  tags: [t]\n");
        RunOptions d = EngineHarness.options(Map.of());
        RunOptions onlyOther = new RunOptions(d.forks(), d.limit(), d.user(), d.privateKey(), d.connectTimeout(),
                d.taskTimeout(), d.extraVars(), false, false, java.util.Set.of("other"), java.util.Set.of(), null);
        run = new EngineHarness(dir).run(dir.resolve("site.yml"), "h1\n", onlyOther);
        assertThat(run.results("s : Validating arguments against arg spec 'main'"))
                .extracting(TaskResult::status).containsExactly(TaskStatus.FAILED);
    }

    @Test
    void importTasksInARoleLooksBesideTheImportingFileThenInTheRolesTasks() throws Exception {
        write("roles/r/tasks/main.yml", "- import_tasks: sub/a.yml\n");
        write("roles/r/tasks/sub/a.yml", "- import_tasks: b.yml\n");
        write("roles/r/tasks/b.yml", "- name: tasks-b\n  debug: msg=b\n");
        write("roles/r/tasks/sub/b.yml", "- name: sub-b\n  debug: msg=b\n");
        assertThat(tasks(passes("- hosts: all\n  gather_facts: false\n  roles: [r]\n"))).containsExactly("r : sub-b");
        Files.delete(dir.resolve("roles/r/tasks/sub/b.yml"));
        assertThat(tasks(passes("- hosts: all\n  gather_facts: false\n  roles: [r]\n"))).containsExactly("r : tasks-b");
    }

    @Test
    void includeVarsMergesMappingsWithHashBehaviourMerge() throws Exception {
        write("m.yml", "cfg:\n  b: 2\n  n: {y: 2}\n");
        passes("""
                - hosts: all
                  gather_facts: false
                  vars:
                    cfg: {a: 1, n: {x: 1}}
                  tasks:
                    - include_vars: {file: m.yml, hash_behaviour: merge}
                    - assert:
                        that:
                          - cfg.a == 1 and cfg.b == 2
                          - cfg.n.x == 1 and cfg.n.y == 2
                """);
    }

    @Test
    void includeRoleWithALiteralNameRunsTheRoleWithItsVarsHandlersAndApply() throws Exception {
        write("roles/web/defaults/main.yml", "port: 80\n");
        write("roles/web/tasks/main.yml", """
                - name: configure
                  command: echo configure {{ port }}
                  notify: reload web
                - set_fact:
                    web_port: "{{ port }}"
                """);
        write("roles/web/tasks/extra.yml", "- name: extra\n  debug: msg=extra\n");
        write("roles/web/handlers/main.yml", "- name: reload web\n  command: echo reloaded\n");
        EngineHarness.Run run = passes("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: web
                        apply:
                          tags: [web]
                      vars:
                        port: 8080
                    - include_role:
                        name: web
                        tasks_from: extra
                      when: web_port | int == 8080
                    - assert:
                        that: web_port | int == 8080
                """);
        // include_role is dynamic, as in Ansible: the include is a task of its own (its condition checked once,
        // when it is reached), then the role's tasks
        assertThat(tasks(run)).containsExactly("include_role : web", "web : configure", "web : set_fact",
                "include_role : web", "web : extra", "assert", "web : reload web");
    }

    @Test
    void includeRoleWithATemplatedNameLoadsTheRoleWhenTheHostReachesIt() throws Exception {
        write("roles/web/tasks/main.yml", "- debug: msg=x\n");
        EngineHarness.Run run = passes("""
                - hosts: all
                  gather_facts: false
                  vars:
                    which: web
                  tasks:
                    - include_role:
                        name: "{{ which }}"
                """);
        assertThat(tasks(run)).containsExactly("include_role : web", "web : debug");
    }
}
