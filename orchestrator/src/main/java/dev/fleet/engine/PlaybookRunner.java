package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Play;
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
                if (st.active()) playHosts.add(st); // hosts failed in an earlier play sit the rest out, as in Ansible
            }
            events.publish(new RunEvent.PlayStarted(play.displayName(),
                    playHosts.stream().map(h -> h.name).toList(), Instant.now()));
            Runnable onDone = () -> {
                events.publish(new RunEvent.PlayFinished(play.displayName(), Instant.now()));
                nextPlay();
            };
            if (play.strategy() == Play.Strategy.FREE) new FreeStrategy(play, playHosts, onDone).start();
            else new LinearStrategy(play, playHosts, onDone).start();
        }

        /** Runs one task on one host within a fork slot; completes on the event loop with the result. */
        Future<TaskResult> runTask(HostState host, Play play, int taskIndex) {
            Promise<TaskResult> promise = Promise.promise();
            forks.submit(() -> {
                if (cancelled || !host.active()) {
                    promise.tryFail("cancelled");
                    return Future.succeededFuture();
                }
                Future<TaskResult> f = executor.execute(host, play, play.tasks().get(taskIndex));
                f.onComplete(ar -> {
                    if (ar.succeeded()) record(host, ar.result());
                    promise.handle(ar);
                });
                return f;
            });
            return promise.future();
        }

        void record(HostState host, TaskResult r) {
            if (cancelled) return;
            host.stats = host.stats.plus(r.status(), r.ignored());
            if (!r.ignored() && (r.status() == TaskStatus.FAILED || r.status() == TaskStatus.UNREACHABLE)) {
                host.out = r.status();
            }
            events.publish(new RunEvent.HostTaskFinished(r, Instant.now()));
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
            List<Future<?>> closing = new ArrayList<>();
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

        /** Every host finishes task N before any host starts task N+1. */
        final class LinearStrategy {
            final Play play;
            final List<HostState> playHosts;
            final Runnable onDone;
            int taskIndex;
            int pending;

            LinearStrategy(Play play, List<HostState> playHosts, Runnable onDone) {
                this.play = play;
                this.playHosts = playHosts;
                this.onDone = onDone;
            }

            void start() {
                nextTask();
            }

            void nextTask() {
                if (cancelled) return;
                List<HostState> active = playHosts.stream().filter(HostState::active).toList();
                if (taskIndex >= play.tasks().size() || active.isEmpty()) {
                    onDone.run();
                    return;
                }
                int index = taskIndex++;
                var task = play.tasks().get(index);
                events.publish(new RunEvent.TaskStarted(play.displayName(), taskName(play, task),
                        task.position().toString(), active.size(), Instant.now()));
                pending = active.size();
                for (HostState h : active) {
                    runTask(h, play, index).onComplete(ar -> {
                        if (--pending == 0) nextTask();
                    });
                }
            }
        }

        /** Each host runs through the play's tasks at its own pace. */
        final class FreeStrategy {
            final Play play;
            final List<HostState> playHosts;
            final Runnable onDone;
            final boolean[] announced;
            int hostsLeft;

            FreeStrategy(Play play, List<HostState> playHosts, Runnable onDone) {
                this.play = play;
                this.playHosts = playHosts;
                this.onDone = onDone;
                this.announced = new boolean[play.tasks().size()];
            }

            void start() {
                hostsLeft = playHosts.size();
                if (hostsLeft == 0 || play.tasks().isEmpty()) {
                    onDone.run();
                    return;
                }
                for (HostState h : playHosts) step(h, 0);
            }

            void step(HostState h, int index) {
                if (cancelled) return;
                if (index >= play.tasks().size() || !h.active()) {
                    if (--hostsLeft == 0) onDone.run();
                    return;
                }
                if (!announced[index]) {
                    announced[index] = true;
                    var task = play.tasks().get(index);
                    events.publish(new RunEvent.TaskStarted(play.displayName(), taskName(play, task),
                            task.position().toString(), playHosts.size(), Instant.now()));
                }
                runTask(h, play, index).onComplete(ar -> step(h, index + 1));
            }
        }
    }

    private String taskName(Play play, dev.fleet.playbook.Task task) {
        return HostTaskExecutor.taskName(templater, play, task, options.extraVars());
    }

    /** Releases the virtual-thread executor. The transport and Vert.x belong to the caller. */
    public void close() {
        blocking.shutdownNow();
    }
}
