package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import dev.fleet.history.RunStore;
import dev.fleet.serve.FleetServer;
import dev.fleet.serve.RunStores;
import dev.fleet.serve.ServeConfig;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs fleet as a service: an HTTP API to start and follow runs, a dashboard, and cron "
                + "schedules; every run is kept in the history.",
                "Stop with SIGTERM (systemctl stop): running runs are interrupted and recorded, then it exits."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", required = true,
            description = "The service config (fleet.yml): listen (host, port, tls), tokens (name, env or file, "
                    + "scope), playbook_dirs, inventory_dirs, history, ssh, schedules; cluster (a coordinator's keys, "
                    + "see examples/cluster/serve.yml) to run every run on a cluster's workers.")
    Path config;

    @Option(names = "--check-config", description = "Only load and validate the config, then exit.")
    boolean checkConfig;

    /** Tests replace how the history is opened. */
    static Function<ServeConfig, RunStore> storeFactory = c -> RunStores.open(c.history().db());

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeConfig cfg;
        try {
            cfg = ServeConfig.load(config, System::getenv);
        } catch (ParseException e) {
            err.println("fleet serve: ERROR: " + e.getMessage());
            return ExitCodes.PARSE_ERROR;
        }
        if (checkConfig) {
            out.println("config " + config + ": OK (" + cfg.schedules().size() + " schedule(s), " + cfg.tokens().size()
                    + " token(s), listen " + (cfg.tls() != null ? "https" : "http") + "://" + cfg.host() + ":"
                    + cfg.port() + (cfg.cluster() != null ? ", runs on cluster '" + cfg.cluster().name() + "' as "
                    + cfg.cluster().address() + ":" + cfg.cluster().port() : "") + ")");
            out.flush();
            return ExitCodes.OK;
        }
        RunStore store;
        try {
            store = storeFactory.apply(cfg);
        } catch (RuntimeException e) {
            err.println("fleet serve: ERROR: " + e.getMessage());
            return ExitCodes.ERROR;
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(8));
        PrintWriter logTo = err;
        FleetServer server = new FleetServer(vertx, cfg, store, line -> {
            synchronized (logTo) {
                logTo.println(Instant.now().truncatedTo(ChronoUnit.MILLIS) + " fleet serve: " + line);
                logTo.flush();
            }
        });
        try {
            server.start().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException e) {
            err.println("fleet serve: ERROR: " + e.getCause().getMessage());
            vertx.close();
            store.close();
            return ExitCodes.ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runnable stop = () -> {
            try {
                server.close().get(10, TimeUnit.MINUTES);
            } catch (Exception e) {
                err.println("fleet serve: shutdown: " + e);
            } finally {
                store.close();
                vertx.close();
                stopped.countDown();
            }
        };
        // SIGTERM/SIGINT run the shutdown hooks: interrupt and record the running runs before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "fleet-serve-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
