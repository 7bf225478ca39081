package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task semantics as Ansible 2.14 defines them (checked against ansible-playbook while writing these), through the
 * real engine against in-memory hosts. Each playbook asserts on its own results; the test checks nothing failed.
 */
class TaskSemanticsTest {
    @TempDir
    Path dir;

    private EngineHarness.Run passes(String tasks) throws Exception {
        return passes(tasks, EngineHarness.options(Map.of()));
    }

    private EngineHarness.Run passes(String tasks, RunOptions options) throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("- hosts: all\n  gather_facts: false\n  tasks:\n" + tasks.indent(4), "h1\n",
                options);
        List<String> failures = run.results().stream().filter(r -> r.status() == TaskStatus.FAILED && !r.ignored())
                .map(r -> r.task() + ": " + r.outcome().msg() + " " + r.outcome().data()).toList();
        assertThat(failures).isEmpty();
        assertThat(run.outcome().exitCode()).isZero();
        return run;
    }

    @Test
    void setFactInALoopSeesWhatEarlierItemsSet() throws Exception {
        passes("""
                - set_fact:
                    acc: "{{ acc | default([]) + [item] }}"
                  loop: [a, b]
                  register: r
                - assert:
                    that:
                      - acc == ['a', 'b']
                      - r.results | length == 2
                      - r.results[1].ansible_facts.acc == ['a', 'b']
                      - r.msg == 'All items completed'
                      - r.results[0].ansible_loop_var == 'item'
                """);
    }

    @Test
    void aModulesFactsWithoutThePrefixLandUnderAnsibleFactsButSetFactsDoNot() throws Exception {
        passes("""
                - getent:
                    database: passwd
                - set_fact:
                    mine: 1
                - assert:
                    that:
                      - ansible_facts.getent_passwd == {}
                      - getent_passwd == {}
                      - ansible_facts.mine is not defined
                      - mine == 1
                """);
    }

    @Test
    void failedWhenAddsFailedWhenResultToTheRegisteredResult() throws Exception {
        passes("""
                - command: echo hi
                  register: r
                  failed_when: false
                - command: echo hi
                  register: c
                  changed_when: false
                - assert:
                    that:
                      - r.failed_when_result == false
                      - r is not failed
                      - c is not changed
                      - c.failed_when_result is not defined
                """);
    }

    @Test
    void aFalseWhenSkipsATaskWhoseLoopCannotBeRendered() throws Exception {
        EngineHarness.Run run = passes("""
                - name: undefined loop
                  debug: {msg: "{{ item }}"}
                  loop: "{{ nothing_here }}"
                  when: false
                  register: r1
                - name: empty string items
                  debug: {msg: "{{ item }}"}
                  with_items: "{{ x | default('') }}"
                  when: false
                  register: r2
                - assert:
                    that:
                      - r1 is skipped
                      - r2 is skipped
                      - r2.results | length == 1
                      - r2.msg == 'All items skipped'
                """);
        assertThat(run.status("h1", "undefined loop")).isEqualTo(TaskStatus.SKIPPED);
    }

    @Test
    void anUnrenderableLoopStillFailsWhenTheConditionHolds() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: bad loop
                      debug: {msg: "{{ item }}"}
                      loop: "{{ nothing_here }}"
                """, "h1\n");
        TaskResult r = run.results("bad loop").get(0);
        assertThat(r.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(r.outcome().msg()).contains("nothing_here");
    }

    @Test
    void untilRetriesWithAFractionalDelay() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").when(c -> c.contains("poll-me"), new java.util.function.Function<>() {
            int calls;

            public Object apply(String c) {
                calls++;
                return dev.fleet.testing.FakeHostSession.result(0, calls >= 3 ? "ready" : "wait", "");
            }
        });
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: poll
                      command: echo poll-me
                      register: r
                      until: r.stdout == 'ready'
                      retries: 5
                      delay: 0.2
                """, "h1\n");
        assertThat(run.status("h1", "poll")).isEqualTo(TaskStatus.CHANGED);
        assertThat(run.results("poll").get(0).outcome().data()).containsEntry("attempts", 3);
    }

    @Test
    void checkModeFalseRunsATaskUnderCheck() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: diagnose
                      command: echo read-only-probe
                      check_mode: false
                      register: probe
                    - name: fix
                      command: echo would-change
                    - assert:
                        that: probe.rc == 0 and ansible_check_mode
                """, "h1\n", EngineHarness.check());
        assertThat(h.transport.host("h1").commandsContaining("read-only-probe")).hasSize(1);
        assertThat(h.transport.host("h1").commandsContaining("would-change")).isEmpty();
        assertThat(run.status("h1", "fix")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void environmentIsExportedToTheModulesCommandsInheritedFromThePlay() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  environment:
                    FROM_PLAY: "p"
                  tasks:
                    - command: echo env-probe
                      environment:
                        GREETING: "it's {{ inventory_hostname }}"
                """, "h1\n");
        String cmd = h.transport.host("h1").commandsContaining("env-probe").get(0);
        assertThat(cmd).startsWith("export FROM_PLAY=p; export GREETING='it'\\''s h1'; ");
    }

    @Test
    void omitDropsAnArgument() throws Exception {
        passes("""
                - debug:
                    msg: "{{ nothing | default(omit) }}"
                  register: r
                - assert:
                    that: r.msg == 'Hello world!'
                """);
    }

    @Test
    void magicVariablesDescribeTheInventoryAndThePlay() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  vars:
                    - colour: blue
                  tasks:
                    - set_fact:
                        mine: "{{ inventory_hostname }}-fact"
                    - assert:
                        that:
                          - groups['web'] == ['w1', 'w2']
                          - groups['all'] | length == 3
                          - ansible_play_hosts == ['w1', 'w2', 'db1']
                          - ansible_play_batch == ansible_play_hosts
                          - play_hosts == ansible_play_batch
                          - hostvars['db1']['role'] == 'database'
                          - hostvars['w1'].inventory_hostname_short == 'w1'
                          - ansible_managed is not defined  # only templates see it, as in Ansible
                          - colour == 'blue'
                    - assert:
                        that: hostvars['w2'].mine == 'w2-fact'
                      when: inventory_hostname == 'w1'
                """, "[web]\nw1\nw2\n[db]\ndb1 role=database\n");
        assertThat(run.results().stream().filter(r -> r.status() == TaskStatus.FAILED).map(r -> r.outcome().msg()))
                .isEmpty();
    }

    @Test
    void loopControlIndexVarExtendedAndLabel() throws Exception {
        passes("""
                - set_fact:
                    seen: "{{ seen | default([]) + [idx ~ ':' ~ ansible_loop.revindex ~ ':' ~ prev] }}"
                  vars:
                    prev: "{{ ansible_loop.previtem | default('-') }}"
                  loop: [x, y, z]
                  loop_control:
                    index_var: idx
                    extended: true
                    label: "{{ item }}"
                - assert:
                    that: seen == ['0:3:-', '1:2:x', '2:1:y']
                """);
    }

    @Test
    void withLookupLoopsRunThroughTheLookupPlugins() throws Exception {
        passes("""
                - set_fact:
                    pairs: "{{ pairs | default([]) + [item.key ~ '=' ~ item.value] }}"
                  with_dict: {a: 1, b: 2}
                - set_fact:
                    seq: "{{ seq | default([]) + [item] }}"
                  with_sequence: start=1 end=3 format=host%02d
                - set_fact:
                    zipped: "{{ zipped | default([]) + [item[0] ~ item[1]] }}"
                  with_together: [[x, y], [1, 2]]
                - set_fact:
                    flat: "{{ flat | default([]) + [item] }}"
                  with_items: [a, [b, c]]
                - assert:
                    that:
                      - pairs == ['a=1', 'b=2']
                      - seq == ['host01', 'host02', 'host03']
                      - zipped == ['x1', 'y2']
                      - flat == ['a', 'b', 'c']
                """);
    }

    @Test
    void asyncWithPollingGivesTheTaskAsyncSecondsAndAJobId() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: long
                      command: echo long-job
                      async: 7
                      poll: 2
                      register: job
                    - assert:
                        that: job.finished == 1 and job.ansible_job_id is defined and job.rc == 0
                """, "h1\n");
        assertThat(h.transport.host("h1").execs().get(0).timeout()).isEqualTo(java.time.Duration.ofSeconds(7));
        assertThat(run.outcome().exitCode()).isZero();
        assertThatThrownBy(() -> h.run("""
                - hosts: all
                  tasks:
                    - command: echo x
                      async: 7
                      poll: 0
                """, "h1\n")).hasMessageContaining("'poll: 0'").hasMessageContaining("not supported");
    }

    @Test
    void moduleDefaultsFillArgumentsATaskDoesNotGiveInnerLevelsWinning() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  module_defaults:
                    ansible.builtin.command:
                      chdir: /srv/play
                    debug:
                      msg: from defaults
                  tasks:
                    - command: echo one
                    - block:
                        - command: echo two
                        - command: echo three
                          args:
                            chdir: /srv/task
                      module_defaults:
                        command:
                          chdir: /srv/block
                    - debug:
                      register: d
                    - assert:
                        that: d.msg == 'from defaults'
                """, "h1\n");
        assertThat(h.transport.host("h1").commandsContaining("echo")).containsExactly(
                "cd /srv/play && echo one", "cd /srv/block && echo two", "cd /srv/task && echo three");
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void debugVerbosityShowsTheMessageOnlyFromThatManyDashV() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: quiet
                      debug:
                        msg: only with -vv
                        verbosity: 2
                    - name: always
                      debug:
                        msg: always
                """, "h1\n");
        assertThat(run.status("h1", "quiet")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(run.status("h1", "always")).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aTemplateThatIsOneExpressionKeepsItsValuesType() throws Exception {
        passes("""
                - debug:
                    msg: "{{ letters }}"
                  vars:
                    letters: [a, b]
                  register: l
                - debug:
                    var: nums | length
                  vars:
                    nums: [1, 2]
                  register: e
                - assert:
                    that:
                      - l.msg == ['a', 'b']
                      - e['nums | length'] | int == 2
                """);
    }
}
