package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serial batches, failure policy, handlers and blocks, through the real engine against in-memory hosts. */
class PlayBehaviourTest {
    @TempDir
    Path dir;

    static final String HOSTS = "h1\nh2\nh3\nh4\n";

    private static List<String> starts(EngineHarness h) {
        return h.transport.log().stream().filter(l -> l.contains(": start ")).map(l -> l.substring(0, 2)
                + l.replaceAll(".*(step-[a-z]+).*", "/$1")).toList();
    }

    @Test
    void serialRunsThePlayOnOneBatchAfterAnother() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.run("""
                - hosts: all
                  gather_facts: false
                  serial: [1, 3]
                  tasks:
                    - command: echo step-a
                    - command: echo step-b
                """, HOSTS);
        List<String> s = starts(h);
        assertThat(s.subList(0, 2)).containsExactly("h1/step-a", "h1/step-b");
        assertThat(s.subList(2, 5)).allMatch(x -> x.endsWith("step-a"));
        assertThat(s.subList(5, 8)).allMatch(x -> x.endsWith("step-b"));
    }

    @Test
    void maxFailPercentageStopsThePlaybookAfterTheBatchThatExceededIt() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").on("step-a", 1, "", "broken");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  serial: 2
                  max_fail_percentage: 40
                  tasks:
                    - command: echo step-a
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-later
                """, HOSTS);
        assertThat(h.transport.log()).noneMatch(l -> l.startsWith("h3") || l.startsWith("h4"));
        assertThat(h.transport.log()).noneMatch(l -> l.contains("step-later"));
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_FAILED);
    }

    @Test
    void anyErrorsFatalEndsThePlayForEveryHostAfterTheFailingTask() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h2").on("step-a", 1, "", "broken");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                    - command: echo step-a
                    - command: echo step-b
                """, HOSTS);
        assertThat(h.transport.log()).noneMatch(l -> l.contains("step-b"));
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_FAILED);
    }

    @Test
    void handlersRunOnceAtTheEndOnlyOnHostsThatNotifiedThem() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: change
                      command: echo step-change
                      when: inventory_hostname in ['h1', 'h2']
                      notify: restart
                    - name: change again
                      command: echo step-again
                      when: inventory_hostname == 'h1'
                      notify: restart
                    - name: last
                      command: echo step-last
                  handlers:
                    - name: restart
                      command: echo step-handler
                """, HOSTS);
        assertThat(h.transport.host("h1").commandsContaining("step-handler")).hasSize(1);
        assertThat(h.transport.host("h2").commandsContaining("step-handler")).hasSize(1);
        assertThat(h.transport.host("h3").commandsContaining("step-handler")).isEmpty();
        List<String> s = starts(h);
        assertThat(s.indexOf("h1/step-handler")).isGreaterThan(s.indexOf("h1/step-last"));
        assertThat(run.banners()).containsExactly("change", "change again", "last", "restart");
    }

    @Test
    void aRescuedFailureLetsTheHostGoOnAndAlwaysRunsEverywhere() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").on("step-fails", 1, "", "boom");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - name: may fail
                          command: echo step-fails
                        - name: after failure
                          command: echo step-skipped-on-h1
                      rescue:
                        - name: rescue
                          command: echo step-rescue
                      always:
                        - name: always
                          command: echo step-always
                    - name: after block
                      command: echo step-after
                """, "h1\nh2\n");
        assertThat(h.transport.host("h1").commandsContaining("step-skipped")).isEmpty();
        assertThat(h.transport.host("h1").commandsContaining("step-rescue")).hasSize(1);
        assertThat(h.transport.host("h2").commandsContaining("step-rescue")).isEmpty();
        for (String host : List.of("h1", "h2")) {
            assertThat(h.transport.host(host).commandsContaining("step-always")).hasSize(1);
            assertThat(h.transport.host(host).commandsContaining("step-after")).hasSize(1);
        }
        assertThat(run.stats("h1").rescued()).isEqualTo(1);
        assertThat(run.outcome().exitCode()).isZero();
    }

    @Test
    void anUnrescuedFailureTakesTheHostOutOfTheRestOfThePlaybook() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").on("step-fails", 1, "", "boom");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - block:
                        - command: echo step-fails
                      always:
                        - command: echo step-always
                    - command: echo step-after
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-next-play
                """, "h1\nh2\n");
        assertThat(h.transport.host("h1").commandsContaining("step-always")).hasSize(1);
        assertThat(h.transport.host("h1").commandsContaining("step-after")).isEmpty();
        assertThat(h.transport.host("h1").commandsContaining("step-next-play")).isEmpty();
        assertThat(h.transport.host("h2").commandsContaining("step-next-play")).hasSize(1);
        assertThat(run.status("h1", "command echo step-fails")).isEqualTo(TaskStatus.FAILED);
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_FAILED);
    }

    @Test
    void anUnreachableHostIsReportedAndTheOthersGoOn() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.unreachable("h2");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - command: echo step-a
                    - command: echo step-b
                """, "h1\nh2\n");
        assertThat(run.stats("h2").unreachable()).isEqualTo(1);
        assertThat(h.transport.host("h1").commandsContaining("step-b")).hasSize(1);
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_UNREACHABLE);
    }
}
