package dev.fleet.history;

import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a run's events as the engine would send them, for tests of the history. */
public final class SyntheticRun {
    private final Instant start;
    private final List<String> hosts;
    private final List<RunEvent> events = new ArrayList<>();
    private final Map<String, HostStats> stats = new LinkedHashMap<>();
    private Instant clock;

    public SyntheticRun(Instant start, String... hosts) {
        this.start = start;
        this.clock = start;
        this.hosts = List.of(hosts);
        events.add(new RunEvent.RunStarted("site.yml", this.hosts, start));
        for (String h : hosts) stats.put(h, HostStats.EMPTY);
    }

    public SyntheticRun task(String host, String play, String task, TaskStatus status, Integer rc, String msg,
            String stdout, String stderr) {
        return task(host, play, task, new TaskOutcome(status, rc, stdout, stderr, msg, Map.of()), false);
    }

    public SyntheticRun ok(String host, String task) {
        return task(host, "play", task, TaskStatus.OK, 0, "", "fine", "");
    }

    public SyntheticRun fail(String host, String task, String msg) {
        return task(host, "play", task, TaskStatus.FAILED, 1, msg, "", "boom on " + host);
    }

    public SyntheticRun task(String host, String play, String task, TaskOutcome outcome, boolean ignored) {
        Instant s = clock;
        clock = clock.plusMillis(10);
        events.add(new RunEvent.HostTaskFinished(new TaskResult(host, play, task, "command", "site.yml:3:7", outcome,
                ignored, s, clock), clock));
        stats.merge(host, HostStats.EMPTY.plus(outcome.status(), ignored), HostStats::plus);
        return this;
    }

    public List<RunEvent> events(boolean interrupted) {
        List<RunEvent> out = new ArrayList<>(events);
        out.add(new RunEvent.RunFinished(new LinkedHashMap<>(stats), interrupted, clock.plusMillis(5)));
        return out;
    }

    /** Feeds every event and closes the sink (as the engine does). */
    public void playInto(RunSink sink) throws Exception {
        for (RunEvent e : events(false)) sink.accept(e);
        sink.close();
    }

    public Instant start() {
        return start;
    }
}
