package dev.fleet.serve;

import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.history.RunMeta;
import dev.fleet.history.StoredRun.TaskRecord;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One run started by the service: its state, the events so far (for SSE replay) and the live listeners. Events
 * arrive on the runner's sink thread; readers come from the HTTP event loop; everything is guarded by the
 * instance lock, and listeners are called outside it.
 */
final class ManagedRun implements RunSink {
    /**
     * An SSE listener, told that there are new events or that the run ended; it reads them with
     * {@link #eventsFrom}. Called from the sink thread: implementations hop to their own context.
     */
    interface Listener {
        void changed();
    }

    /** One event as it goes on the wire ({@code id}, {@code event}, {@code data} lines), encoded once for all. */
    record Sse(int index, String type, String text) {}

    final String id;
    final RunMeta meta;
    final String schedule;
    final Playbook playbook;
    final Inventory inventory;
    final RunOptions options;
    final RunSink recorder;
    final Instant created = Instant.now();
    final CompletableFuture<Void> done = new CompletableFuture<>();

    private String status = "queued";
    private Instant start;
    private Instant end;
    private Integer exitCode;
    private String error;
    private final List<Sse> events = new ArrayList<>();
    private final Map<String, HostStats> stats = new LinkedHashMap<>();
    private final Map<String, List<TaskRecord>> tasks = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private RunSetup.StartedRun runner;
    /** "cancelled" (DELETE) or "interrupted" (shutdown) once a stop was asked for. */
    private String stopReason;
    private boolean finished;
    /** What the history could not record of this run, if anything. */
    private String historyError;

    ManagedRun(String id, RunMeta meta, String schedule, Playbook playbook, Inventory inventory, RunOptions options,
            RunSink recorder) {
        this.id = id;
        this.meta = meta;
        this.schedule = schedule;
        this.playbook = playbook;
        this.inventory = inventory;
        this.options = options;
        this.recorder = recorder;
    }

    @Override
    public void accept(RunEvent event) {
        List<Listener> notify;
        String type = EventJson.type(event);
        String data = EventJson.data(event).encode();
        boolean cancelNow = false;
        synchronized (this) {
            switch (event) {
                case RunEvent.RunStarted e -> {
                    if (status.equals("queued")) status = "running";
                    start = e.at();
                    for (String h : e.hosts()) {
                        stats.putIfAbsent(h, HostStats.EMPTY);
                        tasks.putIfAbsent(h, new ArrayList<>());
                    }
                    // a DELETE that came before the runner had started its run: cancel() was a no-op then
                    cancelNow = stopReason != null;
                }
                case RunEvent.HostTaskFinished e -> {
                    TaskResult r = e.result();
                    HostStats one = HostStats.EMPTY.plus(r.status(), r.ignored(), r.outcome().rc() != null);
                    stats.merge(r.host(), one, HostStats::plus);
                    tasks.computeIfAbsent(r.host(), h -> new ArrayList<>()).add(record(r));
                }
                case RunEvent.RunFinished e -> {
                    stats.clear();
                    stats.putAll(e.stats());
                }
                default -> { }
            }
            int index = events.size();
            events.add(new Sse(index, type, "id: " + index + "\nevent: " + type + "\ndata: " + data + "\n\n"));
            notify = List.copyOf(listeners);
        }
        if (cancelNow) cancel();
        for (Listener l : notify) l.changed();
    }

    private static TaskRecord record(TaskResult r) {
        var o = r.outcome();
        String status = r.ignored() && r.status() == TaskStatus.FAILED ? "ignored" : r.status().label();
        return new TaskRecord(r.play(), r.task(), r.module(), r.source(), status, o.rc(), o.msg(), o.stdout(),
                o.stderr(), r.start(), r.end());
    }

    /** Adds a listener for new events and the end, unless the run is over. */
    synchronized void subscribe(Listener l) {
        if (!finished) listeners.add(l);
    }

    /** Up to {@code max} events from index {@code from} on: clients read the run's own list, never a copy of all. */
    synchronized List<Sse> eventsFrom(int from, int max) {
        int start = Math.min(Math.max(from, 0), events.size());
        return List.copyOf(events.subList(start, Math.min(events.size(), start + max)));
    }

    synchronized void unsubscribe(Listener l) {
        listeners.remove(l);
    }

    synchronized boolean finished() {
        return finished;
    }

    synchronized String status() {
        return status;
    }

    /** The run is under way; a stop asked for while it was starting (a clustered run opening) applies now. */
    void attach(RunSetup.StartedRun r) {
        boolean stop;
        synchronized (this) {
            runner = r;
            stop = stopReason != null;
        }
        if (stop) r.cancel();
    }

    /**
     * Asks the run to stop. Returns false when it already ended. The runner stops its running commands; the run
     * ends as {@code reason} ("cancelled" or "interrupted").
     */
    boolean requestStop(String reason) {
        synchronized (this) {
            if (finished) return false;
            if (stopReason == null) stopReason = reason;
        }
        cancel();
        return true;
    }

    private void cancel() {
        RunSetup.StartedRun r;
        synchronized (this) {
            r = runner;
        }
        if (r != null) r.cancel();
    }

    synchronized String stopReason() {
        return stopReason;
    }

    /** The run is over (and recorded). */
    void finish(RunOutcome outcome, Throwable failure) {
        List<Listener> notify;
        synchronized (this) {
            if (finished) return;
            finished = true;
            end = Instant.now();
            if (start == null) start = created;
            if (failure != null) {
                status = "failed";
                error = "internal error: " + failure;
                exitCode = 1;
            } else if (stopReason != null) {
                status = stopReason;
                exitCode = ExitCodes.INTERRUPTED;
            } else if (outcome == null || outcome.interrupted()) {
                status = "interrupted";
                exitCode = ExitCodes.INTERRUPTED;
            } else {
                status = RunJson.status(outcome.stats());
                exitCode = outcome.exitCode();
            }
            notify = List.copyOf(listeners);
            listeners.clear();
        }
        for (Listener l : notify) l.changed();
        done.complete(null);
    }

    synchronized JsonObject endEvent() {
        JsonObject end = new JsonObject().put("id", id).put("status", status).put("exit_code", exitCode);
        return historyError == null ? end : end.put("history_error", historyError);
    }

    synchronized void historyFailed(String why) {
        historyError = why;
    }

    synchronized String historyError() {
        return historyError;
    }

    synchronized RunJson.Detail detail() {
        Map<String, List<TaskRecord>> t = new LinkedHashMap<>();
        tasks.forEach((h, l) -> t.put(h, List.copyOf(l)));
        return new RunJson.Detail(id, meta, status, start, end, exitCode, new LinkedHashMap<>(stats), t, error);
    }

    synchronized JsonObject summaryJson() {
        HostStats total = HostStats.EMPTY;
        int failed = 0;
        int unreachable = 0;
        for (HostStats s : stats.values()) {
            total = total.plus(s);
            if (s.failed() > 0) failed++;
            if (s.unreachable() > 0) unreachable++;
        }
        JsonObject j = new JsonObject().put("id", id).put("url", RunJson.url(id)).put("status", status);
        RunJson.meta(j, meta);
        return j.put("start", RunJson.str(start != null ? start : created)).put("end", RunJson.str(end))
                .put("exit_code", exitCode).put("host_count", stats.size()).put("failed_hosts", failed)
                .put("unreachable_hosts", unreachable).put("totals", EventJson.stats(total));
    }
}
