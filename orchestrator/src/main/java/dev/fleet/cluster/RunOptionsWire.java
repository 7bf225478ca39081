package dev.fleet.cluster;

import dev.fleet.engine.RunOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;

/**
 * The run options a coordinator sends its workers: what changes how a task runs (check, diff, extra vars, tags,
 * timeouts, become defaults). Never the connection secrets: the worker's user, key and become password are its own.
 */
final class RunOptionsWire {
    private RunOptionsWire() {}

    static JsonObject toJson(RunOptions o) {
        return new JsonObject().put("check", o.check()).put("diff", o.diff()).put("extraVars", Wire.json(o.extraVars()))
                .put("tags", new JsonArray(new ArrayList<>(o.tags())))
                .put("skipTags", new JsonArray(new ArrayList<>(o.skipTags())))
                .put("connectTimeoutMs", o.connectTimeout().toMillis()).put("taskTimeoutMs", o.taskTimeout().toMillis())
                .put("become", o.become()).put("becomeUser", o.becomeUser()).put("verbosity", o.verbosity());
    }

    /** The coordinator's options with this worker's connection settings ({@code worker}) and become password. */
    static RunOptions fromJson(JsonObject j, ClusterConfig.Worker worker, RunOptions.Secret becomePassword) {
        return new RunOptions(worker.forks(), null, worker.user(), worker.privateKey(),
                Duration.ofMillis(j.getLong("connectTimeoutMs")), Duration.ofMillis(j.getLong("taskTimeoutMs")),
                Wire.map(j.getJsonObject("extraVars")), j.getBoolean("check"), j.getBoolean("diff"),
                new LinkedHashSet<>(Wire.strings(j.getJsonArray("tags"))),
                new LinkedHashSet<>(Wire.strings(j.getJsonArray("skipTags"))), becomePassword, j.getBoolean("become"),
                j.getString("becomeUser"), j.getInteger("verbosity"));
    }
}
