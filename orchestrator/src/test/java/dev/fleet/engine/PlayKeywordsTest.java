package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Play and block keywords and meta actions, through the real engine against in-memory hosts. */
class PlayKeywordsTest {
    @TempDir
    Path dir;

    private static List<String> hostsStarting(EngineHarness h, String marker) {
        return h.transport.log().stream().filter(l -> l.contains(": start ") && l.contains(marker))
                .map(l -> l.substring(0, l.indexOf(':'))).toList();
    }

    @Test
    void orderDecidesWhichHostsFormTheFirstBatch() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  order: reverse_sorted
                  serial: 1
                  tasks:
                    - command: echo step-a
                """, "b1\nc1\na1\n");
        assertThat(hostsStarting(h, "step-a")).containsExactly("c1", "b1", "a1");
    }

    @Test
    void endPlayUnderSerialSkipsTheRemainingBatches() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  serial: 1
                  tasks:
                    - command: echo step-a
                    - meta: end_play
                    - command: echo step-b
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-next
                """, "h1\nh2\n");
        assertThat(hostsStarting(h, "step-a")).containsExactly("h1");
        assertThat(hostsStarting(h, "step-b")).isEmpty();
        assertThat(hostsStarting(h, "step-next")).containsExactlyInAnyOrder("h1", "h2");
    }

    @Test
    void endBatchEndsOnlyTheCurrentBatch() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  serial: 1
                  tasks:
                    - command: echo step-a
                    - meta: end_batch
                    - command: echo step-b
                """, "h1\nh2\n");
        assertThat(hostsStarting(h, "step-a")).containsExactly("h1", "h2");
        assertThat(hostsStarting(h, "step-b")).isEmpty();
    }

    @Test
    void clearHostErrorsBringsFailedHostsBack() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").on("step-fails", 1, "", "boom");
        h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-fails
                    - meta: clear_host_errors
                    - command: echo step-after
                """, "h1\nh2\n");
        assertThat(hostsStarting(h, "step-after")).containsExactlyInAnyOrder("h1", "h2");
    }

    @Test
    void resetConnectionMakesTheNextTaskConnectAgain() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-a
                    - meta: reset_connection
                    - command: echo step-b
                """, "h1\n");
        assertThat(h.transport.connects("h1")).isEqualTo(2);
    }

    @Test
    void forceHandlersRunNotifiedHandlersOnAHostThatFailedLater() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").on("step-fails", 1, "", "boom");
        String play = """
                - hosts: all
                  gather_facts: false
                  force_handlers: %s
                  tasks:
                    - command: echo step-change
                      notify: restart
                    - command: echo step-fails
                  handlers:
                    - name: restart
                      command: echo step-handler
                """;
        h.run(play.formatted("true"), "h1\nh2\n");
        assertThat(hostsStarting(h, "step-handler")).containsExactlyInAnyOrder("h1", "h2");
        EngineHarness without = new EngineHarness(dir);
        without.transport.host("h1").on("step-fails", 1, "", "boom");
        without.run(play.formatted("false"), "h1\nh2\n");
        assertThat(hostsStarting(without, "step-handler")).containsExactly("h2");
    }

    @Test
    void anyErrorsFatalOnABlockStopsEveryHost() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h2").on("step-fails", 1, "", "boom");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - command: echo step-fails
                      any_errors_fatal: true
                    - command: echo step-after
                """, "h1\nh2\nh3\n");
        assertThat(hostsStarting(h, "step-after")).isEmpty();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_FAILED);
    }

    @Test
    void notifyOnABlockAppliesToItsChangedTasks() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - command: echo step-change
                      notify: restart
                  handlers:
                    - name: restart
                      command: echo step-handler
                """, "h1\n");
        assertThat(hostsStarting(h, "step-handler")).containsExactly("h1");
    }

    @Test
    void localActionAndConnectionLocalRunOnTheController() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: local
                      local_action: command echo on-controller
                      register: a
                    - name: local connection
                      command: echo also-local
                      connection: local
                      register: b
                    - assert:
                        that: a.stdout == 'on-controller' and b.stdout == 'also-local'
                """, "h1\n");
        assertThat(h.transport.host("h1").commandsContaining("on-controller")).isEmpty();
        assertThat(h.transport.host("h1").commandsContaining("also-local")).isEmpty();
        assertThat(run.status("h1", "local")).isEqualTo(TaskStatus.CHANGED);
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void delegateToRunsOnTheOtherHostWhileRegisteringOnTheTasksHost() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("db1").on("who-runs", 0, "db1 answered");
        EngineHarness.Run run = h.run("""
                - hosts: web
                  gather_facts: false
                  tasks:
                    - command: echo who-runs {{ inventory_hostname }}
                      delegate_to: "{{ groups['db'][0] }}"
                      register: r
                    - set_fact:
                        seen_by: "{{ inventory_hostname }}"
                      delegate_to: db1
                      delegate_facts: true
                    - assert:
                        that:
                          - r.stdout == 'db1 answered'
                          - seen_by is not defined
                          - hostvars['db1'].seen_by in ['w1', 'w2']
                """, "[web]\nw1\nw2\n[db]\ndb1\n");
        assertThat(h.transport.host("db1").commandsContaining("who-runs")).containsExactlyInAnyOrder(
                "echo who-runs w1", "echo who-runs w2");
        assertThat(h.transport.host("w1").commandsContaining("who-runs")).isEmpty();
        assertThat(h.transport.connects("db1")).isEqualTo(1);
        assertThat(run.outcome().exitCode()).as(run.results().toString()).isZero();
    }

    @Test
    void addHostAndGroupByGrowTheInventoryLaterPlaysSelectFrom() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - add_host:
                        name: newbox
                        groups: [dyn, web]
                        color: blue
                      register: a
                    - group_by:
                        key: "os_{{ inventory_hostname }}-x"
                      register: g
                    - assert:
                        that:
                          - a.add_host.host_name == 'newbox'
                          - a is changed
                          - g.add_group == 'os_' ~ inventory_hostname ~ '_x'
                          - "'newbox' in groups['web']"
                - hosts: dyn
                  gather_facts: false
                  tasks:
                    - command: echo step-new {{ color }} {{ group_names | join(',') }}
                - hosts: os_h1_x
                  gather_facts: false
                  tasks:
                    - command: echo step-grouped
                """, "h1\nh2\n");
        assertThat(h.transport.host("newbox").commandsContaining("step-new"))
                .containsExactly("echo step-new blue dyn,web");
        assertThat(hostsStarting(h, "step-grouped")).containsExactly("h1");
        assertThat(run.results("add_host")).hasSize(1); // once for the play, as Ansible
        assertThat(run.outcome().exitCode()).as(run.results().toString()).isZero();
    }
}
