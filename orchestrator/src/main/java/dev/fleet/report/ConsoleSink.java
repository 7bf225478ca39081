package dev.fleet.report;

import dev.fleet.result.CustomStats;
import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ansible-style live output and recap. On small fleets every host's result is printed as it arrives; on large
 * ones (more than {@code detailLimit} hosts) only failures are, plus one count line per task, so 1000 hosts do
 * not scroll the answer away. The run ends with the recap and a short verdict: which hosts are fine, which
 * changed, which fail and why. On a terminal, {@link #withProgress} adds a live status line (see ProgressLine).
 */
public final class ConsoleSink implements RunSink {
    private final PrintWriter out;
    private final boolean color;
    private final int verbosity;
    private final int detailLimit;

    /** Up to this many failing hosts the verdict lists each; beyond, it groups them by symptom. */
    static final int HOST_LINES_LIMIT = 5;
    static final int SYMPTOMS_SHOWN = 10;

    private final Map<String, TaskResult> lastProblem = new LinkedHashMap<>();
    private final SymptomGroups symptoms = new SymptomGroups();
    private final Map<String, Boolean> changedHosts = new LinkedHashMap<>();
    private String currentTask;
    private int taskHosts;
    private final int[] taskCounts = new int[TaskStatus.values().length];
    private Instant taskStart;
    private Instant runStart;
    /** Null unless {@link #withProgress}: only on a terminal. */
    private ProgressLine progress;
    private java.util.concurrent.ScheduledExecutorService ticker;

    public ConsoleSink(PrintWriter out, boolean color, int verbosity) {
        this(out, color, verbosity, 20);
    }

    public ConsoleSink(PrintWriter out, boolean color, int verbosity, int detailLimit) {
        this.out = out;
        this.color = color;
        this.verbosity = verbosity;
        this.detailLimit = detailLimit;
    }

    /**
     * Adds the live progress line, redrawn on every result and once a second while a task waits for slow hosts.
     * For terminals only: the caller decides (a console, no {@code --no-progress}, not CI).
     */
    public ConsoleSink withProgress() {
        progress = new ProgressLine(out);
        ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
        return this;
    }

    private synchronized void tick() {
        progress.clear();
        progress.draw(Instant.now());
    }

    @Override
    public synchronized void accept(RunEvent event) {
        if (progress != null) {
            progress.clear();
            track(event);
        }
        print(event);
        if (progress != null) progress.draw(Instant.now());
        out.flush();
    }

    private void track(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> progress.runStarted(e.at());
            case RunEvent.TaskStarted e -> progress.taskStarted(e.task(), e.hostCount(), e.at());
            case RunEvent.HostTaskFinished e -> progress.hostFinished(e.result().status());
            case RunEvent.PlayStarted e -> progress.taskEnded();
            case RunEvent.PlayFinished e -> progress.taskEnded();
            case RunEvent.RunFinished e -> {
                progress.taskEnded();
                ticker.shutdownNow();
            }
        }
    }

    @Override
    public void close() {
        if (ticker != null) ticker.shutdownNow();
    }

    private void print(RunEvent event) {
        switch (event) {
            case RunEvent.RunStarted e -> runStart = e.at();
            case RunEvent.PlayStarted e -> {
                endTask();
                banner("PLAY [" + e.play() + "]");
                if (e.hosts().isEmpty()) out.println("skipping: no hosts matched");
            }
            case RunEvent.TaskStarted e -> {
                endTask();
                banner("TASK [" + e.task() + "]" + (verbosity > 0 ? " " + e.source() : ""));
                currentTask = e.task();
                taskHosts = e.hostCount();
                taskStart = e.at();
            }
            case RunEvent.HostTaskFinished e -> hostResult(e.result());
            case RunEvent.PlayFinished e -> {
                endTask();
                if (e.abortReason() != null) out.println(paint("31", "\nPLAY ABORTED: " + e.abortReason()));
            }
            case RunEvent.RunFinished e -> recap(e);
        }
    }

    private void hostResult(TaskResult r) {
        taskCounts[r.status().ordinal()]++;
        symptoms.add(r);
        if (r.status() == TaskStatus.CHANGED) changedHosts.put(r.host(), true);
        boolean problem = (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.UNREACHABLE);
        if (problem && !r.ignored()) lastProblem.put(r.host(), r);
        if (!problem && taskHosts > detailLimit && verbosity == 0) return;
        out.println(line(r));
        // A module's warnings (output cut at the cap, a deprecated option...), as Ansible prints them
        if (r.outcome().data().get("warnings") instanceof java.util.List<?> warnings) {
            for (Object w : warnings) out.println(paint("35", "[WARNING]: [" + r.host() + "]: " + w));
        }
    }

    private String line(TaskResult r) {
        var o = r.outcome();
        String host = "[" + r.host() + "]";
        return switch (r.status()) {
            case OK -> paint("32", "ok: " + host) + detail(r, false);
            case CHANGED -> paint("33", "changed: " + host) + detail(r, false);
            case SKIPPED -> paint("36", "skipping: " + host) + (o.msg().isEmpty() ? "" : " " + o.msg());
            case UNREACHABLE -> paint("31", "fatal: " + host + ": UNREACHABLE!") + " => " + o.msg();
            case FAILED -> paint("31", "fatal: " + host + ": FAILED!") + detail(r, true)
                    + (r.ignored() ? paint("36", "\n...ignoring") : "");
        };
    }

    private String detail(TaskResult r, boolean failed) {
        var o = r.outcome();
        String rendered = DiffText.render(o.data().get("diff"));
        String diff = rendered.isBlank() ? "" : "\n" + rendered;
        // debug exists to print: its message shows without -v, as in Ansible
        if (!failed && r.module().equals("debug")) return " => " + o.msg() + diff;
        if (!failed && verbosity == 0) return diff;
        StringBuilder sb = new StringBuilder(" =>");
        if (o.rc() != null) sb.append(" rc=").append(o.rc());
        if (!o.msg().isEmpty()) sb.append(" msg: ").append(o.msg());
        if (!o.stdout().isEmpty()) sb.append("\n    stdout: ").append(indent(clip(o.stdout())));
        if (!o.stderr().isEmpty()) sb.append("\n    stderr: ").append(indent(clip(o.stderr())));
        return sb + diff;
    }

    private void endTask() {
        if (currentTask != null && taskHosts > detailLimit && verbosity == 0) {
            long ms = Duration.between(taskStart, Instant.now()).toMillis();
            out.printf("  %d hosts: ok=%d changed=%d failed=%d unreachable=%d skipped=%d (%.2fs)%n", taskHosts,
                    taskCounts[TaskStatus.OK.ordinal()], taskCounts[TaskStatus.CHANGED.ordinal()],
                    taskCounts[TaskStatus.FAILED.ordinal()], taskCounts[TaskStatus.UNREACHABLE.ordinal()],
                    taskCounts[TaskStatus.SKIPPED.ordinal()], ms / 1000.0);
        }
        currentTask = null;
        java.util.Arrays.fill(taskCounts, 0);
    }

    private void recap(RunEvent.RunFinished e) {
        endTask();
        if (e.interrupted()) out.println(paint("31", "\n[INTERRUPTED] the run was stopped before it finished"));
        banner("PLAY RECAP");
        int width = e.stats().keySet().stream().mapToInt(String::length).max().orElse(4);
        List<String> fine = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        e.stats().forEach((host, s) -> {
            out.println(paint(hostColour(s), String.format("%-" + width + "s", host)) + " : "
                    + String.format("ok=%-4d changed=%-4d unreachable=%-4d failed=%-4d skipped=%-4d rescued=%-4d ignored=%d",
                            s.ok(), s.changed(), s.unreachable(), s.failed(), s.skipped(), s.rescued(), s.ignored()));
            if (s.failed() == 0 && s.unreachable() == 0) (changedHosts.containsKey(host) ? changed : fine).add(host);
        });
        long failed = lastProblem.values().stream().filter(r -> r.status() == TaskStatus.FAILED).count();
        long unreachable = lastProblem.size() - failed;
        out.println();
        out.printf("%d hosts: %d ok without changes, %d changed, %d failed, %d unreachable%s%n",
                e.stats().size(), fine.size(), changed.size(), failed, unreachable,
                runStart == null ? "" : String.format(" in %.1fs", Duration.between(runStart, e.at()).toMillis() / 1000.0));
        if (lastProblem.size() > HOST_LINES_LIMIT) {
            // Many failing hosts: one line per symptom, largest first, instead of one per host (-v: both).
            List<SymptomGroups.Group> groups = symptoms.groups(e.stats());
            out.println();
            out.println("symptoms (" + groups.size() + (groups.size() == 1 ? " group" : " groups")
                    + ", largest first):");
            for (String line : SymptomGroups.describe(groups, SYMPTOMS_SHOWN, 8)) {
                out.println(line.startsWith(" ") || line.startsWith("...") ? "  " + line : "  " + paint("31", line));
            }
            if (verbosity > 0) out.println();
        }
        if (lastProblem.size() <= HOST_LINES_LIMIT || verbosity > 0) {
            for (TaskResult r : lastProblem.values()) {
                String why = r.outcome().msg();
                if (!r.outcome().stderr().isBlank()) {
                    why += (why.isEmpty() ? "" : ": ") + firstLine(r.outcome().stderr());
                }
                out.println("  " + paint("31", r.status().label() + ": " + r.host()) + " at TASK [" + r.task() + "] "
                        + r.source() + ": " + why);
            }
        }
        customStats(e.custom());
    }

    /** What set_stats gathered, as Ansible's show_custom_stats prints it: per host, then the run's. */
    private void customStats(CustomStats custom) {
        if (custom.isEmpty()) return;
        banner("CUSTOM STATS:");
        new java.util.TreeMap<>(custom.hosts()).forEach((host, values) ->
                out.println("\t" + host + ": " + new JsonObject(new LinkedHashMap<>(values)).encode()));
        if (!custom.run().isEmpty()) {
            out.println();
            out.println("\tRUN: " + new JsonObject(new LinkedHashMap<>(custom.run())).encode());
        }
    }

    private static String hostColour(HostStats s) {
        if (s.failed() > 0 || s.unreachable() > 0) return "31";
        return s.changed() > 0 ? "33" : "32";
    }

    private void banner(String title) {
        int stars = Math.max(3, 79 - title.length() - 1);
        out.println();
        out.println(title + " " + "*".repeat(stars));
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    private static String clip(String s) {
        return s.length() <= 2000 ? s : s.substring(0, 2000) + "... (" + s.length() + " chars, see --json)";
    }

    private static String indent(String s) {
        return s.replace("\n", "\n            ");
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
