package dev.fleet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Joins a fleet cluster and runs the host-tasks coordinators ('fleet run --cluster') send it,",
                "with its own SSH key and known_hosts. Runs until stopped (SIGTERM/Ctrl-C)."})
final class WorkerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "Worker config: cluster address, members and TLS files; worker id, group, SSH key and "
                    + "known_hosts (see examples/cluster/worker-1.yml).")
    Path config;

    @Override
    public Integer call() {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "fleet-worker-shutdown"));
        // the only reference to dev.fleet.cluster outside `run --cluster`: loaded when a worker starts, not before
        return dev.fleet.cluster.WorkerMain.serve(config, spec.commandLine().getOut(), spec.commandLine().getErr(),
                stop);
    }
}
