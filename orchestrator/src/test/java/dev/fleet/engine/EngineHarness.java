package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Playbook;
import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeTransport;
import dev.fleet.transport.SshSettings;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Runs playbooks through the real engine (parser, strategies, executor, modules) against in-memory hosts, so the
 * engine's behaviour is tested without sshd. Hosts are named in the inventory text; each gets a
 * {@link dev.fleet.testing.FakeHostSession} from {@link #transport}, scriptable before the run.
 */
final class EngineHarness {
    final FakeTransport transport = new FakeTransport();
    private final Path dir;

    EngineHarness(Path dir) {
        this.dir = dir;
    }

    /** What a run produced: its outcome and every event, in order. */
    record Run(RunOutcome outcome, List<RunEvent> events) {
        List<TaskResult> results() {
            return events.stream().filter(e -> e instanceof RunEvent.HostTaskFinished)
                    .map(e -> ((RunEvent.HostTaskFinished) e).result()).toList();
        }

        /** The results of the task named {@code task}, in the order hosts finished it. */
        List<TaskResult> results(String task) {
            return results().stream().filter(r -> r.task().equals(task)).toList();
        }

        TaskStatus status(String host, String task) {
            return results().stream().filter(r -> r.host().equals(host) && r.task().equals(task))
                    .map(TaskResult::status).findFirst().orElse(null);
        }

        /** Task banners in the order they were announced. */
        List<String> banners() {
            return events.stream().filter(e -> e instanceof RunEvent.TaskStarted)
                    .map(e -> ((RunEvent.TaskStarted) e).task()).toList();
        }

        HostStats stats(String host) {
            return outcome.stats().get(host);
        }
    }

    Run run(String playbookYaml, String inventoryText) throws Exception {
        return run(playbookYaml, inventoryText, options(Map.of()));
    }

    static RunOptions options(Map<String, Object> extraVars) {
        RunOptions d = RunOptions.defaults();
        return new RunOptions(d.forks(), null, null, null, d.connectTimeout(), Duration.ofSeconds(30), extraVars,
                false, false, Set.of(), Set.of(), null);
    }

    static RunOptions withForks(int forks) {
        RunOptions d = options(Map.of());
        return new RunOptions(forks, d.limit(), d.user(), d.privateKey(), d.connectTimeout(), d.taskTimeout(),
                d.extraVars(), d.check(), d.diff(), d.tags(), d.skipTags(), d.becomePassword());
    }

    /** {@code --check}. */
    static RunOptions check() {
        RunOptions d = options(Map.of());
        return new RunOptions(d.forks(), d.limit(), d.user(), d.privateKey(), d.connectTimeout(), d.taskTimeout(),
                d.extraVars(), true, d.diff(), d.tags(), d.skipTags(), d.becomePassword());
    }

    Run run(String playbookYaml, String inventoryText, RunOptions options) throws Exception {
        return run(Files.writeString(dir.resolve("playbook.yml"), playbookYaml), inventoryText, options);
    }

    /** Runs a playbook file where it lies (with its roles, imports and files beside it). */
    Run run(Path pb, String inventoryText, RunOptions options) throws Exception {
        RunSetup setup = new RunSetup(ModuleRegistry.builtin(), ssh -> transport);
        Playbook playbook = setup.parse(pb);
        Inventory inventory = Inventory.parse(inventoryText, "inventory.ini");
        List<RunEvent> events = Collections.synchronizedList(new ArrayList<>());
        RunSink sink = events::add;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        try {
            RunOutcome outcome = setup.start(vertx, SshSettings.defaults(), playbook, inventory, options,
                    List.of(sink)).outcome().get(60, TimeUnit.SECONDS);
            return new Run(outcome, List.copyOf(events));
        } finally {
            vertx.close();
        }
    }
}
