package dev.fleet.cluster;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The coordinator's side of a clustered run: gives each host to one live worker when its first task comes (a
 * worker of the host's {@code fleet_worker_group} if it names one, else the least loaded), keeps it there, and
 * sends it each task. A task whose worker leaves the cluster fails at once (its membership-removed event), one
 * whose worker stays silent fails after the task's own watchdog plus {@code replyGrace}; the engine turns both
 * into {@code unreachable} for that host. All state is confined to the run's event-loop context.
 */
final class ClusterDispatcher implements TaskDispatcher {
    /** How long a worker has to answer a ping or to unpack and parse a shipped run. */
    private static final Duration PING_LIMIT = Duration.ofSeconds(5);
    private static final int PING_ATTEMPTS = 6;
    /** After the first worker has opened the run, how long the others have before it starts without them. */
    private static final Duration STRAGGLER_GRACE = Duration.ofSeconds(5);
    private static final Duration OPEN_LIMIT = Duration.ofSeconds(60);

    /** A live worker of this run. */
    record WorkerRef(String id, String group, String node) {}

    private final Vertx vertx;
    private final String runId;
    private final List<WorkerRef> workers;
    private final Function<String, String> groupOf;
    private final Duration replyGrace;
    private final Map<String, WorkerRef> owner = new HashMap<>();
    private final Map<String, Integer> load = new HashMap<>();
    private final Set<String> lost = new LinkedHashSet<>();
    private final Map<String, Map<String, Future<Void>>> scopesSent = new HashMap<>();
    private final Map<String, Set<Promise<RemoteReply>>> inFlight = new HashMap<>();
    /** Per worker: how many of the run's inventory changes it was sent, and when it has applied them. */
    private final Map<String, Integer> inventorySent = new HashMap<>();
    private final Map<String, Future<Void>> inventoryApplied = new HashMap<>();
    private volatile Context context;
    /** Answers workers' {@code hostvars} questions for this run; null until the engine hands over its copy. */
    private volatile CoordinatorMirror mirror;
    /** Stops watching the membership: a long-lived coordinator must not keep every finished run's dispatcher. */
    private final Runnable stopWatching;

    private ClusterDispatcher(ClusterNode node, String runId, List<WorkerRef> workers,
            Function<String, String> groupOf, Duration replyGrace) {
        this.vertx = node.vertx;
        this.runId = runId;
        this.workers = List.copyOf(workers);
        this.groupOf = groupOf;
        this.replyGrace = replyGrace;
        this.stopWatching = node.onMemberLeft(this::memberLeft);
    }

    /**
     * Finds the live workers and opens the run on each (ships {@code open}: the playbook archive, inventory and
     * options). Blocking; not on an event loop.
     */
    static ClusterDispatcher open(ClusterNode node, ClusterConfig config, String runId, JsonObject open,
            Function<String, String> groupOf, Consumer<String> warn) throws ClusterException {
        List<WorkerRef> candidates = registered(node);
        List<CompletableFuture<JsonObject>> replies = new ArrayList<>();
        for (WorkerRef w : candidates) {
            replies.add(ping(node.vertx, w, PING_ATTEMPTS)
                    .compose(pong -> request(node.vertx, w, open.copy().put("op", "open").put("run", runId),
                            OPEN_LIMIT)).toCompletionStage().toCompletableFuture());
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
        return new ClusterDispatcher(node, runId, opened, groupOf, config.replyGrace());
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

    /** The workers announced in the registry whose JVM is still a member. */
    private static List<WorkerRef> registered(ClusterNode node) throws ClusterException {
        try {
            Map<String, JsonObject> entries = node.vertx.sharedData().<String, JsonObject>getClusterWideMap(
                    Wire.REGISTRY).compose(m -> m.entries()).toCompletionStage().toCompletableFuture()
                    .get(PING_LIMIT.toSeconds(), TimeUnit.SECONDS);
            List<WorkerRef> out = new ArrayList<>();
            entries.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
                String nodeId = e.getValue().getString("node");
                String group = e.getValue().getString("group", "");
                if (node.isMember(nodeId)) out.add(new WorkerRef(e.getKey(), group, nodeId));
            });
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("interrupted while listing the workers");
        } catch (Exception e) {
            throw new ClusterException("cannot list the cluster's workers: " + e.getMessage());
        }
    }

    List<WorkerRef> workers() {
        return workers;
    }

    /** On the run's context: the mirror's consumer is registered here, so its answers are read there too. */
    @Override
    public void mirror(Function<String, HostFacts> factsOf) {
        if (context == null) context = Vertx.currentContext();
        mirror = CoordinatorMirror.register(vertx, runId, factsOf);
    }

    @Override
    public Future<RemoteReply> run(RemoteScope scope, RemoteTask task) {
        if (context == null) context = Vertx.currentContext();
        WorkerRef w = owner.get(task.host());
        if (w == null) {
            w = assign(task.host());
            if (w == null) {
                String group = groupOf.apply(task.host());
                return Future.failedFuture("no live fleet worker " + (group == null ? "left in the cluster"
                        : "of group '" + group + "' (fleet_worker_group) in the cluster"));
            }
        }
        if (lost.contains(w.id())) {
            return Future.failedFuture("fleet worker '" + w.id() + "' that ran this host left the cluster");
        }
        WorkerRef worker = w;
        Promise<RemoteReply> promise = Promise.promise();
        Set<Promise<RemoteReply>> flying = inFlight.computeIfAbsent(w.id(), k -> new LinkedHashSet<>());
        flying.add(promise);
        Duration limit = Duration.ofMillis(task.watchdogMs()).plus(replyGrace);
        sendInventory(worker, task.inventory())
                .compose(v -> sendScope(worker, scope))
                .compose(v -> request(vertx, worker, Wire.task(runId, task), limit))
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

    private WorkerRef assign(String host) {
        String group = groupOf.apply(host);
        WorkerRef best = null;
        for (WorkerRef w : workers) {
            if (lost.contains(w.id()) || (group != null && !group.equals(w.group()))) continue;
            if (best == null || load.getOrDefault(w.id(), 0) < load.getOrDefault(best.id(), 0)) best = w;
        }
        if (best != null) {
            owner.put(host, best);
            load.merge(best.id(), 1, Integer::sum);
        }
        return best;
    }

    /**
     * Sends a worker the inventory changes it has not had, after the ones sent before (so a task never overtakes
     * the changes it needs); the future completes once the worker has applied them.
     */
    private Future<Void> sendInventory(WorkerRef w, List<InventoryChange> changes) {
        int sent = inventorySent.getOrDefault(w.id(), 0);
        Future<Void> previous = inventoryApplied.getOrDefault(w.id(), Future.succeededFuture());
        if (changes.size() <= sent) return previous;
        List<InventoryChange> news = changes.subList(sent, changes.size());
        inventorySent.put(w.id(), changes.size());
        Future<Void> applied = previous.compose(v -> request(vertx, w, Wire.inventory(runId, news),
                PING_LIMIT.plus(replyGrace)).mapEmpty());
        inventoryApplied.put(w.id(), applied);
        return applied;
    }

    private Future<Void> sendScope(WorkerRef w, RemoteScope scope) {
        // no task goes out before the cluster knows the coordinator's address, which the task may ask (hostvars)
        Future<Void> mirrorReady = mirror == null ? Future.succeededFuture() : mirror.ready();
        return scopesSent.computeIfAbsent(w.id(), k -> new HashMap<>()).computeIfAbsent(scope.id(),
                id -> mirrorReady.compose(v -> request(vertx, w, Wire.scope(runId, scope),
                        PING_LIMIT.plus(replyGrace))).mapEmpty());
    }

    /** A member left (from a Hazelcast thread): every task in flight on a worker of that JVM fails now. */
    private void memberLeft(String nodeId) {
        Context ctx = context;
        Runnable fail = () -> {
            for (WorkerRef w : workers) {
                if (!w.node().equals(nodeId) || !lost.add(w.id())) continue;
                Set<Promise<RemoteReply>> flying = inFlight.getOrDefault(w.id(), Set.of());
                for (Promise<RemoteReply> p : List.copyOf(flying)) {
                    p.tryFail("fleet worker '" + w.id() + "' left the cluster while running this task "
                            + "(its JVM died or was cut off)");
                }
                flying.clear();
            }
        };
        if (ctx != null) ctx.runOnContext(v -> fail.run());
        else vertx.runOnContext(v -> fail.run());
    }

    private static Future<JsonObject> request(Vertx vertx, WorkerRef w, JsonObject body, Duration limit) {
        return vertx.eventBus().<JsonObject>request(Wire.address(w.id()), body,
                new DeliveryOptions().setSendTimeout(Math.max(1, limit.toMillis()))).map(m -> m.body());
    }

    /** Tells every worker the run is over (they close its connections); waits a bounded time. Blocking. */
    @Override
    public void close() {
        stopWatching.run();
        if (mirror != null) mirror.close();
        List<Future<JsonObject>> closing = new ArrayList<>();
        for (WorkerRef w : workers) {
            if (!lost.contains(w.id())) {
                closing.add(request(vertx, w, new JsonObject().put("op", "close").put("run", runId),
                        Duration.ofSeconds(45)));
            }
        }
        try {
            Future.join(closing).toCompletionStage().toCompletableFuture().get(50, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a worker that cannot close its connections now closes them when it ends; the run's results stand
        }
    }
}
