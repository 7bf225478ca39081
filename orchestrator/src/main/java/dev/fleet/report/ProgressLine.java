package dev.fleet.report;

import dev.fleet.result.TaskStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * The live status line under the console output on a terminal: the current task's hosts done of all, failed and
 * unreachable so far, the time the task and the run have taken and an estimate of what is left of the task,
 * rewritten in place ({@code \r} and erase-line). {@link ConsoleSink} clears it before it prints a line of its own
 * and draws it again after, so the line never ends up in the middle of the output; it is only used on a terminal
 * (never in a file, a pipe, a CI log or next to {@code --json}).
 */
final class ProgressLine {
    private static final String CLEAR = "\r\u001b[K";

    private final PrintWriter out;
    private String task;
    private int total;
    private int done;
    private int failed;
    private int unreachable;
    private Instant taskStart;
    private Instant runStart;
    private int taskNumber;
    private boolean shown;

    ProgressLine(PrintWriter out) {
        this.out = out;
    }

    void runStarted(Instant at) {
        runStart = at;
    }

    void taskStarted(String name, int hosts, Instant at) {
        task = name;
        total = hosts;
        done = 0;
        failed = 0;
        unreachable = 0;
        taskStart = at;
        taskNumber++;
    }

    void hostFinished(TaskStatus status) {
        done++;
        if (status == TaskStatus.FAILED) failed++;
        if (status == TaskStatus.UNREACHABLE) unreachable++;
    }

    /** No task under way (between plays, after the run): nothing to draw. */
    void taskEnded() {
        task = null;
    }

    /** Erases the line if it is shown; call before printing anything else. */
    void clear() {
        if (shown) out.print(CLEAR);
        shown = false;
    }

    /** Draws the line for {@code now} (after {@link #clear}), if a task is under way. */
    void draw(Instant now) {
        if (task == null || total == 0) return;
        out.print(CLEAR + text(now));
        out.flush();
        shown = true;
    }

    /** {@code [task 3] 140/500 hosts, 2 failed, 1 unreachable | task 12s, ~31s left | run 1m05s}. */
    String text(Instant now) {
        Duration inTask = Duration.between(taskStart, now);
        StringBuilder sb = new StringBuilder("[task ").append(taskNumber).append("] ").append(done).append('/')
                .append(total).append(" hosts");
        if (failed > 0) sb.append(", ").append(failed).append(" failed");
        if (unreachable > 0) sb.append(", ").append(unreachable).append(" unreachable");
        sb.append(" | task ").append(format(inTask));
        if (done > 0 && done < total) {
            long left = inTask.toMillis() * (total - done) / done;
            sb.append(", ~").append(format(Duration.ofMillis(left))).append(" left");
        }
        if (runStart != null) sb.append(" | run ").append(format(Duration.between(runStart, now)));
        String name = task.length() > 40 ? task.substring(0, 39) + "~" : task;
        return sb.append(" | ").append(name).toString();
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
