package dev.fleet.serve;

import dev.fleet.engine.RunSetup;
import dev.fleet.result.RunSink;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs in this JVM, each with its own runner and SSH transport over the config's {@code ssh:} settings. */
final class LocalLauncher implements RunLauncher {
    private final Vertx vertx;
    private final ServeConfig.Ssh ssh;
    private final RunSetup setup;

    LocalLauncher(Vertx vertx, ServeConfig.Ssh ssh, RunSetup setup) {
        this.vertx = vertx;
        this.ssh = ssh;
        this.setup = setup;
    }

    @Override
    public void open() {
    }

    @Override
    public CompletableFuture<RunSetup.StartedRun> start(ManagedRun run, List<RunSink> sinks) {
        try {
            return CompletableFuture.completedFuture(setup.start(vertx, ssh.settings(), run.playbook, run.inventory,
                    run.options, sinks));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String describe() {
        return "runs in this JVM";
    }

    @Override
    public void close() {
    }
}
