package dev.fleet.engine;

import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Playbook;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.result.RunSink;
import dev.fleet.template.JinjaTemplater;
import dev.fleet.transport.SshSettings;
import dev.fleet.transport.SshTransport;
import dev.fleet.transport.Transport;
import dev.fleet.vault.Vault;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The one way a run is set up, for {@code fleet run}, {@code fleet serve} and anything later: which modules and
 * strategies exist, how a playbook is parsed and validated against them, and how a parsed playbook, an inventory
 * and options become a running run with its own transport, closed when the run ends.
 */
public final class RunSetup {
    private final ModuleRegistry modules;
    private final Function<SshSettings, Transport> transports;
    private final List<Path> rolesPath;

    /** Modules fleet ships, SSH transport, roles from {@code ANSIBLE_ROLES_PATH} or Ansible's default path. */
    public RunSetup() {
        this(ModuleRegistry.builtin(), SshTransport::new);
    }

    /** With another transport (tests run the engine against in-memory hosts through this). */
    public RunSetup(ModuleRegistry modules, Function<SshSettings, Transport> transports) {
        this(modules, transports, rolesPath(System.getenv()));
    }

    private RunSetup(ModuleRegistry modules, Function<SshSettings, Transport> transports, List<Path> rolesPath) {
        this.modules = modules;
        this.transports = transports;
        this.rolesPath = List.copyOf(rolesPath);
    }

    /** Parses and validates a playbook completely; nothing is run. */
    public Playbook parse(Path playbook) throws ParseException {
        return parse(playbook, Vault.NONE);
    }

    /** Like {@link #parse(Path)}, reading vaulted files and {@code !vault} values with {@code vault}. */
    public Playbook parse(Path playbook, Vault vault) throws ParseException {
        return parser(vault).parse(playbook);
    }

    /** The parser every caller uses: it knows the registered modules and strategies, and the roles path. */
    public PlaybookParser parser(Vault vault) {
        return new PlaybookParser(modules, Strategies.names(), rolesPath, vault);
    }

    /**
     * Roles are looked for in {@code paths} (ansible.cfg's {@code roles_path}, which {@code ANSIBLE_ROLES_PATH}
     * overrides) instead of {@code ANSIBLE_ROLES_PATH} or Ansible's default.
     */
    public RunSetup withRolesPath(List<Path> paths) {
        return new RunSetup(modules, transports, paths.isEmpty() ? rolesPath : paths);
    }

    /** Where roles are looked for after {@code roles/} beside the playbook, in order. */
    public List<Path> rolesPath() {
        return rolesPath;
    }

    /** Ansible's default {@code roles_path}, used when {@code ANSIBLE_ROLES_PATH} is not set. */
    static final String DEFAULT_ROLES_PATH = "~/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles";

    /**
     * Where roles are looked for after {@code roles/} beside the playbook: {@code ANSIBLE_ROLES_PATH} (a
     * colon-separated list, {@code ~} expanded), else Ansible's default.
     */
    static List<Path> rolesPath(java.util.Map<String, String> env) {
        String spec = env.getOrDefault("ANSIBLE_ROLES_PATH", DEFAULT_ROLES_PATH);
        List<Path> out = new java.util.ArrayList<>();
        for (String part : spec.split(":")) {
            if (part.isBlank()) continue;
            String p = part.strip();
            if (p.equals("~") || p.startsWith("~/")) p = System.getProperty("user.home") + p.substring(1);
            out.add(Path.of(p));
        }
        return out;
    }

    /**
     * Starts the run on {@code vertx}; events go to {@code sinks} in order. The transport and runner are closed
     * when the run has ended, before the returned run's outcome completes.
     */
    public StartedRun start(Vertx vertx, SshSettings ssh, Playbook playbook, Inventory inventory, RunOptions options,
            List<RunSink> sinks) {
        return start(vertx, ssh, playbook, inventory, options, sinks, Vault.NONE);
    }

    /** Like the above; files included while the run goes ({@code include_tasks}) are read with {@code vault}. */
    public StartedRun start(Vertx vertx, SshSettings ssh, Playbook playbook, Inventory inventory, RunOptions options,
            List<RunSink> sinks, Vault vault) {
        Transport transport = transports.apply(ssh);
        PlaybookRunner runner;
        try {
            runner = new PlaybookRunner(vertx, transport, modules, parser(vault), new JinjaTemplater(), options);
        } catch (RuntimeException e) {
            transport.close();
            throw e;
        }
        CompletableFuture<RunOutcome> outcome = runner.run(playbook, inventory, sinks).whenComplete((o, err) -> {
            runner.close();
            transport.close();
        });
        return new StartedRun(runner, outcome);
    }

    /**
     * A clustered run's coordinator: like {@link #start}, but every host-task goes to {@code dispatcher}; this JVM
     * connects to no host. Strategies, blocks, handlers, failure rules and the events are the same as in one JVM.
     */
    public StartedRun startDispatched(Vertx vertx, Playbook playbook, Inventory inventory, RunOptions options,
            List<RunSink> sinks, TaskDispatcher dispatcher) {
        Transport none = new Transport() {
            @Override
            public dev.fleet.transport.HostSession connect(dev.fleet.transport.ConnectionSpec spec) {
                throw new IllegalStateException("a clustered run's coordinator connects to no host");
            }
        };
        PlaybookRunner runner = new PlaybookRunner(vertx, none, modules, parser(Vault.NONE), new JinjaTemplater(),
                options, dispatcher);
        CompletableFuture<RunOutcome> outcome = runner.run(playbook, inventory, sinks)
                .whenComplete((o, err) -> runner.close());
        return new StartedRun(runner, outcome);
    }

    /**
     * A cluster worker's runner for one clustered run's tasks, over this machine's SSH settings ({@code ssh}: its
     * own keys and known_hosts). {@code context} is the event-loop context its tasks report back on.
     */
    public RemoteTaskRunner taskRunner(Vertx vertx, io.vertx.core.Context context, SshSettings ssh,
            Playbook playbook, Inventory inventory, RunOptions options, Vault vault) {
        Transport transport = transports.apply(ssh);
        return new RemoteTaskRunner(vertx, context, transport, modules, parser(vault), new JinjaTemplater(), options,
                playbook, inventory);
    }

    /** A run under way: its outcome, and how to stop it. */
    public static final class StartedRun {
        private final PlaybookRunner runner;
        private final CompletableFuture<RunOutcome> outcome;

        StartedRun(PlaybookRunner runner, CompletableFuture<RunOutcome> outcome) {
            this.runner = runner;
            this.outcome = outcome;
        }

        /** Completes when the run has ended and its transport is closed. */
        public CompletableFuture<RunOutcome> outcome() {
            return outcome;
        }

        /** Stops the run (see {@link PlaybookRunner#cancel()}); safe from any thread, and after the end. */
        public void cancel() {
            runner.cancel();
        }
    }
}
