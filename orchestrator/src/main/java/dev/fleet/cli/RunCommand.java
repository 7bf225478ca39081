package dev.fleet.cli;

import dev.fleet.config.AnsibleConfig;
import dev.fleet.config.ConfigException;
import dev.fleet.engine.ExitCodes;
import dev.fleet.engine.RunOptions;
import dev.fleet.engine.RunOutcome;
import dev.fleet.engine.RunSetup;
import dev.fleet.engine.TagFilter;
import dev.fleet.history.HistoryDatabase;
import dev.fleet.history.RunMeta;
import dev.fleet.history.RunRecording;
import dev.fleet.inventory.Inventory;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Playbook;
import dev.fleet.report.ConsoleSink;
import dev.fleet.report.HtmlReportSink;
import dev.fleet.report.JUnitReportSink;
import dev.fleet.report.JsonReportSink;
import dev.fleet.result.Redactor;
import dev.fleet.result.RunSink;
import dev.fleet.transport.SshSettings;
import dev.fleet.vault.Vault;
import dev.fleet.vault.VaultException;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a playbook against the hosts of an inventory.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAYBOOK", description = "The playbook YAML file "
            + "(with --retry-*: the recorded run's unless given).")
    Path playbook;

    @Option(names = "--retry-failed", paramLabel = "RUN", description = "Run again only the hosts that failed in "
            + "the recorded run RUN (an id or unique prefix from 'fleet history'), with its playbook and inventory "
            + "unless given here and its -e @files (-e given here come after them; --limit narrows the hosts).")
    String retryFailed;

    @Option(names = "--retry-unreachable", paramLabel = "RUN", description = "Likewise for the hosts that were "
            + "unreachable in RUN (with --retry-failed on the same run: both).")
    String retryUnreachable;

    @picocli.CommandLine.Mixin
    ConnectionOptions conn;

    @Option(names = "--task-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest a task may run on one host before it is stopped (default: ${DEFAULT-VALUE}).")
    double taskTimeout;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "VARS",
            description = "key=value pairs, @file.yml, or JSON; highest precedence. Repeatable.")
    List<String> extraVars = new ArrayList<>();

    @Option(names = {"-C", "--check"}, description = "Change nothing; report what would change.")
    boolean check;

    @Option(names = {"-t", "--tags"}, paramLabel = "TAGS", split = ",",
            description = "Only tasks tagged with these (comma-separated; 'always' tasks run too).")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", paramLabel = "TAGS", split = ",", description = "Skip tasks tagged with these.")
    List<String> skipTags = new ArrayList<>();

    @Option(names = {"-K", "--ask-become-pass"}, description = "Ask for the sudo password for 'become' "
            + "(or set FLEET_BECOME_PASS). Without one, sudo must not need a password.")
    boolean askBecomePass;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of what file modules change.")
    boolean diff;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the whole run as JSON to FILE.")
    Path json;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Write JUnit XML to FILE for CI: a testsuite per play, a testcase per host and task.")
    Path junit;

    @Option(names = "--html", paramLabel = "FILE", description = "Write a self-contained HTML report to FILE: "
            + "symptoms, a host x task matrix, a timeline.")
    Path html;

    @Option(names = "--no-history", description = "Do not record this run in the run history ('fleet history').")
    boolean noHistory;

    @Option(names = "--history-db", paramLabel = "FILE|URL", description = "Run history database: a SQLite file "
            + "or a jdbc:postgresql://host/db?user=... URL (default: $FLEET_HISTORY_DB, else "
            + "$XDG_DATA_HOME/fleet/history.db, else ~/.local/share/fleet/history.db).")
    String historyDb;

    @Option(names = "--syntax-check", description = "Only parse and validate the playbook.")
    boolean syntaxCheck;

    @Option(names = "--list-hosts", description = "List the hosts each play would run on, then exit.")
    boolean listHosts;

    @Option(names = "--list-tasks", description = "List each play's tasks, then exit.")
    boolean listTasks;

    @Option(names = "-v", description = "More output (repeat for more).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--no-color", description = "No ANSI colours (also: NO_COLOR set, or output not a terminal).")
    boolean noColor;

    @Option(names = "--no-progress", description = "No live progress line (it is shown only on a terminal, and never "
            + "when CI is set).")
    boolean noProgress;

    @Option(names = "--cluster", paramLabel = "CONFIG", description = "Coordinate a clustered run: send every "
            + "host-task to the 'fleet worker's of the cluster CONFIG names (see examples/cluster/coordinator.yml).")
    Path cluster;

    @picocli.CommandLine.Mixin
    VaultOptions vaultOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RetryRun.Plan retry;
        try {
            retry = retryPlan(out, err);
        } catch (RetryRun.Stop stop) {
            return stop.exitCode;
        }
        if (cluster != null) {
            int stop = ClusterFlags.check(spec.commandLine().getParseResult(), err);
            if (stop >= 0) return stop;
        }
        Duration task;
        AnsibleConfig config;
        try {
            config = AnsibleConfig.load(System.getenv(), Path.of("").toAbsolutePath());
            if (verbose.length > 0 && config.file() != null) out.println("Using " + config.file() + " as config file");
            if (!config.ignored().isEmpty()) {
                err.println("fleet: [WARNING]: " + config.file() + ": settings fleet does not use: "
                        + String.join(", ", config.ignored()));
            }
            if (config.becomeMethod().filter(m -> !m.equals("sudo")).isPresent()) {
                throw new ConfigException("become_method '" + config.becomeMethod().get() + "' is not supported: "
                        + "fleet becomes another user through sudo");
            }
            vaultOptions.env = withVaultDefaults(System.getenv(), config);
            if (cluster != null) {
                ClusterFlags.configWarnings(config, spec.commandLine().getParseResult())
                        .forEach(w -> err.println("fleet: WARNING: " + w));
            }
            conn.resolve(config);
            task = ConnectionOptions.seconds("--task-timeout", taskTimeout);
            if (!Files.isRegularFile(playbook)) {
                throw new IllegalArgumentException("playbook " + playbook + " not found");
            }
        } catch (IllegalArgumentException | ConfigException e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }

        // Everything is parsed and validated before any host is touched.
        RunSetup setup = new RunSetup().withRolesPath(config.rolesPath());
        Inventory inv;
        Playbook pb;
        Map<String, Object> vars;
        // Every value decrypted from a vault is masked in all output of this run (see result.Redactor).
        Redactor redactor = new Redactor();
        Vault vault;
        java.util.Set<String> revealed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try {
            vault = vaultOptions.vault(redactor::add);
            // a clustered run ships variables holding any of these encrypted, never as plaintext
            if (cluster != null) vault = vault.alsoRevealingTo(revealed::add);
            inv = InventorySource.load(conn.inventory, vault);
            pb = setup.parse(playbook, vault);
            vars = ExtraVars.parse(extraVars, vault);
        } catch (VaultException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        } catch (ParseException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            err.flush();
            return ExitCodes.PARSE_ERROR;
        } catch (InventorySource.MissingInventory e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        if (retry != null) {
            try {
                conn.limit = RetryRun.limit(retry, inv, conn.limit, out);
            } catch (RetryRun.Stop stop) {
                return stop.exitCode;
            }
        }
        if (syntaxCheck) {
            out.println("playbook: " + playbook + " (" + pb.plays().size() + " plays, " + pb.taskCount()
                    + " tasks): syntax OK");
            out.flush();
            return ExitCodes.OK;
        }
        if (listHosts || listTasks) {
            list(out, pb, inv);
            return ExitCodes.OK;
        }

        Boolean become;
        try {
            become = config.become().orElse(null);
        } catch (ConfigException e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.BAD_OPTIONS;
        }
        RunOptions options = new RunOptions(conn.forks, conn.limit, conn.user, conn.privateKey, conn.connect, task,
                vars, check, diff,
                tagSet(tags), tagSet(skipTags), becomePassword(err), become, config.becomeUser().orElse(null),
                verbose.length);
        if (options.becomePassword() == null && askBecomePass) return ExitCodes.BAD_OPTIONS;
        if (conn.limit != null && inv.select(conn.limit).isEmpty()) {
            err.println("fleet: WARNING: --limit '" + conn.limit + "' matches no hosts in "
                    + String.join(", ", conn.inventory));
        }
        SshSettings ssh = conn.sshSettings(task);
        List<RunSink> sinks = new ArrayList<>();
        boolean colour = !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
        ConsoleSink console = new ConsoleSink(out, colour, verbose.length);
        // The in-place line only where a person watches: a terminal, not a CI log (CI is set by every CI service).
        if (!noProgress && System.console() != null && System.getenv("CI") == null) console.withProgress();
        sinks.add(console);
        if (json != null) sinks.add(new JsonReportSink(json));
        // Every run is recorded unless --no-history; a database that cannot be opened never stops the run.
        Optional<RunRecording> history = noHistory ? Optional.empty() : RunRecording.start(
                HistoryDatabase.locate(historyDb),
                new RunMeta(playbook.toString(), String.join(",", conn.inventory), conn.limit, "cli", check,
                        RetryRun.recordable(playbook, conn.inventory, extraVars)), err);
        history.ifPresent(h -> sinks.add(h.sink()));
        if (junit != null) sinks.add(new JUnitReportSink(junit));
        if (html != null) sinks.add(new HtmlReportSink(html));

        if (cluster != null) {
            try {
                // the only reference to dev.fleet.cluster in a run: a one-JVM run loads none of its classes
                return dev.fleet.cluster.ClusterRuns.run(cluster, playbook, pb, inv, options,
                        new dev.fleet.cluster.RunInputs(setup.rolesPath(), vault, revealed), redactor.wrap(sinks), err,
                        cancel -> {
                            if (Main.standalone) Interrupts.onInterrupt(cancel);
                        });
            } finally {
                out.flush();
                history.ifPresent(h -> h.finish(out, err));
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4));
        try {
            RunSetup.StartedRun run = setup.start(vertx, ssh, pb, inv, options, redactor.wrap(sinks), vault);
            if (Main.standalone) Interrupts.onInterrupt(run::cancel);
            RunOutcome outcome = run.outcome().join();
            out.flush();
            return outcome.exitCode();
        } finally {
            vertx.close();
            history.ifPresent(h -> h.finish(out, err));
        }
    }

    /**
     * With {@code --retry-failed}/{@code --retry-unreachable}: the recorded run's hosts to run again, and its
     * playbook, inventory and extra vars filled in where the command line gives none; null without them.
     */
    private RetryRun.Plan retryPlan(PrintWriter out, PrintWriter err) throws RetryRun.Stop {
        if (retryFailed == null && retryUnreachable == null) {
            if (playbook != null) return null;
            err.println("fleet: missing PLAYBOOK (or --retry-failed RUN / --retry-unreachable RUN)");
            throw new RetryRun.Stop(ExitCodes.BAD_OPTIONS);
        }
        if (retryFailed != null && retryUnreachable != null && !retryFailed.equals(retryUnreachable)) {
            err.println("fleet: --retry-failed and --retry-unreachable name different runs (" + retryFailed + ", "
                    + retryUnreachable + "); retry one run at a time");
            throw new RetryRun.Stop(ExitCodes.BAD_OPTIONS);
        }
        String id = retryFailed != null ? retryFailed : retryUnreachable;
        RetryRun.Plan plan = RetryRun.plan(historyDb, id, retryFailed != null, retryUnreachable != null, out, err);
        var args = plan.args();
        if (playbook == null) {
            playbook = Path.of(args.playbook());
            if (!Files.isRegularFile(playbook)) {
                err.println("fleet: the playbook of run " + plan.runId() + ", " + playbook + ", is gone; give the "
                        + "playbook to run: fleet run --retry-... " + id + " PLAYBOOK");
                throw new RetryRun.Stop(ExitCodes.BAD_OPTIONS);
            }
        }
        if (conn.inventory == null || conn.inventory.isEmpty()) conn.inventory = new ArrayList<>(args.inventory());
        if (args.inlineExtraVars() > 0 && extraVars.isEmpty()) {
            err.println("fleet: run " + plan.runId() + " was given " + args.inlineExtraVars() + " inline --extra-vars "
                    + "value(s) (-e key=value or JSON), which the history does not keep (they may hold secrets); "
                    + "give them again with -e");
            throw new RetryRun.Stop(ExitCodes.BAD_OPTIONS);
        }
        List<String> vars = new ArrayList<>(args.extraVarFiles());
        vars.addAll(extraVars); // the command line's come last, so they win
        extraVars = vars;
        return plan;
    }

    private void list(PrintWriter out, Playbook pb, Inventory inv) {
        out.println("playbook: " + playbook);
        for (Play play : pb.plays()) {
            out.println();
            out.println("  play #" + (pb.plays().indexOf(play) + 1) + " (" + play.hosts() + "): "
                    + play.displayName());
            if (listHosts) {
                var hosts = inv.select(play.hosts()).stream().map(h -> h.name()).toList();
                if (conn.limit != null) {
                    var lim = inv.select(conn.limit).stream().map(h -> h.name()).toList();
                    hosts = hosts.stream().filter(lim::contains).toList();
                }
                out.println("    pattern: ['" + play.hosts() + "']");
                out.println("    hosts (" + hosts.size() + "):");
                hosts.forEach(h -> out.println("      " + h));
            }
            if (listTasks) {
                out.println("    tasks:");
                // only the tasks --tags/--skip-tags select, as ansible-playbook --list-tasks shows them
                TagFilter filter = new TagFilter(tagSet(tags), tagSet(skipTags));
                play.allTasks().stream().filter(t -> filter.selects(t.keywords().tags()))
                        .forEach(t -> out.println("      " + t.displayName()
                        + (t.keywords().tags().isEmpty() ? "" : "\tTAGS: " + t.keywords().tags()) + "\t" + t.position()));
            }
        }
        out.flush();
    }

    /** Vault password sources from ansible.cfg, where the environment does not name them already. */
    private static Map<String, String> withVaultDefaults(Map<String, String> env, AnsibleConfig config) {
        Map<String, String> out = new java.util.HashMap<>(env);
        config.vaultPasswordFile().ifPresent(f -> out.putIfAbsent("ANSIBLE_VAULT_PASSWORD_FILE", f));
        config.vaultIdentityList().ifPresent(ids -> out.putIfAbsent("ANSIBLE_VAULT_IDENTITY_LIST", ids));
        return out;
    }

    private static java.util.Set<String> tagSet(List<String> tags) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String t : tags) if (!t.isBlank()) out.add(t.strip());
        return out;
    }

    /** From the terminal (-K) or FLEET_BECOME_PASS; never echoed, never logged. */
    private RunOptions.Secret becomePassword(PrintWriter err) {
        if (askBecomePass) {
            var console = System.console();
            if (console == null) {
                err.println("fleet: --ask-become-pass needs a terminal; set FLEET_BECOME_PASS instead");
                return null;
            }
            char[] pw = console.readPassword("BECOME password: ");
            return pw == null ? null : new RunOptions.Secret(new String(pw));
        }
        String env = System.getenv("FLEET_BECOME_PASS");
        return env == null || env.isEmpty() ? null : new RunOptions.Secret(env);
    }
}
