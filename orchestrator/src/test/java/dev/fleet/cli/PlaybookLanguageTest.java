package dev.fleet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.testing.FleetCli;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playbook language end to end against real sshd: when, register, loops, changed_when/failed_when,
 * until/retries, handlers, blocks, tags, become, no_log, check mode, variable precedence.
 */
class PlaybookLanguageTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    /**
     * fleet run against the lab. DIR in the playbook stands for this test's temp dir: tasks leave files there for
     * the test to read back.
     */
    Run fleet(String playbookYaml, String... extra) throws IOException {
        return new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml.replace("DIR", dir.toString()),
                extra);
    }

    @Test
    void whenSkipsPerHostAndSeesRegisteredResults() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - command: echo {{ inventory_hostname }}
                      register: me
                    - name: only on host1
                      command: echo one
                      when: me.stdout == 'host1'
                    - name: only when the first succeeded
                      command: echo two
                      when:
                        - me.rc == 0
                        - "'host' in me.stdout"
                """);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.statuses("host1")).containsExactly("changed", "changed", "changed");
        assertThat(r.statuses("host2")).containsExactly("changed", "skipped", "changed");
    }

    @Test
    void loopsRunPerItemAndRegisterEveryResult() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  vars:
                    files: [a, b, c]
                  tasks:
                    - command: touch DIR/{{ item }}
                      loop: "{{ files }}"
                      register: touched
                    - command: echo {{ touched.results | length }} {{ touched.results[2].item }}
                      register: count
                    - command: echo {{ fruit }}
                      with_items: [apple, [pear, plum]]
                      loop_control:
                        loop_var: fruit
                """);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(dir.resolve("a")).exists();
        assertThat(dir.resolve("c")).exists();
        assertThat(r.tasks("host1").getJsonObject(1).getString("stdout")).isEqualTo("3 c");
        JsonArray results = r.tasks("host1").getJsonObject(2).getJsonObject("data").getJsonArray("results");
        assertThat(results).hasSize(3);
        assertThat(results.getJsonObject(2).getString("stdout")).isEqualTo("plum");
    }

    @Test
    void changedWhenAndFailedWhenOverrideTheModule() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - command: echo hello
                      changed_when: false
                    - shell: echo boom; exit 3
                      register: out
                      failed_when: "'boom' not in out.stdout"
                    - shell: echo all fine
                      register: out2
                      failed_when: "'fine' in out2.stdout"
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.statuses("host1")).containsExactly("ok", "changed", "failed");
    }

    @Test
    void untilRetriesUntilTheConditionHolds() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - shell: echo x >> DIR/tries; wc -l < DIR/tries
                      register: tries
                      until: tries.stdout | int >= 3
                      retries: 5
                      delay: 0
                    - shell: "false"
                      register: never
                      until: never.rc == 0
                      retries: 2
                      delay: 0
                """);
        assertThat(r.exit()).isEqualTo(2);
        JsonObject first = r.tasks("host1").getJsonObject(0);
        assertThat(first.getString("stdout")).isEqualTo("3");
        assertThat(first.getJsonObject("data").getInteger("attempts")).isEqualTo(3);
        JsonObject second = r.tasks("host1").getJsonObject(1);
        assertThat(second.getString("status")).isEqualTo("failed");
        // three runs, but ansible-core 2.14 reports attempts = retries once they are used up (compat/until)
        assertThat(second.getJsonObject("data").getInteger("attempts")).isEqualTo(2);
        assertThat(second.getString("msg")).contains("Retried 2 times");
    }

    @Test
    void handlersRunOnceAtTheEndOnlyWhenNotifiedByAChange() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - shell: echo task1 >> DIR/{{ inventory_hostname }}.log
                      notify: restart app
                      changed_when: inventory_hostname == 'host1'
                    - shell: echo task2 >> DIR/{{ inventory_hostname }}.log
                      notify: [restart app, reload cache]
                      changed_when: inventory_hostname == 'host1'
                  handlers:
                    - name: restart app
                      shell: echo restart >> DIR/{{ inventory_hostname }}.log
                    - name: flush everything
                      listen: reload cache
                      shell: echo reload >> DIR/{{ inventory_hostname }}.log
                """);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Files.readAllLines(dir.resolve("host1.log"))).containsExactly("task1", "task2", "restart", "reload");
        assertThat(Files.readAllLines(dir.resolve("host2.log"))).containsExactly("task1", "task2");
    }

    @Test
    void flushHandlersRunsThemMidPlay() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - shell: echo a >> DIR/order
                      notify: h
                    - meta: flush_handlers
                    - shell: echo b >> DIR/order
                  handlers:
                    - name: h
                      shell: echo handler >> DIR/order
                """);
        assertThat(r.exit()).isZero();
        assertThat(Files.readAllLines(dir.resolve("order"))).containsExactly("a", "handler", "b");
    }

    @Test
    void rescueHandlesABlockFailureAndAlwaysRunsEitherWay() throws IOException {
        Run r = fleet("""
                - hosts: lab
                  gather_facts: false
                  tasks:
                    - block:
                        - shell: test {{ inventory_hostname }} != host1
                        - shell: echo block-rest >> DIR/{{ inventory_hostname }}.b
                      rescue:
                        - shell: echo rescued >> DIR/{{ inventory_hostname }}.b
                      always:
                        - shell: echo always >> DIR/{{ inventory_hostname }}.b
                    - shell: echo after >> DIR/{{ inventory_hostname }}.b
                """);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Files.readAllLines(dir.resolve("host1.b"))).containsExactly("rescued", "always", "after");
        assertThat(Files.readAllLines(dir.resolve("host2.b"))).containsExactly("block-rest", "always", "after");
        assertThat(r.stats("host1").getInteger("rescued")).isEqualTo(1);
        assertThat(r.stats("host1").getInteger("failed")).isZero();
    }

    @Test
    void aBlockWithoutRescueStillRunsAlwaysThenFailsTheHost() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - block:
                        - command: "false"
                      always:
                        - shell: echo cleanup >> DIR/cleanup
                    - shell: echo never >> DIR/cleanup
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("cleanup"))).containsExactly("cleanup");
    }

    @Test
    void tagsSelectTasks() throws IOException {
        String pb = """
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - shell: echo web >> DIR/TAGFILE
                      tags: web
                    - shell: echo db >> DIR/TAGFILE
                      tags: [db]
                    - shell: echo always >> DIR/TAGFILE
                      tags: always
                    - shell: echo untagged >> DIR/TAGFILE
                """;
        fleet(pb.replace("TAGFILE", "only-web"), "--tags", "web");
        assertThat(Files.readAllLines(dir.resolve("only-web"))).containsExactly("web", "always");
        fleet(pb.replace("TAGFILE", "skip-db"), "--skip-tags", "db");
        assertThat(Files.readAllLines(dir.resolve("skip-db"))).containsExactly("web", "always", "untagged");
    }

    @Test
    void noLogHidesOutputFromEveryReport() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  vars:
                    api_token: s3cr3t-t0ken
                  tasks:
                    - command: echo {{ api_token }}
                      no_log: true
                      register: secret
                    - command: echo length {{ secret.stdout | length }}
                """, "-v");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain("s3cr3t-t0ken").contains("hidden due to the 'no_log: true'");
        assertThat(r.report().encode()).doesNotContain("s3cr3t-t0ken");
        assertThat(r.tasks("host1").getJsonObject(1).getString("stdout")).isEqualTo("length 12");
    }

    @Test
    void becomeRunsThroughSudoAsTheBecomeUser() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/sudo")),
                "needs root and sudo");
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  tasks:
                    - command: id -un
                      become: true
                      become_user: nobody
                    - command: id -un
                """);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.tasks("host1").getJsonObject(0).getString("stdout")).isEqualTo("nobody");
        assertThat(r.tasks("host1").getJsonObject(1).getString("stdout")).isEqualTo("root");
    }

    @Test
    void checkModeRunsNoCommand() throws IOException {
        Run r = fleet("- hosts: host1\n  gather_facts: false\n  tasks:\n    - command: touch DIR/checked\n", "--check");
        assertThat(r.exit()).isZero();
        assertThat(dir.resolve("checked")).doesNotExist();
        assertThat(r.statuses("host1")).containsExactly("skipped");
    }

    @Test
    void extraVarsBeatPlayVarsAndTaskVars() throws IOException {
        Run r = fleet("""
                - hosts: host1
                  gather_facts: false
                  vars: {a: play, b: play, c: play}
                  tasks:
                    - command: echo {{ a }} {{ b }} {{ c }}
                      vars: {b: task, c: task}
                """, "-e", "c=extra");
        assertThat(r.tasks("host1").getJsonObject(0).getString("stdout")).isEqualTo("play task extra");
    }

    @Test
    void anUndefinedVariableFailsTheHostNamingItAndTheTask() throws IOException {
        Run r = fleet("- hosts: host1\n  gather_facts: false\n  tasks:\n    - command: echo {{ php_socket }}\n");
        assertThat(r.exit()).isEqualTo(2);
        String msg = r.tasks("host1").getJsonObject(0).getString("msg");
        assertThat(msg).contains("php_socket").containsPattern("pb-\\d+\\.yml:4:7");
    }

    @Test
    void notifyingAMissingHandlerIsAParseError() throws IOException {
        Run r = fleet("- hosts: host1\n  tasks:\n    - command: 'true'\n      notify: nope\n");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.err()).contains("notifies 'nope'");
    }
}
