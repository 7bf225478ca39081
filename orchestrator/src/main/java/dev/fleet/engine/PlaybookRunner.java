package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.Templater;
import dev.fleet.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs a playbook against an inventory. All scheduling state lives on one Vert.x event-loop context; anything
 * that blocks (SSH connect, commands, closing sessions) runs on virtual threads and reports back with
 * {@code runOnContext}. The runner knows nothing about any module or report format.
 */
public final class PlaybookRunner {
    private final Vertx vertx;
    private final Transport transport;
    private final ModuleRegistry modules;
    private final Templater templater;
    private final RunOptions options;

    /** How long a cancelled run waits for its running tasks to stop their remote commands. */
    private static final java.time.Duration CANCEL_GRACE = java.time.Duration.ofSeconds(7);

    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Run current;

    public PlaybookRunner(Vertx vertx, Transport transport, ModuleRegistry modules, Templater templater,
            RunOptions options) {
        this.vertx = vertx;
        this.transport = transport;
        this.modules = modules;
        this.templater = templater;
        this.options = options;
    }

    /** Runs the playbook to the end (or until {@link #cancel()}); events go to the sinks in order. */
    public CompletableFuture<RunOutcome> run(Playbook playbook, Inventory inventory, List<RunSink> sinks) {
        Context ctx = vertx.getOrCreateContext();
        CompletableFuture<RunOutcome> done = new CompletableFuture<>();
        ctx.runOnContext(v -> {
            Run run = new Run(ctx, playbook, inventory, new EventStream(sinks), done);
            current = run;
            run.start();
        });
        return done;
    }

    /**
     * Stops the run: no new task starts, running remote commands are stopped by closing their connections,
     * and the run ends with what it has, marked interrupted. Safe from any thread.
     */
    public void cancel() {
        Run run = current;
        if (run != null) run.context.runOnContext(v -> run.cancel());
    }

    /** One execution of a playbook; every field is confined to the event-loop context. */
    private final class Run {
        final Context context;
        final Playbook playbook;
        final Inventory inventory;
        final EventStream events;
        final CompletableFuture<RunOutcome> done;
        final Map<String, HostState> hosts = new LinkedHashMap<>();
        final ForkPool forks = new ForkPool(options.forks());
        final PlayProgram.TagFilter tags = new PlayProgram.TagFilter(options.tags(), options.skipTags());
        final Map<Step, ForkPool> throttles = new java.util.IdentityHashMap<>();
        final HostTaskExecutor executor;
        int playIndex;
        boolean cancelled;
        boolean finished;

        Run(Context context, Playbook playbook, Inventory inventory, EventStream events,
                CompletableFuture<RunOutcome> done) {
            this.context = context;
            this.playbook = playbook;
            this.inventory = inventory;
            this.events = events;
            this.done = done;
            Path dir = java.nio.file.Path.of(playbook.file()).toAbsolutePath().getParent();
            this.executor = new HostTaskExecutor(vertx, context, blocking, transport, modules, templater, options,
                    inventory, dir);
        }

        void start() {
            Set<String> all = new LinkedHashSet<>();
            for (Play p : playbook.plays()) all.addAll(selectHosts(p));
            for (String h : all) hosts.put(h, new HostState(h));
            events.publish(new RunEvent.RunStarted(playbook.file(), List.copyOf(all), Instant.now()));
            nextPlay();
        }

        List<String> selectHosts(Play play) {
            List<String> selected = new ArrayList<>();
            inventory.select(play.hosts()).forEach(h -> selected.add(h.name()));
            if (options.limit() != null) {
                Set<String> limit = new LinkedHashSet<>();
                inventory.select(options.limit()).forEach(h -> limit.add(h.name()));
                selected.retainAll(limit);
            }
            return selected;
        }

        void nextPlay() {
            if (cancelled) return;
            if (playIndex >= playbook.plays().size()) {
                finish(false);
                return;
            }
            Play play = playbook.plays().get(playIndex++);
            List<HostState> playHosts = new ArrayList<>();
            for (String h : selectHosts(play)) {
                HostState st = hosts.get(h);
                if (st.active()) { // hosts failed in an earlier play sit the rest out, as in Ansible
                    st.startPlay();
                    playHosts.add(st);
                }
            }
            events.publish(new RunEvent.PlayStarted(play.displayName(),
                    playHosts.stream().map(h -> h.name).toList(), Instant.now()));
            PlayProgram program = new PlayProgram(play, tags);
            runBatches(play, program, play.rolling().batches(playHosts), 0);
        }

        /** serial: the whole play on one batch of hosts, then the next; failure policy checked between. */
        void runBatches(Play play, PlayProgram program, List<List<HostState>> batches, int index) {
            if (cancelled) return;
            if (index >= batches.size()) {
                events.publish(new RunEvent.PlayFinished(play.displayName(), null, Instant.now()));
                nextPlay();
                return;
            }
            List<HostState> batch = batches.get(index);
            batch.forEach(HostState::startPlay);
            Runnable onDone = () -> {
                String abort = abortReason(play, batch);
                if (abort != null) {
                    events.publish(new RunEvent.PlayFinished(play.displayName(), abort, Instant.now()));
                    finish(false); // as in Ansible: the playbook ends here
                    return;
                }
                runBatches(play, program, batches, index + 1);
            };
            if (play.strategy() == Play.Strategy.FREE) new FreeStrategy(play, program, batch, onDone).start();
            else new LinearStrategy(play, program, batch, onDone).start();
        }

        /** Why the play must stop after this batch, or null. */
        String abortReason(Play play, List<HostState> batch) {
            long failed = batch.stream().filter(h -> !h.active()).count();
            if (failed > 0 && play.rolling().anyErrorsFatal()) {
                return "any_errors_fatal: " + failed + " host(s) failed, so the play stops for every host";
            }
            Integer max = play.rolling().maxFailPercentage();
            if (max != null && failed * 100.0 / batch.size() > max) {
                return String.format("max_fail_percentage %d%% exceeded: %d of %d hosts in the batch failed",
                        max, failed, batch.size());
            }
            return null;
        }

        /** With any_errors_fatal, the first failure stops every host after the current task. */
        boolean fatalFailure(Play play, List<HostState> hosts) {
            return play.rolling().anyErrorsFatal() && hosts.stream().anyMatch(h -> !h.active());
        }

        /** The task a step runs; fact gathering is the {@code setup} module under Ansible's name for it. */
        Task taskOf(Play play, Step step) {
            return switch (step) {
                case Step.RunTask t -> t.task();
                case Step.RunHandler h -> h.handler();
                case Step.GatherFacts g -> new Task("Gathering Facts", "setup", Map.of(), Keywords.NONE,
                        play.position());
                case Step.EndBlock e -> throw new IllegalStateException("an end of block runs no task");
            };
        }

        /** Runs one step on one host within a fork slot; completes on the event loop once recorded. */
        Future<TaskResult> runStep(HostState host, Play play, Step step, List<HostState> playHosts) {
            Promise<TaskResult> promise = Promise.promise();
            Task task = taskOf(play, step);
            int throttle = task.keywords().throttle();
            if (throttle > 0 && throttle < options.forks()) {
                // throttle: a pool of its own in front of the global one
                ForkPool pool = throttles.computeIfAbsent(step, s -> new ForkPool(throttle));
                pool.submit(() -> {
                    Future<TaskResult> f = runInForks(host, play, step, task, playHosts);
                    f.onComplete(promise);
                    return f;
                });
                return promise.future();
            }
            return runInForks(host, play, step, task, playHosts);
        }

        Future<TaskResult> runInForks(HostState host, Play play, Step step, Task task, List<HostState> playHosts) {
            Promise<TaskResult> promise = Promise.promise();
            forks.submit(() -> {
                if (cancelled || !host.active()) {
                    promise.tryFail("cancelled");
                    return Future.succeededFuture();
                }
                Future<TaskResult> f = executor.execute(host, play, task);
                f.onComplete(ar -> {
                    if (ar.succeeded()) record(host, step, task, ar.result(), playHosts);
                    promise.handle(ar);
                });
                return f;
            });
            return promise.future();
        }

        void record(HostState host, Step step, Task task, TaskResult r, List<HostState> playHosts) {
            if (cancelled) return;
            host.stats = host.stats.plus(r.status(), r.ignored());
            events.publish(new RunEvent.HostTaskFinished(r, Instant.now()));
            if (r.status() == TaskStatus.UNREACHABLE
                    || (r.status() == TaskStatus.FAILED && !r.ignored())) {
                host.failed(step.frames(), r.status());
            }
            if (r.status() == TaskStatus.CHANGED) host.notified.addAll(task.keywords().notifies());
            if (step instanceof Step.RunHandler h) host.handlerRan(h);
            Object meta = r.outcome().data().get("meta");
            if ("end_host".equals(meta)) host.endedPlay = true;
            if ("end_play".equals(meta)) playHosts.forEach(h -> h.endedPlay = true);
        }

        /** run_once: the other hosts see the one result as their own registered variable and facts. */
        void shareRunOnce(HostState ran, Task task, List<HostState> others) {
            String reg = task.keywords().register();
            for (HostState o : others) {
                if (reg != null && ran.hostFacts.containsKey(reg)) o.hostFacts.put(reg, ran.hostFacts.get(reg));
            }
        }

        /** An end of block needs no host: decided on the event loop from the host's block state. */
        void endBlock(HostState host, Step.EndBlock end) {
            if (host.endBlock(end.scope(), end.frames())) host.stats = host.stats.rescue();
        }

        void cancel() {
            if (finished || cancelled) return;
            cancelled = true;
            forks.clearWaiting();
            finish(true);
        }

        void finish(boolean interrupted) {
            if (finished) return;
            finished = true;
            Map<String, HostStats> stats = new LinkedHashMap<>();
            hosts.forEach((name, st) -> stats.put(name, st.stats));
            events.publish(new RunEvent.RunFinished(stats, interrupted, Instant.now()));
            List<HostState> toClose = new ArrayList<>(hosts.values());
            // Closing sessions blocks (and on cancel, is what stops remote commands): off the event loop.
            blocking.execute(() -> {
                // Cancelled: stop the remote commands first (bounded), then close the connections.
                if (interrupted) executor.interruptRunning(CANCEL_GRACE);
                closeAll(toClose);
                try {
                    events.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.complete(new RunOutcome(stats, interrupted));
            });
        }

        void closeAll(List<HostState> states) {
            try (ExecutorService closer = Executors.newVirtualThreadPerTaskExecutor()) {
                for (HostState st : states) {
                    var s = st.session;
                    if (s != null) closer.execute(s::close);
                }
                closer.shutdown();
                closer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Every host finishes step N before any host starts step N+1. */
        final class LinearStrategy {
            final Play play;
            final List<Step> steps;
            final List<HostState> playHosts;
            final Runnable onDone;
            int index;
            int pending;

            LinearStrategy(Play play, PlayProgram program, List<HostState> playHosts, Runnable onDone) {
                this.play = play;
                this.steps = program.steps;
                this.playHosts = playHosts;
                this.onDone = onDone;
            }

            void start() {
                nextStep();
            }

            void nextStep() {
                while (!cancelled) {
                    if (index >= steps.size() || playHosts.stream().noneMatch(h -> h.active() && !h.endedPlay)) {
                        onDone.run();
                        return;
                    }
                    Step step = steps.get(index++);
                    List<HostState> taking = playHosts.stream().filter(h -> h.takes(step)).toList();
                    if (step instanceof Step.EndBlock end) {
                        taking.forEach(h -> endBlock(h, end));
                        continue;
                    }
                    if (taking.isEmpty()) continue; // e.g. a rescue no host needs: no banner, as in Ansible
                    Task task = taskOf(play, step);
                    List<HostState> others = List.of();
                    if (task.keywords().runOnce()) {
                        others = taking.subList(1, taking.size());
                        taking = taking.subList(0, 1);
                    }
                    events.publish(new RunEvent.TaskStarted(play.displayName(), taskName(play, task),
                            task.position().toString(), taking.size(), Instant.now()));
                    pending = taking.size();
                    List<HostState> shareWith = others;
                    for (HostState h : taking) {
                        runStep(h, play, step, playHosts).onComplete(ar -> {
                            if (ar.succeeded() && !shareWith.isEmpty()) shareRunOnce(h, task, shareWith);
                            if (--pending == 0) {
                                if (fatalFailure(play, playHosts)) onDone.run();
                                else nextStep();
                            }
                        });
                    }
                    return;
                }
            }
        }

        /** Each host walks the play's steps at its own pace. */
        final class FreeStrategy {
            final Play play;
            final List<Step> steps;
            final List<HostState> playHosts;
            final Runnable onDone;
            final boolean[] announced;
            int hostsLeft;

            FreeStrategy(Play play, PlayProgram program, List<HostState> playHosts, Runnable onDone) {
                this.play = play;
                this.steps = program.steps;
                this.playHosts = playHosts;
                this.onDone = onDone;
                this.announced = new boolean[steps.size()];
            }

            void start() {
                hostsLeft = playHosts.size();
                if (hostsLeft == 0) {
                    onDone.run();
                    return;
                }
                for (HostState h : playHosts) walk(h, 0);
            }

            void walk(HostState h, int from) {
                int index = from;
                while (!cancelled) {
                    if (index >= steps.size() || !h.active() || h.endedPlay) {
                        if (--hostsLeft == 0) onDone.run();
                        return;
                    }
                    Step step = steps.get(index++);
                    if (!h.takes(step)) continue;
                    if (step instanceof Step.EndBlock end) {
                        endBlock(h, end);
                        continue;
                    }
                    Task task = taskOf(play, step);
                    if (task.keywords().runOnce() && announced[index - 1]) continue; // another host ran it
                    if (!announced[index - 1]) {
                        announced[index - 1] = true;
                        events.publish(new RunEvent.TaskStarted(play.displayName(), taskName(play, task),
                                task.position().toString(), playHosts.size(), Instant.now()));
                    }
                    int next = index;
                    runStep(h, play, step, playHosts).onComplete(ar -> {
                        if (fatalFailure(play, playHosts)) playHosts.forEach(x -> x.endedPlay = true);
                        walk(h, next);
                    });
                    return;
                }
            }
        }
    }

    private String taskName(Play play, Task task) {
        return HostTaskExecutor.taskName(templater, play, task, options.extraVars());
    }

    /** Releases the virtual-thread executor. The transport and Vert.x belong to the caller. */
    public void close() {
        blocking.shutdownNow();
    }
}
