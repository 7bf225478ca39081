package dev.fleet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import dev.fleet.transport.TransportException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lost host is recoverable: a {@code rescue_unreachable} block's rescue takes it, and {@code until} retries
 * connect again. Through the real engine against in-memory hosts that lose their connection on cue.
 */
class UnreachableRecoveryTest {
    @TempDir
    Path dir;

    private static final String BLOCK_PLAY = """
            - hosts: all
              gather_facts: false
              tasks:
                - block:
                    - name: lose
                      command: echo step-lose
                    - command: echo step-skipped
                  %s
                  rescue:
                    - command: echo step-rescue {{ ansible_failed_result.unreachable }} {{ ansible_failed_task.name }}
                  always:
                    - command: echo step-always
                - command: echo step-after
            """;

    @Test
    void aRescueUnreachableBlockRescuesALostHostWhichStaysInThePlay() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").loseConnectionOn("step-lose");
        EngineHarness.Run run = h.run(BLOCK_PLAY.formatted("rescue_unreachable: true"), "h1\nh2\n");

        FakeHostSession h1 = h.transport.host("h1");
        assertThat(run.status("h1", "lose")).isEqualTo(TaskStatus.UNREACHABLE);
        assertThat(h1.commandsContaining("step-skipped")).isEmpty();
        assertThat(h1.commandsContaining("step-rescue True lose")).hasSize(1);
        assertThat(h1.commandsContaining("step-always")).hasSize(1);
        assertThat(h1.commandsContaining("step-after")).hasSize(1);
        assertThat(h.transport.connects("h1")).isEqualTo(2); // the rescue opened a new connection
        assertThat(h.transport.host("h2").commandsContaining("step-rescue")).isEmpty();
        // counted as a rescued failure is: rescued, not unreachable
        assertThat(run.stats("h1").rescued()).isEqualTo(1);
        assertThat(run.stats("h1").unreachable()).isZero();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void theFreeStrategyRescuesALostHostToo() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").loseConnectionOn("step-lose");
        EngineHarness.Run run = h.run(BLOCK_PLAY.formatted("rescue_unreachable: true")
                .replace("gather_facts: false", "gather_facts: false\n  strategy: free"), "h1\nh2\n");
        assertThat(h.transport.host("h1").commandsContaining("step-rescue True lose")).hasSize(1);
        assertThat(h.transport.host("h1").commandsContaining("step-after")).hasSize(1);
        assertThat(run.stats("h1").rescued()).isEqualTo(1);
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void withoutTheKeywordALostHostLeavesThePlayAsBefore() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").loseConnectionOn("step-lose");
        EngineHarness.Run run = h.run(BLOCK_PLAY.formatted(""), "h1\nh2\n");

        FakeHostSession h1 = h.transport.host("h1");
        assertThat(h1.commandsContaining("step-rescue")).isEmpty();
        assertThat(h1.commandsContaining("step-always")).isEmpty();
        assertThat(h1.commandsContaining("step-after")).isEmpty();
        assertThat(run.stats("h1").unreachable()).isEqualTo(1);
        assertThat(run.stats("h1").rescued()).isZero();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_UNREACHABLE);
    }

    @Test
    void aRescueThatFailsLeavesTheHostFailed() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").loseConnectionOn("step-lose").on("step-rescue", 1, "", "still broken");
        EngineHarness.Run run = h.run(BLOCK_PLAY.formatted("rescue_unreachable: true"), "h1\n");

        assertThat(h.transport.host("h1").commandsContaining("step-always")).hasSize(1);
        assertThat(h.transport.host("h1").commandsContaining("step-after")).isEmpty();
        assertThat(run.stats("h1").unreachable()).isEqualTo(1);
        assertThat(run.stats("h1").failed()).isEqualTo(1);
        assertThat(run.stats("h1").rescued()).isZero();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_FAILED);
    }

    @Test
    void anInnerBlockWithoutTheKeywordIsLeftForTheOuterRescue() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").loseConnectionOn("step-lose");
        EngineHarness.Run run = h.run("""
                - hosts: all
                  gather_facts: false
                  tasks:
                    - rescue_unreachable: true
                      block:
                        - block:
                            - command: echo step-lose
                          rescue:
                            - command: echo step-inner-rescue
                        - command: echo step-outer-next
                      rescue:
                        - command: echo step-outer-rescue
                """, "h1\n");

        FakeHostSession h1 = h.transport.host("h1");
        assertThat(h1.commandsContaining("step-inner-rescue")).isEmpty();
        assertThat(h1.commandsContaining("step-outer-next")).isEmpty();
        assertThat(h1.commandsContaining("step-outer-rescue")).hasSize(1);
        assertThat(run.stats("h1").rescued()).isEqualTo(1);
    }

    /** h1's first {@code lost} runs of a command containing {@code fragment} lose the connection. */
    private static void losesTheFirst(FakeHostSession host, String fragment, int lost) {
        AtomicInteger runs = new AtomicInteger();
        host.when(c -> c.contains(fragment), c -> runs.incrementAndGet() <= lost
                ? new TransportException("h1", TransportException.Kind.UNREACHABLE, "connection lost (scripted)")
                : FakeHostSession.result(0, "up", ""));
    }

    private static final String RETRY_PLAY = """
            - hosts: all
              gather_facts: false
              tasks:
                - name: probe
                  command: echo step-probe
                  register: probe
                  until: probe.stdout == 'up'
                  retries: 3
                  delay: 0
                - command: echo step-after
            """;

    @Test
    void untilRetriesAcrossALostConnectionAndRecordsTheAttempts() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        losesTheFirst(h.transport.host("h1"), "step-probe", 2);
        EngineHarness.Run run = h.run(RETRY_PLAY, "h1\n");

        TaskResult probe = run.results("probe").get(0);
        assertThat(probe.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(probe.outcome().data()).containsEntry("attempts", 3)
                .containsEntry("unreachable_attempts", List.of(1, 2));
        assertThat(h.transport.connects("h1")).isEqualTo(3);
        assertThat(h.transport.host("h1").commandsContaining("step-after")).hasSize(1);
        assertThat(run.stats("h1").unreachable()).isZero();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void retriesAreBoundedAndTheResultIsUnreachableOnlyWhenTheLastAttemptWas() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        losesTheFirst(h.transport.host("h1"), "step-probe", 100);
        EngineHarness.Run run = h.run(RETRY_PLAY, "h1\n");
        TaskResult probe = run.results("probe").get(0);
        assertThat(probe.status()).isEqualTo(TaskStatus.UNREACHABLE);
        assertThat(probe.outcome().data()).containsEntry("unreachable_attempts", List.of(1, 2, 3, 4));
        assertThat(h.transport.host("h1").commandsContaining("step-probe")).hasSize(4);
        assertThat(h.transport.host("h1").commandsContaining("step-after")).isEmpty();
        assertThat(run.outcome().exitCode()).isEqualTo(ExitCodes.HOSTS_UNREACHABLE);

        EngineHarness again = new EngineHarness(dir);
        FakeHostSession h1 = again.transport.host("h1");
        losesTheFirst(h1, "step-probe", 1);
        h1.when(c -> c.contains("step-probe") && h1.commandsContaining("step-probe").size() > 1,
                c -> FakeHostSession.result(0, "down", ""));
        TaskResult failed = again.run(RETRY_PLAY, "h1\n").results("probe").get(0);
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.outcome().data()).containsEntry("unreachable_attempts", List.of(1));
    }

    @Test
    void aRefusedLoginIsNotRetried() throws Exception {
        EngineHarness h = new EngineHarness(dir);
        h.transport.host("h1").when(c -> c.contains("step-probe"), c -> new TransportException("h1",
                TransportException.Kind.AUTH, "no offered key was accepted (scripted)"));
        EngineHarness.Run run = h.run(RETRY_PLAY, "h1\n");
        assertThat(run.status("h1", "probe")).isEqualTo(TaskStatus.UNREACHABLE);
        assertThat(h.transport.host("h1").commandsContaining("step-probe")).hasSize(1);
    }
}
