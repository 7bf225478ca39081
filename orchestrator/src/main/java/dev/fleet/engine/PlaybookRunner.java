package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.engine.PlayProgram.Step;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.CustomStats;
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

    private final PlaybookParser parser;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    /** Where host-tasks run when not in this JVM (a clustered run), or null. */
    private final TaskDispatcher dispatcher;
    private volatile Run current;

    /** {@code parser} reads the task files the run includes (the run's: its roles path and vault). */
    public PlaybookRunner(Vertx vertx, Transport transport, ModuleRegistry modules, PlaybookParser parser,
            Templater templater, RunOptions options) {
        this(vertx, transport, modules, parser, templater, options, null);
    }

    /** A run whose host-tasks {@code dispatcher} sends elsewhere (null: run them here, over {@code transport}). */
    PlaybookRunner(Vertx vertx, Transport transport, ModuleRegistry modules, PlaybookParser parser,
            Templater templater, RunOptions options, TaskDispatcher dispatcher) {
        this.dispatcher = dispatcher;
        this.vertx = vertx;
        this.transport = transport;
        this.parser = parser;
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
        final RunInventory inventory;
        final EventStream events;
        final CompletableFuture<RunOutcome> done;
        final Map<String, HostState> hosts = new LinkedHashMap<>();
        final ForkPool forks = new ForkPool(options.forks());
        final TagFilter tags = new TagFilter(options.tags(), options.skipTags());
        final Map<Step, ForkPool> throttles = new java.util.IdentityHashMap<>();
        final HostExecutor executor;
        /** What set_stats tasks gathered so far (Ansible's custom stats). */
        CustomStats customStats = CustomStats.EMPTY;
        int playIndex;
        /** {@code meta: end_play} ran: the play's remaining batches are skipped. */
        boolean playEnded;
        boolean cancelled;
        boolean finished;

        Run(Context context, Playbook playbook, Inventory inventory, EventStream events,
                CompletableFuture<RunOutcome> done) {
            this.context = context;
            this.playbook = playbook;
            this.inventory = new RunInventory(inventory);
            this.events = events;
            this.done = done;
            Path dir = java.nio.file.Path.of(playbook.file()).toAbsolutePath().getParent();
            HostTaskExecutor here = new HostTaskExecutor(vertx, context, blocking, transport, modules, templater,
                    options, this.inventory, dir, hosts, parser);
            // a clustered run's coordinator still runs the controller's own actions itself
            this.executor = dispatcher != null ? new DispatchingExecutor(dispatcher, playbook, templater, options,
                    here, hosts, this.inventory) : here;
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
            inventory.get().select(play.hosts()).forEach(h -> selected.add(h.name()));
            if (options.limit() != null) {
                Set<String> limit = new LinkedHashSet<>();
                inventory.get().select(options.limit()).forEach(h -> limit.add(h.name()));
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
            for (String h : PlayRules.ordered(selectHosts(play), play.order())) {
                HostState st = hosts.computeIfAbsent(h, HostState::new); // add_host may have added it
                if (st.active()) { // hosts failed in an earlier play sit the rest out, as in Ansible
                    st.startPlay(play.forceHandlers());
                    playHosts.add(st);
                }
            }
            events.publish(new RunEvent.PlayStarted(play.displayName(),
                    playHosts.stream().map(h -> h.name).toList(), Instant.now()));
            PlayProgram program = new PlayProgram(play, tags);
            Strategy strategy = Strategies.find(play.strategy()).orElseThrow(() -> new IllegalStateException(
                    "strategy '" + play.strategy() + "' passed validation but is not registered"));
            runBatches(play, program, strategy, playHosts, play.rolling().batches(playHosts), 0);
        }

        /** serial: the whole play on one batch of hosts, then the next; failure policy checked between. */
        void runBatches(Play play, PlayProgram program, Strategy strategy, List<HostState> playHosts,
                List<List<HostState>> batches, int index) {
            if (cancelled) return;
            if (index == 0) playEnded = false;
            if (index >= batches.size() || playEnded) {
                events.publish(new RunEvent.PlayFinished(play.displayName(), null, Instant.now()));
                nextPlay();
                return;
            }
            List<HostState> batch = batches.get(index);
            batch.forEach(h -> h.startPlay(play.forceHandlers()));
            Batch run = new Batch(program, new PlayScope(play, playHosts, batch));
            strategy.run(run, () -> {
                String abort = PlayRules.abortReason(play, batch, run.fatal);
                if (abort != null) {
                    events.publish(new RunEvent.PlayFinished(play.displayName(), abort, Instant.now()));
                    finish(false); // as in Ansible: the playbook ends here
                    return;
                }
                runBatches(play, program, strategy, playHosts, batches, index + 1);
            });
        }

        /** One batch of a play as its strategy sees it. */
        final class Batch implements PlayBatch {
            final Play play;
            final PlayScope scope;
            /** The steps walked: the play's, or an included file's. */
            final List<Step> steps;
            /** The hosts walking them: the batch's, or those that included a file. */
            final List<HostState> walkers;
            /** The whole batch this is a view of (itself, unless this walks an included file). */
            final Batch root;
            /** A task with {@code any_errors_fatal} failed on a host of this batch (kept on the root). */
            boolean fatal;
            /** What this batch's includes brought in (kept on the root). */
            final BatchIncludes includes;

            Batch(PlayProgram program, PlayScope scope) {
                this.play = scope.play();
                this.scope = scope;
                this.steps = program.steps;
                this.walkers = scope.batch();
                this.root = this;
                this.includes = new BatchIncludes(play, tags);
            }

            private Batch(Batch root, List<Step> steps, List<HostState> walkers) {
                this.play = root.play;
                this.scope = root.scope;
                this.steps = steps;
                this.walkers = walkers;
                this.root = root;
                this.includes = root.includes;
            }

            @Override
            public List<Step> steps() {
                return steps;
            }

            @Override
            public List<HostState> hosts() {
                return walkers;
            }

            @Override
            public PlayBatch view(List<Step> steps, List<HostState> hosts) {
                return new Batch(root, steps, hosts);
            }

            @Override
            public List<IncludeGroup> takeIncludes(List<HostState> hosts, Step include) {
                return includes.take(hosts, include);
            }

            @Override
            public List<IncludeGroup> includedHandlers(List<HostState> hosts) {
                return includes.handlers(hosts);
            }

            @Override
            public int forks() {
                return options.forks();
            }

            @Override
            public boolean cancelled() {
                return cancelled;
            }

            @Override
            public Task taskOf(Step step) {
                return PlayRules.taskOf(play, step);
            }

            @Override
            public void announce(Step step, int hostCount) {
                Task task = taskOf(step);
                events.publish(new RunEvent.TaskStarted(play.displayName(), taskName(play, task),
                        task.position().toString(), hostCount, Instant.now()));
            }

            @Override
            public Future<TaskResult> run(HostState host, Step step) {
                Task task = taskOf(step);
                int throttle = task.keywords().throttle();
                if (throttle > 0 && throttle < options.forks()) {
                    // throttle: a pool of its own in front of the global one
                    Promise<TaskResult> promise = Promise.promise();
                    ForkPool pool = throttles.computeIfAbsent(step, s -> new ForkPool(throttle));
                    pool.submit(() -> {
                        Future<TaskResult> f = runInForks(host, step, task);
                        f.onComplete(promise);
                        return f;
                    });
                    return promise.future();
                }
                return runInForks(host, step, task);
            }

            Future<TaskResult> runInForks(HostState host, Step step, Task task) {
                Promise<TaskResult> promise = Promise.promise();
                forks.submit(() -> {
                    if (cancelled || !host.walking()) {
                        promise.tryFail("cancelled");
                        return Future.succeededFuture();
                    }
                    Future<TaskResult> f = executor.execute(host, scope, task);
                    f.onComplete(ar -> {
                        if (ar.succeeded()) record(host, step, task, ar.result());
                        promise.handle(ar);
                    });
                    return f;
                });
                return promise.future();
            }

            void record(HostState host, Step step, Task task, TaskResult r) {
                if (cancelled) return;
                host.stats = host.stats.plus(r.status(), r.ignored(), r.outcome().rc() != null);
                customStats = SetStats.gather(customStats, host.name, r.outcome());
                events.publish(new RunEvent.HostTaskFinished(r, Instant.now()));
                if ((r.status() == TaskStatus.UNREACHABLE || r.status() == TaskStatus.FAILED) && !r.ignored()) {
                    host.failed(step.frames(), r.status());
                    if (!step.frames().isEmpty()) {
                        // what a rescue sees as ansible_failed_task / ansible_failed_result
                        host.failedTask = Map.of("name", task.displayName(), "action", task.module());
                        host.failedResult = Registered.of(r.outcome());
                    }
                    if (Boolean.TRUE.equals(task.keywords().anyErrorsFatal())) root.fatal = true;
                }
                if (r.status() == TaskStatus.CHANGED) host.notify(task.keywords().notifies());
                if (step instanceof Step.RunHandler h) host.handlerRan(h);
                else host.taskRan(task, r.status());
                Object meta = r.outcome().data().get("meta");
                if (meta != null) meta(host, String.valueOf(meta));
            }

            /** The meta actions that change the play's flow for this host or for all of them. */
            void meta(HostState host, String action) {
                switch (action) {
                    case "end_host" -> host.endedPlay = true;
                    case "end_batch" -> scope.batch().forEach(h -> h.endedPlay = true);
                    case "end_play" -> {
                        scope.batch().forEach(h -> h.endedPlay = true);
                        playEnded = true; // later serial batches do not start either
                    }
                    case "clear_host_errors" -> scope.playHosts().forEach(HostState::clearFailure);
                    default -> { }
                }
            }

            @Override
            public void endBlock(HostState host, Step.EndBlock end) {
                host.stats = switch (host.endBlock(end.scope(), end.frames())) {
                    case RESCUED -> host.stats.rescue();
                    case RESCUED_UNREACHABLE -> host.stats.rescueUnreachable();
                    case PLAIN -> host.stats;
                };
            }

            @Override
            public HostFacts runOnceResult(HostState ran) {
                // include_vars too: Ansible sets what a run_once include_vars loaded on every host of the batch
                HostFacts own = ran.lastUpdates.get(ran.name);
                return new HostFacts(own == null ? Map.of() : own.included(), ran.lastSet); // copies both
            }

            @Override
            public void shareRunOnce(HostFacts set, List<HostState> others) {
                for (HostState o : others) executor.shared(o, set);
            }

            @Override
            public boolean fatalFailure() {
                return root.fatal
                        || (play.rolling().anyErrorsFatal() && scope.batch().stream().anyMatch(h -> !h.active()));
            }
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
            events.publish(new RunEvent.RunFinished(stats, customStats, interrupted, Instant.now()));
            List<HostState> toClose = new ArrayList<>(hosts.values());
            // Closing sessions blocks (and on cancel, is what stops remote commands): off the event loop.
            blocking.execute(() -> {
                // Cancelled: stop the remote commands first (bounded), then close the connections.
                if (interrupted) executor.interruptRunning(CANCEL_GRACE);
                closeAll(toClose);
                executor.closeDelegates();
                try {
                    events.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                done.complete(new RunOutcome(stats, interrupted));
            });
        }
    }

    /** Closes the hosts' sessions in parallel, waiting up to 30 s. Blocking. */
    static void closeAll(java.util.Collection<HostState> states) {
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

    private String taskName(Play play, Task task) {
        return HostTaskExecutor.taskName(templater, play, task, options.extraVars());
    }

    /** Releases the virtual-thread executor. The transport and Vert.x belong to the caller. */
    public void close() {
        blocking.shutdownNow();
    }
}
