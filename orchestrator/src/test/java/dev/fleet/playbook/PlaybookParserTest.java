package dev.fleet.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.engine.Strategies;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.yaml.ParseException;
import org.junit.jupiter.api.Test;

class PlaybookParserTest {
    private final PlaybookParser parser = new PlaybookParser(ModuleRegistry.builtin(), Strategies.names());

    private Playbook parse(String yaml) throws ParseException {
        return parser.parse(yaml, "site.yml");
    }

    private void assertError(String yaml, String position, String... fragments) {
        var assertion = assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ParseException.class)
                .hasMessageStartingWith("site.yml:" + position + ":");
        for (String f : fragments) assertion.hasMessageContaining(f);
    }

    @Test
    void parsesPlaysTasksAndModulesWithOrWithoutThePrefix() throws Exception {
        Playbook pb = parse("""
                - name: check
                  hosts: web:&prod
                  gather_facts: false
                  strategy: free
                  vars: {port: 80}
                  tasks:
                    - name: uptime
                      command: uptime
                    - ansible.builtin.shell: echo hi | tr a-z A-Z
                      register: out
                    - ansible.legacy.ping:
                """);
        Play play = pb.plays().get(0);
        assertThat(play.hosts()).isEqualTo("web:&prod");
        assertThat(play.strategy()).isEqualTo("free");
        assertThat(play.vars()).containsEntry("port", 80);
        assertThat(play.allTasks()).extracting(Task::module).containsExactly("command", "shell", "ping");
        assertThat(play.allTasks().get(1).args()).containsEntry("cmd", "echo hi | tr a-z A-Z");
        assertThat(play.allTasks().get(1).keywords().register()).isEqualTo("out");
        assertThat(play.allTasks().get(1).position()).hasToString("site.yml:9:7");
    }

    @Test
    void freeFormKeyValueArgumentsAreSplitOutForDeclaredNamesOnly() throws Exception {
        Task t = parse("- hosts: all\n  tasks:\n    - command: ls -l FOO=bar chdir=/tmp creates=\"/tmp/x y\"\n")
                .plays().get(0).allTasks().get(0);
        assertThat(t.args()).containsEntry("chdir", "/tmp").containsEntry("creates", "/tmp/x y")
                .containsEntry("cmd", "ls -l FOO=bar");
    }

    @Test
    void argsKeywordMergesWithFreeForm() throws Exception {
        Task t = parse("- hosts: all\n  tasks:\n    - shell: pwd\n      args:\n        chdir: /srv\n")
                .plays().get(0).allTasks().get(0);
        assertThat(t.args()).containsEntry("cmd", "pwd").containsEntry("chdir", "/srv");
    }

    @Test
    void unknownModuleIsRefusedAtItsPosition() {
        assertError("- hosts: all\n  tasks:\n    - name: x\n      comand: uptime\n", "4:7",
                "unknown module or task keyword 'comand'", "command");
    }

    @Test
    void missingRequiredArgumentIsRefused() {
        assertError("- hosts: all\n  tasks:\n    - shell:\n", "3:7", "module 'shell': missing required arguments: cmd");
    }

    @Test
    void unknownArgumentIsRefused() {
        assertError("- hosts: all\n  tasks:\n    - command:\n        cmd: ls\n        chdirr: /tmp\n", "3:7",
                "module 'command': unsupported argument 'chdirr'", "chdir");
    }

    // ---- argument specs at parse time ---------------------------------------------------------------------

    @Test
    void literalArgumentErrorsFailTheParseAtTheTask() {
        assertError("- hosts: all\n  tasks:\n    - lineinfile: path=/f line=x state=foo\n", "3:7",
                "module 'lineinfile': argument 'state' must be one of [absent, present], got 'foo'");
        assertError("- hosts: all\n  tasks:\n    - lineinfile: {path: /f, line: x, insertafter: a, insertbefore: b}\n",
                "3:7", "parameters are mutually exclusive: insertbefore|insertafter");
        assertError("- hosts: all\n  tasks:\n    - wait_for: port=http\n", "3:7",
                "argument 'port' must be int, got 'http'");
        assertError("- hosts: all\n  tasks:\n    - lineinfile: line=x\n", "3:7", "missing required arguments: path");
        assertError("- hosts: all\n  tasks:\n    - copy: dest=/x create=maybe\n", "3:7", "unsupported argument 'create'");
    }

    @Test
    void templatedValuesWaitForRunTimeAndKeepTheirRawForm() throws Exception {
        Task t = (Task) parse("""
                - hosts: all
                  tasks:
                    - wait_for: port={{ p }} host=127.0.0.1 timeout=5
                    - lineinfile: path=/f line=x state={{ s }}
                    - shell: |
                        creates={{ d }}/x
                        echo made > {{ d }}/x
                    - debug: msg=
                """).plays().get(0).tasks().get(0);
        assertThat(t.args()).containsEntry("port", "{{ p }}").containsEntry("timeout", "5");
        var tasks = parse("""
                - hosts: all
                  tasks:
                    - shell: |
                        creates={{ d }}/x
                        echo made > {{ d }}/x
                    - debug: msg=
                """).plays().get(0).tasks();
        assertThat(((Task) tasks.get(0)).args()).containsEntry("creates", "{{ d }}/x")
                .containsEntry("cmd", "echo made > {{ d }}/x\n");
        assertThat(((Task) tasks.get(1)).args()).containsEntry("msg", "");
    }

    @Test
    void tasksWrittenToExpectFailureGetTheirArgumentErrorsAtRunTime() throws Exception {
        // ignore_errors, failed_when, or anywhere inside a block with a rescue: the task fails when it runs
        var tasks = parse("""
                - hosts: all
                  tasks:
                    - lineinfile: path=/f line=x state=foo
                      ignore_errors: true
                    - wait_for: port=http
                      failed_when: false
                    - block:
                        - block:
                            - copy: {dest: /x, bogus: 1}
                      rescue:
                        - debug: msg=rescued
                """).plays().get(0).tasks();
        assertThat(tasks).hasSize(3);
        // a rescue section itself is not rescued by its own block, and a block without rescue protects nothing
        assertError("""
                - hosts: all
                  tasks:
                    - block:
                        - debug: msg=x
                      rescue:
                        - copy: {dest: /x, bogus: 1}
                """, "6:11", "unsupported argument 'bogus'");
        assertError("""
                - hosts: all
                  tasks:
                    - block:
                        - copy: {dest: /x, bogus: 1}
                      always:
                        - debug: msg=x
                """, "4:11", "unsupported argument 'bogus'");
        // unknown module names are parse errors always
        assertError("""
                - hosts: all
                  tasks:
                    - comand: ls
                      ignore_errors: true
                """, "3:7", "unknown module or task keyword 'comand'");
    }

    @Test
    void unknownPlayKeyIsRefused() {
        assertError("- hosts: all\n  taks:\n    - ping:\n", "2:3", "unknown play keyword 'taks'", "tasks");
    }

    @Test
    void playWithoutHostsIsRefused() {
        assertError("- name: x\n  tasks: []\n", "1:3", "no 'hosts'");
    }

    @Test
    void twoModulesInOneTaskAreRefused() {
        assertError("- hosts: all\n  tasks:\n    - command: ls\n      shell: ls\n", "4:7", "exactly one module");
    }

    @Test
    void notYetSupportedAnsibleKeywordsAreNamedAsSuch() {
        assertError("- hosts: all\n  tasks:\n    - async_status: jid=1\n", "3:7",
                "'async_status' is not supported by fleet yet");
    }

    @Test
    void aPlaybookMustBeAList() {
        assertError("hosts: all\n", "1:1", "must be a list of plays");
    }

    @Test
    void taskMustBeAMapping() {
        assertError("- hosts: all\n  tasks:\n    - ping\n", "3:7", "expected a task");
    }

    @Test
    void badStrategyIsRefused() {
        assertError("- hosts: all\n  strategy: fast\n  tasks: []\n", "2:13", "unknown strategy 'fast'");
    }

    @Test
    void blocksPassTheirKeywordsDownToTheirTasks() throws Exception {
        Play play = parse("""
                - hosts: all
                  become: true
                  tags: [site]
                  tasks:
                    - name: fix nginx
                      when: nginx_installed
                      tags: nginx
                      block:
                        - command: nginx -t
                          when: "'x' in y"
                          tags: check
                      rescue:
                        - command: echo rescue
                """).plays().get(0);
        Block b = (Block) play.tasks().get(0);
        Task t = (Task) b.block().get(0);
        assertThat(t.keywords().when()).containsExactly("nginx_installed", "'x' in y");
        assertThat(t.keywords().tags()).containsExactlyInAnyOrder("site", "nginx", "check");
        assertThat(t.keywords().become()).isTrue();
        assertThat(((Task) b.rescue().get(0)).keywords().when()).containsExactly("nginx_installed");
    }

    @Test
    void loopsAndWithItemsAreParsed() throws Exception {
        Play play = parse("""
                - hosts: all
                  tasks:
                    - command: echo {{ item }}
                      with_items: [a, [b, c]]
                    - command: echo {{ x }}
                      loop: "{{ things }}"
                      loop_control: {loop_var: x}
                """).plays().get(0);
        // with_items keeps its terms; the items lookup flattens them when the task runs
        assertThat(play.allTasks().get(0).keywords().loop()).isEqualTo(java.util.List.of("a", java.util.List.of("b", "c")));
        assertThat(play.allTasks().get(0).keywords().loopLookup()).isEqualTo("items");
        assertThat(play.allTasks().get(1).keywords().loop()).isEqualTo("{{ things }}");
        assertThat(play.allTasks().get(1).keywords().loopVar()).isEqualTo("x");
    }

    @Test
    void conditionsKeepYamlBooleansAndStripBraces() throws Exception {
        Task t = parse("- hosts: all\n  tasks:\n    - command: ls\n      changed_when: false\n"
                + "      failed_when: \"{{ r.rc > 1 }}\"\n").plays().get(0).allTasks().get(0);
        assertThat(t.keywords().changedWhen()).containsExactly("False");
        assertThat(t.keywords().failedWhen()).containsExactly("r.rc > 1");
    }

    @Test
    void notifyMustNameAHandlerOrListenTopic() throws Exception {
        parse("- hosts: all\n  tasks:\n    - command: ls\n      notify: topic\n  handlers:\n"
                + "    - name: h\n      listen: topic\n      command: ls\n");
        assertError("- hosts: all\n  tasks:\n    - command: ls\n      notify: restart nginx\n  handlers:\n"
                + "    - name: restart nginxx\n      command: ls\n", "3:7", "notifies 'restart nginx'");
    }

    @Test
    void varsFilesAreLoadedOverPlayVars(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("vars.yml"), "port: 8080\n");
        java.nio.file.Path pb = dir.resolve("site.yml");
        java.nio.file.Files.writeString(pb, "- hosts: all\n  vars: {port: 80, name: x}\n  vars_files: [vars.yml]\n  tasks: []\n");
        Play play = parser.parse(pb).plays().get(0);
        assertThat(play.vars()).containsEntry("port", 8080).containsEntry("name", "x");
        java.nio.file.Files.writeString(pb, "- hosts: all\n  vars_files: [missing.yml]\n  tasks: []\n");
        assertThatThrownBy(() -> parser.parse(pb)).hasMessageContaining("site.yml:2:16")
                .hasMessageContaining("not found");
    }

    @Test
    void metaActionsAreChecked() {
        assertError("- hosts: all\n  tasks:\n    - meta: flush_handler\n", "3:13", "meta action 'flush_handler'");
    }

    @Test
    void rescueWithoutBlockIsRefused() {
        assertError("- hosts: all\n  tasks:\n    - rescue:\n        - command: ls\n", "3:7", "belong to a 'block'");
    }
}
