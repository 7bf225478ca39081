package dev.fleet.cluster;

import dev.fleet.engine.RemoteScope;
import dev.fleet.engine.RemoteTask;
import dev.fleet.engine.RemoteTaskRunner;
import dev.fleet.engine.RunOptions;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.SshSettings;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code fleet worker}: a cluster member that runs the tasks coordinators send it for the hosts they gave it,
 * with its own SSH key, known_hosts and vault secrets. Answers on {@code fleet.worker.<id>}; every message is
 * acknowledged by its reply, and a task sent twice (same run, host and sequence number) runs once, both answered
 * with its result. All state is confined to the worker's event-loop context; parsing and closing run off it.
 */
final class Worker {
    private final ClusterConfig config;
    private final ClusterConfig.Worker self;
    private final WorkerVault vault;
    private final ClusterNode node;
    private final PrintWriter out;
    private final Map<String, WorkerRun> runs = new HashMap<>();
    private Context context;

    /** One run's state on this worker. */
    private static final class WorkerRun {
        final RemoteTaskRunner runner;
        final Path dir;
        /** The coordinator's node: when it leaves the cluster, the run is closed here too. */
        String coordinator;
        final Map<String, RemoteScope> scopes = new HashMap<>();
        /** Per host, the last task sequence number seen and its answer: a repeated message gets the same answer. */
        final Map<String, Map.Entry<Long, Future<JsonObject>>> last = new HashMap<>();

        WorkerRun(RemoteTaskRunner runner, Path dir) {
            this.runner = runner;
            this.dir = dir;
        }
    }

    Worker(ClusterConfig config, WorkerVault vault, ClusterNode node, PrintWriter out) {
        this.config = config;
        this.self = config.worker();
        this.vault = vault;
        this.node = node;
        this.out = out;
    }

    /** Registers the worker's address and announces it in the registry; completes once both are done. */
    Future<Void> start() {
        Promise<Void> started = Promise.promise();
        node.vertx.runOnContext(v -> {
            context = node.vertx.getOrCreateContext();
            node.onMemberLeft(left -> context.runOnContext(x -> coordinatorLeft(left)));
            node.vertx.eventBus().<JsonObject>consumer(Wire.address(self.id()), this::handle).completion()
                    .compose(x -> node.vertx.sharedData().<String, JsonObject>getClusterWideMap(Wire.REGISTRY))
                    .compose(map -> map.put(self.id(), new JsonObject().put("node", node.nodeId())
                            .put("group", self.group())))
                    .onComplete(started);
        });
        return started.future();
    }

    private void handle(Message<JsonObject> m) {
        JsonObject body = m.body();
        String op = body.getString("op", "");
        switch (op) {
            case "ping" -> m.reply(new JsonObject().put("id", self.id()).put("group", self.group()));
            case "open" -> open(m, body);
            case "scope" -> withRun(m, body, run -> {
                RemoteScope s = Wire.scope(body);
                run.scopes.put(s.id(), s);
                m.reply(new JsonObject());
            });
            case "task" -> withRun(m, body, run -> task(m, run, Wire.task(body)));
            case "inventory" -> withRun(m, body, run -> {
                try {
                    run.runner.applyInventory(Wire.inventory(body));
                    m.reply(new JsonObject());
                } catch (IllegalStateException e) {
                    m.fail(409, "worker " + self.id() + ": " + e.getMessage());
                }
            });
            case "close" -> close(m, body.getString("run"));
            default -> m.fail(400, "unknown operation '" + op + "'");
        }
    }

    private void withRun(Message<JsonObject> m, JsonObject body, java.util.function.Consumer<WorkerRun> action) {
        WorkerRun run = runs.get(body.getString("run"));
        if (run == null) {
            m.fail(404, "worker " + self.id() + " has no run " + body.getString("run") + " (restarted since?)");
        } else {
            action.accept(run);
        }
    }

    private void task(Message<JsonObject> m, WorkerRun run, RemoteTask task) {
        Map.Entry<Long, Future<JsonObject>> seen = run.last.get(task.host());
        if (seen != null && seen.getKey() == task.seq()) {
            seen.getValue().onComplete(ar -> reply(m, ar.result(), ar.cause()));
            return;
        }
        if (seen != null && seen.getKey() > task.seq()) {
            m.fail(409, "task " + task.seq() + " for " + task.host() + " is older than one already run");
            return;
        }
        RemoteScope scope = run.scopes.get(task.scope());
        if (scope == null) {
            m.fail(404, "worker " + self.id() + " never got scope " + task.scope());
            return;
        }
        Future<JsonObject> answer = run.runner.run(scope, task).map(Wire::reply);
        run.last.put(task.host(), Map.entry(task.seq(), answer));
        answer.onComplete(ar -> reply(m, ar.result(), ar.cause()));
    }

    private static void reply(Message<JsonObject> m, JsonObject result, Throwable failure) {
        if (failure != null) m.fail(500, String.valueOf(failure.getMessage()));
        else m.reply(result);
    }

    /** Unpacks and parses the shipped playbook and inventory off the event loop, then keeps the run. */
    private void open(Message<JsonObject> m, JsonObject body) {
        String runId = body.getString("run");
        if (!runId.matches("[A-Za-z0-9-]+")) {
            m.fail(400, "bad run id");
            return;
        }
        String refusal = vault.refusal(Wire.strings(body.getJsonArray("vaultIds", new JsonArray())));
        if (refusal != null) {
            m.fail(422, "worker " + self.id() + " cannot open the run: " + refusal);
            return;
        }
        node.vertx.<WorkerRun>executeBlocking(() -> {
            Path dir = self.workDir().resolve("run-" + runId);
            OpenMessage.Read run;
            try {
                PlaybookArchive.unpack(body.getBinary("archive"), dir);
                run = OpenMessage.read(body, dir, self, vault.vault(), becomePassword());
            } catch (Exception e) {
                delete(dir); // a run that does not open leaves nothing behind
                throw e;
            }
            RunOptions options = run.options();
            SshSettings ssh = SshSettings.defaults().withHostKeyChecking(HostKeyChecking.STRICT)
                    .withCommandTimeout(options.taskTimeout());
            if (self.knownHosts() != null) ssh = ssh.withKnownHosts(self.knownHosts());
            RemoteTaskRunner runner = run.setup().taskRunner(node.vertx, context, ssh, run.playbook(),
                    run.inventory(), options, run.vault());
            runner.lookUpOtherHostsWith(new CoordinatorLookup(node.vertx, runId));
            return new WorkerRun(runner, dir);
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ar.result().coordinator = body.getString("coordinator");
                runs.put(runId, ar.result());
                out.println("run " + runId + ": opened " + body.getString("playbook"));
                out.flush();
                m.reply(new JsonObject());
            } else {
                m.fail(422, "worker " + self.id() + " cannot open the run: " + ar.cause().getMessage());
            }
        });
    }

    private void close(Message<JsonObject> m, String runId) {
        close(runId, "closed").onComplete(ar -> m.reply(new JsonObject()));
    }

    /** A coordinator that died or was cut off cannot close its runs: they are closed when it leaves. */
    private void coordinatorLeft(String nodeId) {
        for (String runId : List.copyOf(runs.keySet())) {
            if (nodeId.equals(runs.get(runId).coordinator)) close(runId, "closed: its coordinator left the cluster");
        }
    }

    private Future<Void> close(String runId, String why) {
        WorkerRun run = runs.remove(runId);
        if (run == null) return Future.succeededFuture();
        return node.vertx.<Void>executeBlocking(() -> {
            run.runner.close();
            delete(run.dir);
            return null;
        }, false).onComplete(ar -> {
            // the coordinator chooses which hosts run where: the count tells an operator (and a test) this one's share
            out.println("run " + runId + ": " + why + " (ran tasks for " + run.last.size() + " hosts)");
            out.flush();
        });
    }

    private static RunOptions.Secret becomePassword() {
        String env = System.getenv("FLEET_BECOME_PASS");
        return env == null || env.isEmpty() ? null : new RunOptions.Secret(env);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    String describe() {
        return "fleet worker " + self.id() + (self.group().isEmpty() ? "" : " (group " + self.group() + ")")
                + " in cluster '" + config.name() + "' at " + config.address() + ":" + config.port()
                + ", event bus " + config.busPort() + " (TLS)"
                + (vault.ids().isEmpty() ? "" : ", vault ids " + String.join(", ", vault.ids()));
    }
}
