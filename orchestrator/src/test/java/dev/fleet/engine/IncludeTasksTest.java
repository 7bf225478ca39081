package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskStatus;
import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** include_tasks: dynamic, per host, with loops, conditions and apply; through the engine on in-memory hosts. */
class IncludeTasksTest {
    @TempDir
    Path dir;

    private static List<String> starts(EngineHarness h, String marker) {
        return h.transport.log().stream().filter(l -> l.contains(": start ") && l.contains(marker))
                .map(l -> l.substring(0, l.indexOf(':')) + l.replaceAll(".*(" + marker + "\\S*).*", "/$1")).toList();
    }

    private void file(String name, String text) throws Exception {
        Files.createDirectories(dir.resolve(name).getParent());
        Files.writeString(dir.resolve(name), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "free"})
    void includedTasksRunPerHostWithTheLoopItemAndTheIncludesCondition(String strategy) throws Exception {
        file("tasks/step.yml", """
                - name: inner {{ item }}
                  command: echo mark-{{ item }}-{{ inventory_hostname }}
                """);
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  strategy: %s
                  tasks:
                    - include_tasks: tasks/step.yml
                      loop: [a, b]
                      when: inventory_hostname != 'h3' or item == 'b'
                    - command: echo mark-after
                """.formatted(strategy), "h1\nh2\nh3\n");
        assertThat(run.outcome().exitCode()).isZero();
        assertThat(h.transport.host("h1").commandsContaining("mark-")).containsExactly(
                "echo mark-a-h1", "echo mark-b-h1", "echo mark-after");
        assertThat(h.transport.host("h3").commandsContaining("mark-")).containsExactly("echo mark-b-h3",
                "echo mark-after");
    }

    @Test
    void linearRunsHostsThatIncludedTheSameFileTogether() throws Exception {
        file("a.yml", "- command: echo mark-a1\n- command: echo mark-a2\n");
        file("b.yml", "- command: echo mark-b1\n");
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_tasks: "{{ 'a.yml' if inventory_hostname != 'h3' else 'b.yml' }}"
                    - command: echo mark-after
                """, "h1\nh2\nh3\n");
        List<String> s = starts(h, "mark-");
        // a.yml's first task on h1 and h2 before its second on either; b.yml (h3) after a.yml; then the rest
        assertThat(s.indexOf("h1/mark-a2")).isGreaterThan(s.indexOf("h2/mark-a1"));
        assertThat(s.indexOf("h3/mark-b1")).isGreaterThan(s.indexOf("h2/mark-a2"));
        assertThat(s.indexOf("h1/mark-after")).isGreaterThan(s.indexOf("h3/mark-b1"));
    }

    @Test
    void applyGivesIncludedTasksKeywordsAndAFailureInsideIsRescued() throws Exception {
        file("inner.yml", """
                - command: echo mark-inner
                  register: inner
                - fail:
                    msg: inner failure
                  when: fail_inside | default(false)
                """);
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - include_tasks:
                            file: inner.yml
                            apply:
                              environment: {APPLIED: "yes"}
                          vars:
                            fail_inside: true
                      rescue:
                        - command: echo mark-rescued
                    - assert:
                        that: inner.rc == 0
                """, "h1\n");
        assertThat(h.transport.host("h1").commandsContaining("mark-inner").get(0)).startsWith("export APPLIED=yes;");
        assertThat(h.transport.host("h1").commandsContaining("mark-rescued")).hasSize(1);
        assertThat(run.stats("h1").rescued()).isEqualTo(1);
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void aFalseConditionSkipsTheIncludeAndNestedIncludesWork() throws Exception {
        file("outer.yml", "- include_tasks: deeper/inner.yml\n");
        file("deeper/inner.yml", "- command: echo mark-deep\n");
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: skipped include
                      include_tasks: outer.yml
                      when: false
                    - include_tasks: outer.yml
                """, "h1\n");
        assertThat(run.status("h1", "skipped include")).isEqualTo(TaskStatus.SKIPPED);
        assertThat(h.transport.host("h1").commandsContaining("mark-deep")).hasSize(1);
    }

    @Test
    void aMissingLiteralFileIsAParseErrorAndAMissingTemplatedOneFailsTheHost() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        assertThatThrownBy(() -> h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - include_tasks: nope.yml
                """, "h1\n")).isInstanceOf(ParseException.class).hasMessageContaining("nope.yml")
                .hasMessageContaining(":4:");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: templated
                      include_tasks: "{{ 'nope' }}.yml"
                """, "h1\n");
        assertThat(run.status("h1", "templated")).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void aSyntaxErrorInAnIncludedFileNamesThatFile() throws Exception {
        file("broken.yml", "- command: echo x\n  bogus_keyword: 1\n");
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: inc
                      include_tasks: broken.yml
                """, "h1\n");
        assertThat(run.results("inc").get(0).outcome().msg()).contains("broken.yml:2:3").contains("bogus_keyword");
    }
}
