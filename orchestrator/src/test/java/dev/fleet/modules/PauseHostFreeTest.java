package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pause}: waits on the controller, never on the host; refuses to wait for input. */
class PauseHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");
    private final List<Duration> slept = new ArrayList<>();
    private final PauseModule pause = new PauseModule(slept::add);

    private TaskOutcome run(Map<String, Object> args, boolean check) throws Exception {
        return pause.run(new ModuleContext(host, args, check, false, Duration.ofSeconds(30), Map.of(), null,
                Path.of(".")));
    }

    @Test
    void secondsSleepThatLongAndReportAsAnsible() throws Exception {
        TaskOutcome o = run(args("seconds", 3), false);
        assertThat(slept).containsExactly(Duration.ofSeconds(3));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.rc()).isZero();
        assertThat(o.stdout()).isEqualTo("Paused for 3.0 seconds");
        assertThat(o.data()).containsKeys("start", "stop", "delta").containsEntry("echo", true)
                .containsEntry("user_input", "");
        assertThat((String) o.data().get("start")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void minutesAreSixtySecondsEach() throws Exception {
        TaskOutcome o = run(args("minutes", "2"), false);
        assertThat(slept).containsExactly(Duration.ofSeconds(120));
        assertThat(o.stdout()).isEqualTo("Paused for 2.0 minutes");
    }

    @Test
    void lessThanOneSecondWaitsOneAsAnsible() throws Exception {
        run(args("seconds", 0), false);
        run(args("seconds", -5), false);
        assertThat(slept).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void checkModePausesToo() throws Exception {
        assertThat(run(args("seconds", 2), true).status()).isEqualTo(TaskStatus.OK);
        assertThat(slept).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void aPromptWithoutADurationIsRefusedBecauseFleetIsNotInteractive() throws Exception {
        assertThat(ModuleHarness.rejection(host, "pause", args("prompt", "Press enter")))
                .contains("not interactive").contains("seconds");
        assertThat(ModuleHarness.rejection(host, "pause", args())).contains("not interactive");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void secondsAndMinutesExcludeEachOtherAndMustBeIntegers() throws Exception {
        assertThat(ModuleHarness.rejection(host, "pause", args("seconds", 1, "minutes", 1)))
                .contains("mutually exclusive");
        assertThat(ModuleHarness.rejection(host, "pause", args("seconds", "0.5"))).contains("seconds");
    }

    @Test
    void theRealModuleReallyWaits() throws Exception {
        long t0 = System.nanoTime();
        TaskOutcome o = ModuleHarness.run(host, "ansible.builtin.pause", args("seconds", 1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(o.data()).containsEntry("delta", 1L);
    }
}
