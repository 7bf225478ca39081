package dev.fleet.engine;

import dev.fleet.inventory.HostConnection;
import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleContext;
import dev.fleet.modules.ModuleException;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Runs one task on one host: connect if needed (once per host), render the arguments, run the module, and turn
 * whatever happens into a {@link TaskResult}. The blocking part runs on a virtual thread; a Vert.x timer
 * guards it, so a host that stops answering in a way no socket timeout catches still cannot stall the run.
 */
final class HostTaskExecutor {
    /** Beyond the task and connect timeouts, how long to wait before giving up on a silent host. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(15);

    private final Vertx vertx;
    private final Context context;
    private final ExecutorService blocking;
    private final Transport transport;
    private final ModuleRegistry modules;
    private final Templater templater;
    private final RunOptions options;
    private final Inventory inventory;
    private final Path playbookDir;

    HostTaskExecutor(Vertx vertx, Context context, ExecutorService blocking, Transport transport,
            ModuleRegistry modules, Templater templater, RunOptions options, Inventory inventory, Path playbookDir) {
        this.vertx = vertx;
        this.context = context;
        this.blocking = blocking;
        this.transport = transport;
        this.modules = modules;
        this.templater = templater;
        this.options = options;
        this.inventory = inventory;
        this.playbookDir = playbookDir;
    }

    /** Must be called on the event-loop context; the future completes there. */
    Future<TaskResult> execute(HostState host, Play play, Task task) {
        Promise<TaskResult> promise = Promise.promise();
        Instant start = Instant.now();
        long watchdogMs = options.taskTimeout().plus(options.connectTimeout()).plus(WATCHDOG_GRACE).toMillis();
        long timer = vertx.setTimer(watchdogMs, id -> {
            TaskOutcome lost = TaskOutcome.unreachable("no answer from the host within "
                    + Duration.ofMillis(watchdogMs).toSeconds() + "s; connection abandoned");
            if (promise.tryComplete(result(host, play, task, lost, start))) {
                HostSession s = host.session;
                if (s != null) blocking.execute(s::close);
            }
        });
        blocking.execute(() -> {
            TaskResult r = runBlocking(host, play, task, start);
            context.runOnContext(v -> {
                vertx.cancelTimer(timer);
                promise.tryComplete(r);
            });
        });
        return promise.future();
    }

    private TaskResult runBlocking(HostState host, Play play, Task task, Instant start) {
        TaskOutcome outcome;
        try {
            Map<String, Object> vars = variables(host, play);
            if (host.session == null) host.session = transport.connect(connectionSpec(host.name, play, vars));
            @SuppressWarnings("unchecked")
            Map<String, Object> args = (Map<String, Object>) templater.renderDeep(task.args(), vars);
            outcome = modules.get(task.module())
                    .run(new ModuleContext(host.session, args, options.check(), options.diff(), options.taskTimeout(), vars,
                            templater, playbookDir));
        } catch (TransportException e) {
            outcome = e.hostLost() ? TaskOutcome.unreachable(e.getMessage()) : TaskOutcome.failed(e.getMessage());
        } catch (TemplateException e) {
            outcome = TaskOutcome.failed("task at " + task.position() + ": " + e.getMessage());
        } catch (ParseException e) {
            outcome = TaskOutcome.failed(e.getMessage());
        } catch (ModuleException e) {
            outcome = TaskOutcome.failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in fleet must cost one task on one host, not the run.
            outcome = TaskOutcome.failed("internal error in module '" + task.module() + "': " + e);
        }
        if (task.register() != null) host.hostFacts.put(task.register(), registered(outcome));
        return result(host, play, task, outcome, start);
    }

    private TaskResult result(HostState host, Play play, Task task, TaskOutcome outcome, Instant start) {
        boolean ignored = task.ignoreErrors() && outcome.status() == TaskStatus.FAILED;
        return new TaskResult(host.name, play.displayName(), taskName(templater, play, task, options.extraVars()),
                task.module(),
                task.position().toString(), outcome, ignored, start, Instant.now());
    }

    /**
     * The task's name as shown in output, templated with play and extra vars as Ansible does; host variables
     * differ per host, so a name that needs them is shown as written.
     */
    static String taskName(Templater templater, Play play, Task task, Map<String, Object> extraVars) {
        String name = task.displayName();
        if (!Templater.isTemplated(name)) return name;
        Map<String, Object> vars = new LinkedHashMap<>(play.vars());
        vars.putAll(extraVars);
        try {
            return String.valueOf(templater.render(name, vars));
        } catch (TemplateException e) {
            return name;
        }
    }

    /** Variables as Ansible layers them: inventory < play vars < registered results < extra vars. */
    private Map<String, Object> variables(HostState host, Play play) throws TemplateException {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.varsFor(host.name));
        vars.putAll(play.vars());
        vars.putAll(host.hostFacts);
        vars.putAll(options.extraVars());
        vars.put("inventory_hostname", host.name);
        vars.put("ansible_check_mode", options.check());
        vars.put("playbook_dir", "");
        return vars;
    }

    /**
     * Connection details from the host's variables, templated first ({@code ansible_host: "{{ ip }}"}).
     * Precedence as Ansible: inventory {@code ansible_user} over the play's {@code remote_user} over {@code -u};
     * the inventory's key before {@code --private-key}.
     */
    private ConnectionSpec connectionSpec(String host, Play play, Map<String, Object> vars)
            throws TemplateException, ParseException {
        Map<String, Object> rendered = new LinkedHashMap<>();
        for (var e : vars.entrySet()) {
            if (e.getKey().startsWith("ansible_") && e.getValue() instanceof String s) {
                rendered.put(e.getKey(), templater.render(s, vars));
            } else {
                rendered.put(e.getKey(), e.getValue());
            }
        }
        SourcePosition where = inventory.positionOf(host).orElse(SourcePosition.of(inventory.source()));
        HostConnection c = HostConnection.of(host, rendered, where);
        String user = c.user() != null ? c.user()
                : play.remoteUser() != null ? play.remoteUser()
                : options.user() != null ? options.user() : System.getProperty("user.name");
        List<Path> keys = new ArrayList<>();
        if (c.privateKeyFile() != null) keys.add(Path.of(expandHome(c.privateKeyFile())));
        if (options.privateKey() != null) keys.add(options.privateKey());
        return new ConnectionSpec(host, c.address(), c.port(), user, keys, options.connectTimeout());
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The registered form of a result, as Ansible exposes it to later tasks. */
    static Map<String, Object> registered(TaskOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>(o.data());
        m.put("changed", o.status() == TaskStatus.CHANGED);
        m.put("failed", o.status() == TaskStatus.FAILED);
        m.put("skipped", o.status() == TaskStatus.SKIPPED);
        m.put("unreachable", o.status() == TaskStatus.UNREACHABLE);
        if (o.rc() != null) m.put("rc", o.rc());
        m.put("stdout", o.stdout());
        m.put("stderr", o.stderr());
        m.put("stdout_lines", o.stdout().isEmpty() ? List.of() : List.of(o.stdout().split("\n", -1)));
        m.put("stderr_lines", o.stderr().isEmpty() ? List.of() : List.of(o.stderr().split("\n", -1)));
        m.put("msg", o.msg());
        return m;
    }
}
