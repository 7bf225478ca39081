package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.RunEvent;
import dev.fleet.result.TaskStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live progress line: what it says (done/total, failed, unreachable, elapsed, estimate), that it is erased
 * before every line the console prints (so it never ends up inside the output), and that a console without it
 * prints no control characters at all.
 */
class ProgressLineTest {
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void countsElapsedAndAnEstimate() {
        ProgressLine p = new ProgressLine(new PrintWriter(new StringWriter()));
        p.runStarted(T0);
        p.taskStarted("Step 1: php-fpm is running", 500, T0.plusSeconds(50));
        for (int i = 0; i < 138; i++) p.hostFinished(TaskStatus.OK);
        p.hostFinished(TaskStatus.FAILED);
        p.hostFinished(TaskStatus.UNREACHABLE);
        assertThat(p.text(T0.plusSeconds(64))).isEqualTo(
                "[task 1] 140/500 hosts, 1 failed, 1 unreachable | task 14s, ~36s left | run 1m04s"
                        + " | Step 1: php-fpm is running");
        p.taskStarted("next", 2, T0.plusSeconds(70));
        assertThat(p.text(T0.plusSeconds(70))).startsWith("[task 2] 0/2 hosts | task 0s | run 1m10s");
        assertThat(ProgressLine.format(Duration.ofSeconds(7322))).isEqualTo("2h02m");
    }

    @Test
    void theLineIsErasedBeforeEveryPrintedLineAndDrawnAfter() {
        StringWriter buf = new StringWriter();
        ConsoleSink sink = new ConsoleSink(new PrintWriter(buf), false, 0, 20).withProgress();
        try {
            feed(sink);
        } finally {
            sink.close();
        }
        String out = buf.toString();
        assertThat(out).contains("\r\u001b[K[task 1] 1/2 hosts | task ");
        // every printed line starts after an erase, never right after the status text
        for (String line : out.split("\n")) {
            int lastClear = line.lastIndexOf("\r\u001b[K");
            String visible = lastClear < 0 ? line : line.substring(lastClear + 4);
            assertThat(visible).doesNotContain("[task 1]").as(line);
        }
        assertThat(out).contains("ok: [h1]", "fatal: [h2]: FAILED!", "PLAY RECAP");
        // after the run the line is gone: the output ends with the recap's own text
        assertThat(out.substring(out.lastIndexOf("PLAY RECAP"))).doesNotContain("[task ");
    }

    @Test
    void withoutProgressThereAreNoControlCharacters() {
        StringWriter buf = new StringWriter();
        feed(new ConsoleSink(new PrintWriter(buf), false, 0, 20));
        assertThat(buf.toString()).doesNotContain("\r").doesNotContain("\u001b");
    }

    private static void feed(ConsoleSink sink) {
        sink.accept(new RunEvent.RunStarted("pb.yml", List.of("h1", "h2"), T0));
        sink.accept(new RunEvent.PlayStarted("p", List.of("h1", "h2"), T0));
        sink.accept(new RunEvent.TaskStarted("p", "t", "pb.yml:3:7", 2, T0));
        sink.accept(new RunEvent.HostTaskFinished(Results.result("h1", "t", TaskStatus.OK, 0, "", "", ""), T0));
        sink.accept(new RunEvent.HostTaskFinished(Results.result("h2", "t", TaskStatus.FAILED, 1, "", "boom", ""),
                T0));
        sink.accept(new RunEvent.PlayFinished("p", null, T0));
        sink.accept(new RunEvent.RunFinished(Map.of(), false, T0));
    }
}
