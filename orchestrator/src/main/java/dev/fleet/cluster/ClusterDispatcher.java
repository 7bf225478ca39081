package dev.fleet.cluster;

import dev.fleet.engine.ActivityChange;
import dev.fleet.engine.HostFacts;
import dev.fleet.engine.InventoryChange;
import dev.fleet.engine.RemoteReply;
import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.engine.TaskDispatcher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The coordinator's side of a clustered run: gives each host to one live worker when its first task comes (a
 * worker of the host's {@code fleet_worker_group} if it names one, else the least loaded), keeps it there, and
 * sends it each task. A task whose worker leaves the cluster fails at once (its membership-removed event), one
 * whose worker stays silent fails after the task's own watchdog plus {@code replyGrace}; the engine turns both
 * into {@code unreachable} for that host (the task may have run). A host of a lost worker whose next task had not
 * been sent moves to another live worker of its group, with every variable the coordinator mirrors for it
 * ({@link #hasState}). A worker that joins the cluster during the run is opened in the background and takes hosts
 * given out from then on. All state is confined to the run's event-loop context.
 */
final class ClusterDispatcher implements TaskDispatcher {
    /** How long a worker has to answer a ping or to unpack and parse a shipped run. */
    private static final Duration PING_LIMIT = Duration.ofSeconds(5);
    private static final int PING_ATTEMPTS = 6;
    /** After the first worker has opened the run, how long the others have before it starts without them. */
    private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(5);
    private static final Duration OPEN_LIMIT = Duration.ofSeconds(60);
    /** How long after a member joined the run looks for its worker's registry entry (its Vert.x starts first). */
    private static final Duration JOIN_WAIT = Duration.ofSeconds(60);
    private static final long JOIN_POLL_MS = 500;

    /** A live worker of this run: a worker restarted under the same id is another one (another node). */
    record WorkerRef(String id, String group, String node) {}

    private final ClusterNode node;
    private final Vertx vertx;
    private final String runId;
    private final JsonObject openMessage;
    /** Workers that opened the run, in the order they did; lost ones stay (see {@link #lost}). */
    private final List<WorkerRef> workers;
    /** A host's inventory variables as the run has them now (the engine's, {@link #inventoryVars}). */
    private Function<String, Map<String, Object>> inventoryVars = host -> Map.of();
    private final Duration replyGrace;
    private final Consumer<String> warn;
    private final Map<String, WorkerRef> owner = new HashMap<>();
    private final Map<WorkerRef, Integer> load = new HashMap<>();
    private final Set<WorkerRef> lost = new LinkedHashSet<>();
    /** Every worker this run tried to open: a worker that refused once is not asked again on each join. */
    private final Set<WorkerRef> known = new HashSet<>();
    private final Map<WorkerRef, Map<String, Future<Void>>> scopesSent = new HashMap<>();
    private final Map<WorkerRef, Set<Promise<RemoteReply>>> inFlight = new HashMap<>();
    /** Membership events that came before the run's first task, when its context is not known yet. */
    private final Queue<Runnable> early = new ConcurrentLinkedQueue<>();
    private final Runnable stopListening;
    /** Per worker: how many of the run's inventory changes it was sent, and when it has applied them. */
    private final Map<WorkerRef, Integer> inventorySent = new HashMap<>();
    private final Map<WorkerRef, Future<Void>> inventoryApplied = new HashMap<>();
    /** Per worker: how many of the run's activity changes it was sent (they travel with the tasks). */
    private final Map<WorkerRef, Integer> activitySent = new HashMap<>();
    /** Answers workers' {@code hostvars} questions for this run; null until the engine hands over its copy. */
    private volatile CoordinatorMirror mirror;
    private volatile Context context;
    private boolean closed;

    private ClusterDispatcher(ClusterNode node, String runId, JsonObject openMessage, List<WorkerRef> tried,
            List<WorkerRef> opened, Duration replyGrace, Consumer<String> warn) {
        this.node = node;
        this.vertx = node.vertx;
        this.runId = runId;
        this.openMessage = openMessage;
        this.workers = new ArrayList<>(opened);
        this.known.addAll(tried);
        this.replyGrace = replyGrace;
        this.warn = warn;
        this.stopListening = node.onMembership(
                id -> onContext(() -> lookForJoined(id, System.nanoTime() + JOIN_WAIT.toNanos())),
                id -> onContext(() -> memberLeft(id)));
    }

    /**
     * Finds the live workers and opens the run on each (ships {@code open}: the playbook archive, inventory and
     * options). Blocking; not on an event loop.
     */
    static ClusterDispatcher open(ClusterNode node, ClusterConfig config, String runId, JsonObject open,
            Consumer<String> warn) throws ClusterException {
        List<WorkerRef> candidates = registered(node);
        JsonObject openMessage = open.copy().put("op", "open").put("run", runId);
        List<CompletableFuture<JsonObject>> replies = new ArrayList<>();
        for (WorkerRef w : candidates) {
            replies.add(ping(node.vertx, w, PING_ATTEMPTS)
                    .compose(pong -> request(node.vertx, w, openMessage, OPEN_LIMIT))
                    .toCompletionStage().toCompletableFuture());
        }
        awaitWorkers(replies);
        List<WorkerRef> opened = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            CompletableFuture<JsonObject> r = replies.get(i);
            if (r.isDone() && !r.isCompletedExceptionally()) {
                opened.add(candidates.get(i));
                continue;
            }
            String why = !r.isDone() ? "no answer yet" : r.handle((x, e) -> e.getMessage()).join();
            problems.add(candidates.get(i).id() + ": " + why);
        }
        if (opened.isEmpty()) {
            throw new ClusterException("no live fleet worker in cluster '" + config.name() + "' (members "
                    + config.members() + ")" + (problems.isEmpty() ? "; start some with 'fleet worker --config ...'"
                    : ": " + String.join("; ", problems)));
        }
        // a member without the cluster's certificate shows up here on every run: worth a line, not a failure
        problems.forEach(p -> warn.accept("fleet worker left out of this run (its TLS handshake or its answer "
                + "failed): " + p));
        return new ClusterDispatcher(node, runId, openMessage, candidates, opened, config.replyGrace(), warn);
    }

    /**
     * Waits until every worker answered, or until {@link #STRAGGLER_GRACE} after the first one did (a worker that
     * never answers, such as a member without a valid certificate, must not hold every run up), or until the limit.
     */
    private static void awaitWorkers(List<CompletableFuture<JsonObject>> replies) throws ClusterException {
        long limit = System.nanoTime() + PING_LIMIT.multipliedBy(PING_ATTEMPTS).plus(OPEN_LIMIT).toNanos();
        long firstAnswer = 0;
        while (System.nanoTime() < limit && !replies.stream().allMatch(CompletableFuture::isDone)) {
            boolean answered = replies.stream().anyMatch(r -> r.isDone() && !r.isCompletedExceptionally());
            if (answered && firstAnswer == 0) firstAnswer = System.nanoTime();
            if (firstAnswer != 0 && System.nanoTime() - firstAnswer > STRAGGLER_GRACE.toNanos()) return;
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("interrupted while opening the run on the workers");
            }
        }
    }

    /**
     * A worker's answer to a ping, asked up to {@code attempts} times: the first TLS handshake with a freshly
     * started JVM on a loaded machine has been seen to take over 10 s, and the pings sent meanwhile time out.
     */
    private static Future<JsonObject> ping(Vertx vertx, WorkerRef w, int attempts) {
        return request(vertx, w, new JsonObject().put("op", "ping"), PING_LIMIT)
                .recover(e -> attempts > 1 ? ping(vertx, w, attempts - 1) : Future.failedFuture(e));
    }

    /** The workers announced in the registry whose JVM is still a member. Blocking. */
    private static List<WorkerRef> registered(ClusterNode node) throws ClusterException {
        try {
            return registry(node).toCompletionStage().toCompletableFuture().get(PING_LIMIT.toSeconds(),
                    TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while listing the workers");
        } catch (Exception e) {
            throw new ClusterException("cannot list the cluster's workers: " + e.getMessage());
        }
    }

    /** The workers announced in the registry whose JVM is a member now, by id. */
    private static Future<List<WorkerRef>> registry(ClusterNode node) {
        return node.vertx.sharedData().<String, JsonObject>getClusterWideMap(Wire.REGISTRY)
                .compose(m -> m.entries()).map(entries -> {
                    List<WorkerRef> out = new ArrayList<>();
                    entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                        String nodeId = e.getValue().getString("node");
                        String group = e.getValue().getString("group", "");
                        if (node.isMember(nodeId)) out.add(new WorkerRef(e.getKey(), group, nodeId));
                    });
                    return out;
                });
    }

    List<WorkerRef> workers() {
        return List.copyOf(workers);
    }

    /** On the run's context: the mirror's consumer is registered here, so its answers are read there too. */
    @Override
    public void mirror(Function<String, HostFacts> factsOf) {
        if (context == null) context = Vertx.currentContext();
        mirror = CoordinatorMirror.register(vertx, runId, factsOf);
    }

    /** On the run's context, before the first task: hosts are placed by their {@code fleet_worker_group} now. */
    @Override
    public void inventoryVars(Function<String, Map<String, Object>> varsOf) {
        inventoryVars = varsOf;
    }

    /** The {@code fleet_worker_group} a host's inventory variables name, or null. */
    static String workerGroup(Map<String, Object> vars) {
        Object g = vars.get("fleet_worker_group");
        return g == null ? null : String.valueOf(g);
    }

    private String groupOf(String host) {
        return workerGroup(inventoryVars.apply(host));
    }

    @Override
    public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
        if (context == null) {
            context = Vertx.currentContext();
            drainEarly();
        }
        WorkerRef previous = owner.get(task.host());
        // lost only changes on this context: the same answer hasState gave for this task just before
        WorkerRef w = previous != null && !lost.contains(previous) ? previous : assign(task.host());
        if (w == null) {
            String group = groupOf(task.host());
            String none = "no live fleet worker " + (group == null ? "left in the cluster"
                    : "of group '" + group + "' (fleet_worker_group) in the cluster");
            return Future.failedFuture(previous == null ? none : "fleet worker '" + previous.id() + "' that ran "
                    + "this host left the cluster, and there is " + none + " to take the host over");
        }
        WorkerRef worker = w;
        Promise<RemoteReply> promise = Promise.promise();
        Set<Promise<RemoteReply>> flying = inFlight.computeIfAbsent(w, k -> new LinkedHashSet<>());
        flying.add(promise);
        Duration limit = Duration.ofMillis(task.watchdogMs()).plus(replyGrace);
        sendInventory(worker, task.inventory())
                .compose(v -> sendScope(worker, scope))
                .compose(v -> request(vertx, worker, Wire.task(runId, withNewActivity(worker, task)), limit))
                .onComplete(ar -> {
                    flying.remove(promise);
                    if (ar.succeeded()) {
                        promise.tryComplete(Wire.reply(ar.result()));
                    } else {
                        promise.tryFail("fleet worker '" + worker.id() + "' did not answer: "
                                + ar.cause().getMessage());
                    }
                });
        return promise.future();
    }

    /**
     * False when the host's next task goes to a worker that has none of its state: its first task, or its first
     * since its worker was lost. That task then carries every variable the coordinator mirrors for the host. A
     * worker whose JVM is no longer a member is lost from here on, before its membership event comes.
     */
    @Override
    public boolean hasState(String host) {
        WorkerRef w = owner.get(host);
        if (w != null && !lost.contains(w) && !node.isMember(w.node())) workerLost(w);
        return w != null && !lost.contains(w);
    }

    private WorkerRef assign(String host) {
        String group = groupOf(host);
        WorkerRef best = null;
        for (WorkerRef w : workers) {
            if (lost.contains(w) || (group != null && !group.equals(w.group()))) continue;
            if (best == null || load.getOrDefault(w, 0) < load.getOrDefault(best, 0)) best = w;
        }
        if (best != null) {
            owner.put(host, best);
            load.merge(best, 1, Integer::sum);
        }
        return best;
    }

    /**
     * Sends a worker the inventory changes it has not had, after the ones sent before (so a task never overtakes
     * the changes it needs); the future completes once the worker has applied them.
     */
    private Future<Void> sendInventory(WorkerRef w, List<InventoryChange> changes) {
        int sent = inventorySent.getOrDefault(w, 0);
        Future<Void> previous = inventoryApplied.getOrDefault(w, Future.succeededFuture());
        if (changes.size() <= sent) return previous;
        List<InventoryChange> news = changes.subList(sent, changes.size());
        inventorySent.put(w, changes.size());
        Future<Void> applied = previous.compose(v -> request(vertx, w, Wire.inventory(runId, news),
                PING_LIMIT.plus(replyGrace)).mapEmpty());
        inventoryApplied.put(w, applied);
        return applied;
    }

    /**
     * The task with only the activity changes its worker has not had. Taken as the message leaves, in the order
     * messages leave for that worker (which the event bus keeps), so none is skipped; the worker applies each change
     * to a host only if it is newer than the last it applied there.
     */
    private RemoteTask withNewActivity(WorkerRef w, RemoteTask task) {
        List<ActivityChange> all = task.activity();
        int sent = Math.min(activitySent.getOrDefault(w, 0), all.size());
        activitySent.put(w, Math.max(sent, all.size()));
        return task.withActivity(List.copyOf(all.subList(sent, all.size())));
    }

    private Future<Void> sendScope(WorkerRef w, RemoteScope scope) {
        // no task goes out before the cluster knows the coordinator's address, which the task may ask (hostvars)
        Future<Void> mirrorReady = mirror == null ? Future.succeededFuture() : mirror.ready();
        return scopesSent.computeIfAbsent(w, k -> new HashMap<>()).computeIfAbsent(scope.id(),
                id -> mirrorReady.compose(v -> request(vertx, w, Wire.scope(runId, scope),
                        PING_LIMIT.plus(replyGrace))).mapEmpty());
    }

    /** A member left: every task in flight on a worker of that JVM fails now. On the run's context. */
    private void memberLeft(String nodeId) {
        for (WorkerRef w : workers) {
            if (w.node().equals(nodeId) && !lost.contains(w)) workerLost(w);
        }
    }

    /** Its in-flight tasks fail (they may have run); its other hosts move at their next task ({@link #run}). */
    private void workerLost(WorkerRef w) {
        lost.add(w);
        scopesSent.remove(w);
        activitySent.remove(w);
        Set<Promise<RemoteReply>> flying = inFlight.getOrDefault(w, Set.of());
        for (Promise<RemoteReply> p : List.copyOf(flying)) {
            p.tryFail("fleet worker '" + w.id() + "' left the cluster while running this task "
                    + "(its JVM died, froze or was cut off)");
        }
        flying.clear();
    }

    /**
     * A member joined: once its worker is in the registry (its Vert.x is up), opens the run on it in the
     * background; it takes hosts given out from then on (least loaded first). On the run's context.
     */
    private void lookForJoined(String nodeId, long until) {
        if (closed) return;
        registry(node).onComplete(ar -> onContext(() -> {
            boolean found = false;
            for (WorkerRef w : ar.succeeded() ? ar.result() : List.<WorkerRef>of()) {
                boolean sameIdLive = workers.stream().anyMatch(x -> x.id().equals(w.id()) && !lost.contains(x));
                if (w.node().equals(nodeId) && !sameIdLive) found = true;
                if (!known.contains(w) && !sameIdLive) join(w);
            }
            if (!found && !closed && System.nanoTime() < until) {
                vertx.setTimer(JOIN_POLL_MS, t -> onContext(() -> lookForJoined(nodeId, until)));
            }
        }));
    }

    private void join(WorkerRef w) {
        known.add(w);
        ping(vertx, w, PING_ATTEMPTS).compose(pong -> request(vertx, w, openMessage, OPEN_LIMIT))
                .onComplete(ar -> onContext(() -> {
                    if (ar.failed()) {
                        warn.accept("fleet worker " + w.id() + " joined the cluster during the run but could not "
                                + "open it (its TLS handshake or its answer failed): " + ar.cause().getMessage());
                    } else if (closed) {
                        request(vertx, w, new JsonObject().put("op", "close").put("run", runId), OPEN_LIMIT);
                    } else if (node.isMember(w.node())) {
                        workers.add(w);
                    }
                }));
    }

    /** Runs {@code event} on the run's context; events before the run's first task wait for it. */
    private void onContext(Runnable event) {
        Context ctx = context;
        if (ctx != null) {
            ctx.runOnContext(v -> event.run());
            return;
        }
        early.add(event);
        ctx = context; // the first task may have set it meanwhile, after it drained the queue
        if (ctx != null) ctx.runOnContext(v -> drainEarly());
    }

    private void drainEarly() {
        for (Runnable r = early.poll(); r != null; r = early.poll()) r.run();
    }

    private static Future<JsonObject> request(Vertx vertx, WorkerRef w, JsonObject body, Duration limit) {
        return vertx.eventBus().<JsonObject>request(Wire.address(w.id()), body,
                new DeliveryOptions().setSendTimeout(Math.max(1, limit.toMillis()))).map(m -> m.body());
    }

    /** Tells every worker the run is over (they close its connections); waits a bounded time. Blocking. */
    @Override
    public void close() {
        if (mirror != null) mirror.close();
        List<Future<JsonObject>> closing = new ArrayList<>();
        for (WorkerRef w : onContextNow(() -> {
            closed = true;
            return workers.stream().filter(x -> !lost.contains(x)).toList();
        })) {
            closing.add(request(vertx, w, new JsonObject().put("op", "close").put("run", runId),
                    Duration.ofSeconds(45)));
        }
        stopListening.run();
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(50, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a worker that cannot close its connections now closes them when it ends; the run's results stand
        }
    }

    /** What {@code read} returns on the run's context (directly if no task ever ran: nothing else ran). Blocking. */
    private <T> T onContextNow(Supplier<T> read) {
        Context ctx = context;
        if (ctx == null || Vertx.currentContext() == ctx) return read.get();
        CompletableFuture<T> result = new CompletableFuture<>();
        ctx.runOnContext(v -> result.complete(read.get()));
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read.get();
        } catch (Exception e) {
            return read.get(); // the context is stuck: a racy read beats a run that never ends
        }
    }
}
