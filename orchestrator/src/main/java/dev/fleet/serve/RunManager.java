package dev.fleet.serve;

import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunSetup;
import dev.fleet.history.Retention;
import dev.fleet.history.RunMeta;
import dev.fleet.history.RunStore;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts, queues, cancels and records runs. {@link #prepare} blocks (file system, parsing, history): call it off
 * the event loop. Runs execute through the {@link RunLauncher} the config asks for: on the shared Vert.x instance,
 * each with its own runner and SSH transport, or on a cluster's workers.
 */
final class RunManager {
    private static final int KEEP_FINISHED_IN_MEMORY = 200;

    private final Vertx vertx;
    private final ServeConfig config;
    private final RunStore store;
    private final Consumer<String> log;
    private final RunSetup setup = new RunSetup();
    final PathGuard playbooks;
    final PathGuard inventories;
    private final RunOptions.Secret becomePassword;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    final RunLauncher launcher;

    private final Map<String, ManagedRun> runs = new ConcurrentHashMap<>();
    /** Guarded by this. */
    private final Deque<ManagedRun> queue = new ArrayDeque<>();
    private final LinkedHashMap<String, Boolean> finishedOrder = new LinkedHashMap<>();
    private int running;
    /** Runs admitted and still being parsed and recorded: they count against the queue limit. */
    private int admitting;
    private boolean closing;

    RunManager(Vertx vertx, ServeConfig config, RunStore store, Consumer<String> log, RunOptions.Secret become) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.log = log;
        this.becomePassword = become;
        this.playbooks = new PathGuard("playbook", "playbook_dirs", config.playbookDirs(), false);
        this.inventories = new PathGuard("inventory", "inventory_dirs", config.inventoryDirs(), true);
        this.launcher = RunLauncher.of(vertx, config, setup, log, text -> inventories.scrub(playbooks.scrub(text)));
    }

    /**
     * Parses what a run needs; a ParseException becomes a 422 with {@code file:line:column}. Blocking.
     */
    record Parsed(Playbook playbook, Inventory inventory) {}

    Parsed parse(String playbook, String inventory) {
        Path pb = playbooks.resolve(playbook);
        Path inv = inventories.resolve(inventory);
        try {
            Inventory i = Inventory.load(inv);
            Playbook p = setup.parse(pb);
            return new Parsed(p, i);
        } catch (ParseException e) {
            String msg = inventories.scrub(playbooks.scrub(e.getMessage()));
            throw new ApiError(422, msg);
        }
    }

    /** Validates, parses and records a run, then queues it. Blocking; throws ApiError. */
    ManagedRun submit(RunRequest req, String trigger, String schedule) {
        admit();
        boolean placed = false;
        try {
            ManagedRun run = prepare(req, trigger, schedule);
            placed = true;
            place(run);
            return run;
        } finally {
            if (!placed) {
                synchronized (this) {
                    admitting--;
                }
            }
        }
    }

    /**
     * Takes a place for one more run, or refuses it: with {@code max_concurrent_runs} running and
     * {@code max_queued_runs} waiting (counting submissions still being parsed), a run is refused with 429 rather
     * than queued without end.
     */
    private synchronized void admit() {
        if (closing) throw new ApiError(503, "fleet serve is shutting down");
        int waiting = queue.size() + admitting;
        if (running + waiting >= config.maxConcurrentRuns() + config.maxQueuedRuns()) {
            throw new ApiError(429, "too many runs: " + running + " running and " + waiting + " waiting "
                    + "(limits.max_concurrent_runs " + config.maxConcurrentRuns() + ", limits.max_queued_runs "
                    + config.maxQueuedRuns() + "); try again once some have finished");
        }
        admitting++;
    }

    private ManagedRun prepare(RunRequest req, String trigger, String schedule) {
        Parsed parsed = parse(req.playbook(), req.inventory());
        List<String> warnings = new ArrayList<>();
        if (req.limit() != null && parsed.inventory().select(req.limit()).isEmpty()) {
            warnings.add("limit '" + req.limit() + "' matches no hosts in " + req.inventory());
        }
        var ssh = config.ssh();
        RunOptions options = new RunOptions(ssh.forks(), req.limit(), ssh.user(), ssh.privateKey(),
                ssh.connectTimeout(), ssh.taskTimeout(), req.extraVars(), req.check(), false, java.util.Set.of(),
                java.util.Set.of(), becomePassword);
        String id = newId();
        RunMeta meta = new RunMeta(req.playbook(), req.inventory(), req.limit(), trigger, req.check());
        RunSink recorder;
        String notRecorded = null;
        try {
            recorder = store.recorder(id, meta);
        } catch (RuntimeException e) {
            // a full disk or a locked database never stops a run: it goes on, unrecorded, and says so
            notRecorded = "not recorded in the history: " + e.getMessage();
            log.accept("history: WARNING: run " + id + " is " + notRecorded + "; the run goes on");
            recorder = event -> { };
        }
        ManagedRun run = new ManagedRun(id, meta, schedule, parsed.playbook(), parsed.inventory(), options, recorder);
        if (notRecorded != null) run.historyFailed(notRecorded);
        runs.put(id, run);
        log.accept("run " + id + " accepted (" + trigger + "): " + req.playbook() + " on " + req.inventory()
                + (req.limit() != null ? " limit " + req.limit() : "") + (req.check() ? " (check)" : "")
                + (warnings.isEmpty() ? "" : "; " + String.join("; ", warnings)));
        return run;
    }

    /** Starts an admitted run now, or queues it. */
    private void place(ManagedRun run) {
        boolean startNow;
        synchronized (this) {
            admitting--;
            if (closing) {
                startNow = false;
                run.requestStop("interrupted");
            } else if (running < config.maxConcurrentRuns()) {
                running++;
                startNow = true;
            } else {
                queue.add(run);
                startNow = false;
            }
        }
        if (startNow) launch(run);
        else if (run.stopReason() != null) finishUnstarted(run);
    }

    private void launch(ManagedRun run) {
        launcher.start(run, List.of(run, run.recorder)).whenComplete((started, err) -> {
            if (err != null) {
                log.accept("run " + run.id + " could not start: " + err);
                finishUnstarted(run);
                ended(run);
                return;
            }
            run.attach(started);
            started.outcome().whenCompleteAsync((outcome, failure) -> {
                store.recordingFailure(run.id).ifPresent(run::historyFailed); // the recorder is closed by now
                run.finish(outcome, failure);
                log.accept("run " + run.id + " " + run.status() + (failure != null ? ": " + failure : ""));
                ended(run);
            }, blocking);
        });
    }

    /** A run stopped before the runner started it: it is still recorded, as interrupted. */
    private void finishUnstarted(ManagedRun run) {
        blocking.execute(() -> {
            try {
                run.recorder.accept(new RunEvent.RunStarted(run.playbook.file(), List.of(), run.created));
                run.recorder.accept(new RunEvent.RunFinished(Map.of(), true, Instant.now()));
                run.recorder.close();
            } catch (Exception e) {
                log.accept("run " + run.id + ": could not record: " + e);
            }
            run.finish(null, null);
            log.accept("run " + run.id + " " + run.status() + " before it started");
            synchronized (this) {
                finishedOrder.put(run.id, true);
            }
        });
    }

    private void ended(ManagedRun run) {
        ManagedRun next = null;
        synchronized (this) {
            running--;
            finishedOrder.put(run.id, true);
            while (finishedOrder.size() > KEEP_FINISHED_IN_MEMORY) {
                String oldest = finishedOrder.keySet().iterator().next();
                finishedOrder.remove(oldest);
                runs.remove(oldest);
            }
            if (!closing && !queue.isEmpty()) {
                next = queue.poll();
                running++;
            }
        }
        if (next != null) launch(next);
        Retention retention = config.history().retention();
        if (retention.maxRuns() != null || retention.maxAge() != null) {
            try {
                int n = store.applyRetention(retention);
                if (n > 0) log.accept("history: " + n + " old run(s) deleted by retention");
            } catch (RuntimeException e) {
                log.accept("history: retention failed: " + e);
            }
        }
    }

    Optional<ManagedRun> get(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** DELETE: false when the run already ended. */
    boolean cancel(ManagedRun run, String reason) {
        boolean removed;
        synchronized (this) {
            removed = queue.remove(run);
        }
        if (!run.requestStop(reason)) return false;
        if (removed) finishUnstarted(run);
        log.accept("run " + run.id + ": " + reason + " requested");
        return true;
    }

    /**
     * Stops accepting runs, lets running ones finish for up to {@code grace}, then cancels the rest (recorded as
     * interrupted) and waits for them to be recorded.
     */
    CompletableFuture<Void> shutdown(Duration grace) {
        return CompletableFuture.runAsync(() -> {
            List<ManagedRun> queued;
            synchronized (this) {
                closing = true;
                queued = new ArrayList<>(queue);
                queue.clear();
            }
            for (ManagedRun r : queued) {
                r.requestStop("interrupted");
                finishUnstarted(r);
            }
            List<CompletableFuture<Void>> active = runs.values().stream().filter(r -> !r.finished())
                    .map(r -> r.done).toList();
            CompletableFuture<Void> all = CompletableFuture.allOf(active.toArray(CompletableFuture[]::new));
            if (!active.isEmpty() && grace.toMillis() > 0) {
                log.accept("shutdown: waiting up to " + grace.toSeconds() + "s for " + active.size() + " run(s)");
                try {
                    all.get(grace.toMillis(), TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    // grace over: cancel below
                }
            }
            List<ManagedRun> left = runs.values().stream().filter(r -> !r.finished()).toList();
            if (!left.isEmpty()) log.accept("shutdown: interrupting " + left.size() + " running run(s)");
            for (ManagedRun r : left) r.requestStop("interrupted");
            try {
                all.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.accept("shutdown: runs still finishing after 60s; the history marks them interrupted on the "
                        + "next start");
            }
            blocking.shutdown();
        }, Executors.newVirtualThreadPerTaskExecutor());
    }

    /** The same id scheme as CLI runs, so `fleet history` lists and prefixes them alike. */
    private String newId() {
        return dev.fleet.history.RunIds.next();
    }
}
