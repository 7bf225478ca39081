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
import dev.fleet.transport.HostKeyChecking;
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

    @Parameters(index = "0", paramLabel = "PLAYBOOK", description = "The playbook YAML file.")
    Path playbook;

    @Option(names = {"-i", "--inventory"}, paramLabel = "SOURCE",
            description = "Ansible INI or YAML inventory file, directory, executable script, or a comma-separated "
                    + "host list ('a,b,'); repeat to merge several (default: ansible.cfg's inventory or "
                    + "$ANSIBLE_INVENTORY).")
    List<String> inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only hosts matching this pattern.")
    String limit;

    @Option(names = {"-f", "--forks"}, paramLabel = "N",
            description = "Host-tasks worked on at once (default: ansible.cfg's forks, else "
                    + RunOptions.DEFAULT_FORKS + ").")
    Integer forks;

    @Option(names = {"-u", "--user"}, paramLabel = "USER",
            description = "Login user when the inventory and play name none (default: your user).")
    String user;

    @Option(names = {"--private-key", "--key-file"}, paramLabel = "FILE",
            description = "Private key to offer when the inventory names none.")
    Path privateKey;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "OpenSSH known_hosts file "
            + "(default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--host-key-checking", paramLabel = "MODE",
            description = "strict (default), accept-new or off (ansible.cfg's host_key_checking = False: off).")
    String hostKeyChecking;

    @Option(names = {"-T", "--connect-timeout"}, paramLabel = "SECONDS",
            description = "TCP connect and SSH handshake timeout (default: ansible.cfg's timeout, else 10).")
    Double connectTimeout;

    @Option(names = "--connect-retries", paramLabel = "N", defaultValue = "" + SshSettings.DEFAULT_CONNECT_RETRIES,
            description = "Retries of a connect that failed transiently (refused, reset, closed during the handshake), "
                    + "with exponential backoff from 0.5s; never for timeouts, host key or login failures "
                    + "(default: ${DEFAULT-VALUE}).")
    int connectRetries;

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

    @picocli.CommandLine.Mixin
    VaultOptions vaultOptions;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HostKeyChecking checking;
        Duration connect;
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
            if (inventory == null || inventory.isEmpty()) inventory = config.inventory();
            if (inventory.isEmpty()) {
                throw new IllegalArgumentException("no inventory: pass -i FILE, or set 'inventory' in ansible.cfg's "
                        + "[defaults] or $ANSIBLE_INVENTORY");
            }
            if (forks == null) forks = config.forks().orElse(RunOptions.DEFAULT_FORKS);
            if (connectTimeout == null) connectTimeout = config.timeout().map(Integer::doubleValue).orElse(10.0);
            if (user == null) user = config.remoteUser().orElse(null);
            if (privateKey == null) privateKey = config.privateKeyFile().orElse(null);
            if (hostKeyChecking == null) {
                hostKeyChecking = config.hostKeyChecking().map(on -> on ? "strict" : "off").orElse("strict");
            }
            vaultOptions.env = withVaultDefaults(System.getenv(), config);
            checking = HostKeyChecking.parse(hostKeyChecking);
            connect = seconds("--connect-timeout", connectTimeout);
            task = seconds("--task-timeout", taskTimeout);
            if (forks < 1) throw new IllegalArgumentException("--forks must be at least 1");
            if (connectRetries < 0 || connectRetries > 100) {
                throw new IllegalArgumentException("--connect-retries must be 0..100, got " + connectRetries);
            }
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
        try {
            vault = vaultOptions.vault(redactor::add);
            inv = InventorySource.load(inventory, vault);
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
        RunOptions options = new RunOptions(forks, limit, user, privateKey, connect, task, vars, check, diff,
                tagSet(tags), tagSet(skipTags), becomePassword(err), become, config.becomeUser().orElse(null),
                verbose.length);
        if (options.becomePassword() == null && askBecomePass) return ExitCodes.BAD_OPTIONS;
        if (limit != null && inv.select(limit).isEmpty()) {
            err.println("fleet: WARNING: --limit '" + limit + "' matches no hosts in " + String.join(", ", inventory));
        }
        SshSettings ssh = SshSettings.defaults().withHostKeyChecking(checking).withCommandTimeout(task)
                .withConnectRetries(connectRetries, SshSettings.DEFAULT_CONNECT_BACKOFF);
        if (knownHosts != null) ssh = ssh.withKnownHosts(knownHosts);
        List<RunSink> sinks = new ArrayList<>();
        boolean colour = !noColor && System.console() != null && System.getenv("NO_COLOR") == null;
        sinks.add(new ConsoleSink(out, colour, verbose.length));
        if (json != null) sinks.add(new JsonReportSink(json));
        // Every run is recorded unless --no-history; a database that cannot be opened never stops the run.
        Optional<RunRecording> history = noHistory ? Optional.empty() : RunRecording.start(
                HistoryDatabase.locate(historyDb),
                new RunMeta(playbook.toString(), String.join(",", inventory), limit, "cli", check), err);
        history.ifPresent(h -> sinks.add(h.sink()));
        if (junit != null) sinks.add(new JUnitReportSink(junit));
        if (html != null) sinks.add(new HtmlReportSink(html));

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

    private void list(PrintWriter out, Playbook pb, Inventory inv) {
        out.println("playbook: " + playbook);
        for (Play play : pb.plays()) {
            out.println();
            out.println("  play #" + (pb.plays().indexOf(play) + 1) + " (" + play.hosts() + "): "
                    + play.displayName());
            if (listHosts) {
                var hosts = inv.select(play.hosts()).stream().map(h -> h.name()).toList();
                if (limit != null) {
                    var lim = inv.select(limit).stream().map(h -> h.name()).toList();
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

    private static Duration seconds(String option, double value) {
        if (!(value > 0) || value > 86400 * 7) {
            throw new IllegalArgumentException(option + " must be a positive number of seconds, got " + value);
        }
        return Duration.ofMillis((long) (value * 1000));
    }
}
