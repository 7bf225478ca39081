package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * include_role as Ansible 2.14 runs it: loaded per host when the include is reached (templated names and files,
 * loops, the include's own condition), its handlers notifiable from then on, public variables from then on, apply;
 * through the engine on in-memory hosts.
 */
class IncludeRoleTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private EngineHarness.Run run(EngineHarness h, String playbook, String hosts) throws Exception {
        write("site.yml", playbook);
        return h.run(dir.resolve("site.yml"), hosts, EngineHarness.options(Map.of()));
    }

    private static void passes(EngineHarness.Run run) {
        List<String> failures = run.results().stream().filter(r -> r.status() == TaskStatus.FAILED && !r.ignored())
                .map(r -> r.host() + ": " + r.task() + " (" + r.source() + "): " + r.outcome().msg()).toList();
        assertThat(failures).isEmpty();
        assertThat(run.outcome().exitCode()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "free"})
    void theRoleIsNamedPerHostAndLoopedWithTheItemVisibleInside(String strategy) throws Exception {
        for (String r : List.of("red", "blue")) {
            write("roles/" + r + "/tasks/main.yml", "- command: echo mark-" + r
                    + "-{{ colour | default('none') }}-{{ inventory_hostname }}\n");
        }
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = run(h, """
                - hosts: all
                  gather_facts: false
                  strategy: %s
                  tasks:
                    - name: per host
                      include_role:
                        name: "{{ 'red' if inventory_hostname == 'h1' else 'blue' }}"
                    - name: per item
                      include_role:
                        name: "{{ colour }}"
                      loop: [blue, red]
                      loop_control:
                        loop_var: colour
                      when: inventory_hostname != 'h3' or colour == 'red'
                    - command: echo mark-after
                """.formatted(strategy), "h1\nh2\nh3\n");
        passes(run);
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly("echo mark-red-none-h1",
                "echo mark-blue-blue-h1", "echo mark-red-red-h1", "echo mark-after");
        assertThat(h.transport.host("h3").commandsContaining("mark-")).containsExactly("echo mark-blue-none-h3",
                "echo mark-red-red-h3", "echo mark-after");
        assertThat(run.results("per host")).extracting(TaskResult::status).containsOnly(TaskStatus.OK);
    }

    @Test
    void theIncludesConditionIsCheckedOnceNotOnEachTaskOfTheRole() throws Exception {
        write("roles/flip/tasks/main.yml", """
                - set_fact:
                    switch: false
                - name: still runs
                  command: echo mark-still
                """);
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = run(h, """
                - hosts: all
                  gather_facts: false
                  vars:
                    switch: true
                  tasks:
                    - include_role:
                        name: flip
                      when: switch
                    - name: skipped include
                      include_role:
                        name: flip
                      when: switch
                """, "h1\n");
        passes(run);
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly("echo mark-still");
        assertThat(run.status("h1", "skipped include")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(run.results().get(0).task()).isEqualTo("include_role : flip");
    }

    @Test
    void hostsThatIncludedTheSameRoleRunItTogether() throws Exception {
        write("roles/a/tasks/main.yml", "- command: echo mark-a1\n- command: echo mark-a2\n");
        write("roles/b/tasks/main.yml", "- command: echo mark-b1\n");
        EngineHarness h = new EngineHarness(dir);
        passes(run(h, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: "{{ 'a' if inventory_hostname != 'h3' else 'b' }}"
                    - command: echo mark-after
                """, "h1\nh2\nh3\n"));
        List<String> s = h.transport.log().stream().filter(l -> l.contains(": start ") && l.contains("mark-"))
                .map(l -> l.substring(0, l.indexOf(':')) + l.replaceAll(".*(mark-\\S*).*", "/$1")).toList();
        assertThat(s.indexOf("h1/mark-a2")).isGreaterThan(s.indexOf("h2/mark-a1"));
        assertThat(s.indexOf("h3/mark-b1")).isGreaterThan(s.indexOf("h2/mark-a2"));
        assertThat(s.indexOf("h1/mark-after")).isGreaterThan(s.indexOf("h3/mark-b1"));
    }

    @Test
    void fromFilesMayBeTemplatedAndPublicSharesTheRolesVariablesFromTheIncludeOn() throws Exception {
        write("roles/conf/tasks/main.yml", "- command: echo mark-main\n");
        write("roles/conf/tasks/other.yml", "- command: echo mark-other-{{ conf_var }}-{{ conf_default }}\n");
        write("roles/conf/vars/alt.yml", "conf_var: alt\n");
        write("roles/conf/defaults/main.yml", "conf_default: dflt\n");
        EngineHarness h = new EngineHarness(dir);
        passes(run(h, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: conf
                        tasks_from: "{{ kind }}.yml"
                        vars_from: alt
                      vars:
                        kind: other
                    - assert:
                        that: conf_var is undefined and conf_default is undefined
                    - include_role:
                        name: conf
                        public: true
                        vars_from: alt
                    - assert:
                        that: conf_var == 'alt' and conf_default == 'dflt'
                - hosts: all
                  gather_facts: false
                  tasks:
                    - assert:
                        that: conf_var is undefined
                """, "h1\n"));
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly("echo mark-other-alt-dflt",
                "echo mark-main");
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "free"})
    void anIncludedRolesHandlersRunAtTheFlushAndCanBeNotifiedAfterwards(String strategy) throws Exception {
        write("roles/svc/tasks/main.yml", """
                - name: configure
                  command: echo mark-configure
                  notify: restart svc
                """);
        write("roles/svc/handlers/main.yml", "- name: restart svc\n  command: echo mark-restart\n");
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = run(h, """
                - hosts: all
                  gather_facts: false
                  strategy: %s
                  tasks:
                    - include_role:
                        name: "{{ 'svc' }}"
                    - meta: flush_handlers
                    - command: echo mark-between
                      notify: "svc : restart svc"
                    - command: echo mark-end
                """.formatted(strategy), "h1\nh2\n");
        passes(run);
        assertThat(h.transport.host("h2").commandsContaining("mark-")).containsExactly("echo mark-configure",
                "echo mark-restart", "echo mark-between", "echo mark-end", "echo mark-restart");
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "free"})
    void aHandlerMayIncludeTasksWhichRunThenButNotARole(String strategy) throws Exception {
        write("reload.yml", "- command: echo mark-reload-{{ why }}\n");
        EngineHarness h = new EngineHarness(dir);
        passes(run(h, """
                - hosts: all
                  gather_facts: false
                  strategy: %s
                  tasks:
                    - command: echo mark-change
                      notify: reload
                    - command: echo mark-before-flush
                  handlers:
                    - name: reload
                      include_tasks: reload.yml
                      vars:
                        why: notified
                """.formatted(strategy), "h1\nh2\n"));
        assertThat(h.transport.host("h2").commandsContaining("mark-")).containsExactly("echo mark-change",
                "echo mark-before-flush", "echo mark-reload-notified");
        write("roles/svc/tasks/main.yml", "- debug: msg=x\n");
        assertThatThrownBy(() -> run(h, """
                - hosts: all
                  tasks:
                    - command: echo
                      notify: reload
                  handlers:
                    - name: reload
                      include_role: {name: svc}
                """, "h1\n")).isInstanceOf(ParseException.class)
                .hasMessageContaining("'include_role' cannot be a handler");
    }

    @Test
    void applyGivesTheRolesTasksKeywordsAndTheIncludesTagsSelectOnlyTheInclude() throws Exception {
        write("roles/t/tasks/main.yml", "- command: echo mark-t-{{ inventory_hostname }}\n");
        write("roles/u/tasks/main.yml", "- command: echo mark-u\n");
        write("site.yml", """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: t
                        apply:
                          tags: [foo]
                          when: inventory_hostname == 'h1'
                      tags: [always]
                    - include_role:
                        name: u
                      tags: [always]
                    - include_role:
                        name: t
                        apply: {tags: [foo]}
                      tags: [other]
                """);
        RunOptions d = EngineHarness.options(Map.of());
        RunOptions foo = new RunOptions(d.forks(), d.limit(), d.user(), d.privateKey(), d.connectTimeout(),
                d.taskTimeout(), d.extraVars(), false, false, java.util.Set.of("foo"), java.util.Set.of(), null);
        EngineHarness h = new EngineHarness(dir);
        passes(h.run(dir.resolve("site.yml"), "h1\nh2\n", foo));
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly("echo mark-t-h1");
        assertThat(h.transport.host("h2").commandsContaining("mark-")).isEmpty();
    }

    @Test
    void aRoleIncludedFromARoleIsFoundBesideItAndSeesItsVariables() throws Exception {
        write("roles/outer/vars/main.yml", "outer_var: from outer\n");
        write("roles/outer/tasks/main.yml", "- include_role:\n    name: \"{{ 'inner' }}\"\n");
        write("roles/inner/tasks/main.yml", """
                - command: echo mark-{{ outer_var }}-{{ role_name }}-{{ ansible_parent_role_names | join(',') }}
                """);
        EngineHarness h = new EngineHarness(dir);
        passes(run(h, "- hosts: all\n  gather_facts: false\n  roles: [outer]\n", "h1\n"));
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly(
                "echo mark-from outer-inner-outer");
    }

    @Test
    void aRoleRunsAgainOnEveryIncludeUnlessItDisallowsDuplicatesAfterAnEqualIncludeRan() throws Exception {
        write("roles/once/tasks/main.yml", "- command: echo mark-once\n");
        EngineHarness h = new EngineHarness(dir);
        passes(run(h, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_role: {name: once}
                    - include_role: {name: once}
                    - include_role: {name: once, allow_duplicates: false}
                    - include_role: {name: once, allow_duplicates: false}
                """, "h1\n"));
        // Ansible 2.14: includes of a role with equal arguments share one role, which has run on the host
        assertThat(h.transport.host("h1").commandsContaining("mark-")).hasSize(2);
    }

    @Test
    void whatCanBeCheckedUpFrontIsAndATemplatedNameThatIsMissingFailsTheHost() throws Exception {
        write("roles/web/tasks/main.yml", "- debug: msg=x\n");
        EngineHarness h = new EngineHarness(dir);
        assertThatThrownBy(() -> run(h, """
                - hosts: all
                  tasks:
                    - include_role:
                        name: web
                      become: true
                """, "h1\n")).isInstanceOf(ParseException.class).hasMessageContaining("apply: {become:")
                .hasMessageContaining(":5:");
        assertThatThrownBy(() -> run(h, """
                - hosts: all
                  tasks:
                    - include_role:
                        name: nope
                """, "h1\n")).isInstanceOf(ParseException.class).hasMessageContaining("role 'nope' not found");
        assertThatThrownBy(() -> run(h, """
                - hosts: all
                  tasks:
                    - include_role:
                        name: web
                        tasks_from: absent
                """, "h1\n")).isInstanceOf(ParseException.class).hasMessageContaining("no tasks file 'absent'");
        EngineHarness.Run run = run(h, """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: templated
                      include_role:
                        name: "{{ 'no' }}pe"
                      ignore_errors: true
                    - name: after
                      include_role:
                        name: web
                """, "h1\n");
        TaskResult failed = run.results("templated").get(0);
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.outcome().msg()).contains("role 'nope' not found");
        assertThat(run.status("h1", "web : debug")).isEqualTo(TaskStatus.OK);
    }
}
