package dev.fleet.engine;

import dev.fleet.modules.ModuleContext;
import dev.fleet.modules.ModuleException;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.PlaybookParser;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.RegexSubject;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.Transport;
import dev.fleet.transport.TransportException;
import dev.fleet.yaml.ParseException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Runs one task on one host: connect if needed (once per host), then for each loop item evaluate {@code when},
 * render the arguments, run the module (through sudo under {@code become}), retry {@code until} holds, apply
 * {@code changed_when}/{@code failed_when}, and turn whatever happens into a {@link TaskResult}. The blocking part
 * runs on a virtual thread; a Vert.x timer guards it, so a host that stops answering in a way no socket timeout
 * catches still cannot stall the run.
 */
final class HostTaskExecutor implements HostExecutor {
    /** Beyond the task and connect timeouts, how long to wait before giving up on a silent host. */
    private static final Duration WATCHDOG_GRACE = Duration.ofSeconds(15);
    static final String NO_LOG_MESSAGE = "the output has been hidden due to the 'no_log: true' specified for this result";

    private final Vertx vertx;
    private final Context context;
    private final ExecutorService blocking;
    private final Transport transport;
    private final ModuleRegistry modules;
    private final Templater templater;
    private final RunOptions options;
    private final Path playbookDir;
    private final TaskIncludes includes;
    private final RoleIncludes roleIncludes;
    private final TaskLoop loops;
    private final Map<String, HostState> hosts;
    private final RunInventory inventory;
    /** Inventory hosts outside the run that got facts through {@code delegate_facts}. */
    private final Map<String, HostState> outsideRun = new ConcurrentHashMap<>();
    private final TaskVariables variables;
    private final HostSessions sessions;

    /** Threads running a task now, so a cancelled run can interrupt them (which stops their remote commands). */
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    HostTaskExecutor(Vertx vertx, Context context, ExecutorService blocking, Transport transport,
            ModuleRegistry modules, Templater templater, RunOptions options, RunInventory inventory, Path playbookDir,
            Map<String, HostState> hosts, PlaybookParser parser) {
        this(vertx, context, blocking, transport, modules, templater, options, inventory, playbookDir, hosts, parser,
                HostVars.Elsewhere.NONE);
    }

    /** {@code elsewhere}: the hosts a cluster worker does not run, whose hostvars it asks the coordinator for. */
    HostTaskExecutor(Vertx vertx, Context context, ExecutorService blocking, Transport transport,
            ModuleRegistry modules, Templater templater, RunOptions options, RunInventory inventory, Path playbookDir,
            Map<String, HostState> hosts, PlaybookParser parser, HostVars.Elsewhere elsewhere) {
        this.vertx = vertx;
        this.context = context;
        this.blocking = blocking;
        this.transport = transport;
        this.modules = modules;
        this.templater = templater;
        this.options = options;
        this.playbookDir = playbookDir;
        this.includes = new TaskIncludes(templater, parser);
        this.roleIncludes = new RoleIncludes(templater, parser);
        this.loops = new TaskLoop(templater);
        this.hosts = hosts;
        this.inventory = inventory;
        this.variables = new TaskVariables(inventory, options, playbookDir, this::hostState, elsewhere);
        this.sessions = new HostSessions(transport, new ConnectionSpecs(templater, inventory, options), options,
                templater);
    }

    @Override
    public Future<TaskResult> execute(HostState host, PlayScope scope, Task task) {
        Play play = scope.play();
        Promise<TaskResult> promise = Promise.promise();
        Instant start = Instant.now();
        // The connect may be retried (transient failures): the watchdog allows for every attempt and backoff.
        long watchdogMs = watchdog(task, options, transport.connectBudget(options.connectTimeout())).toMillis();
        long timer = vertx.setTimer(watchdogMs, id -> {
            TaskOutcome lost = TaskOutcome.unreachable("no answer from the host within "
                    + Duration.ofMillis(watchdogMs).toSeconds() + "s; connection abandoned");
            if (promise.tryComplete(result(host, play, task, lost, start))) {
                HostSession s = host.session;
                if (s != null) blocking.execute(s::close);
            }
        });
        blocking.execute(() -> {
            Thread self = Thread.currentThread();
            running.add(self);
            TaskResult r;
            try {
                if (stopping) self.interrupt(); // started while the run was being cancelled: stop at once
                r = runBlocking(host, scope, task, start);
            } finally {
                running.remove(self);
            }
            context.runOnContext(v -> {
                vertx.cancelTimer(timer);
                promise.tryComplete(r);
            });
        });
        return promise.future();
    }

    /**
     * The longest one task may take on one host before its watchdog gives up on the host: every attempt of every
     * loop item within its timeout, plus the connect ({@code connectBudget}, with its retries) and a grace.
     */
    static Duration watchdog(Task task, RunOptions options, Duration connectBudget) {
        Keywords k = task.keywords();
        long attempts = k.until().isEmpty() ? 1 : k.retries() + 1L;
        long items = k.loop() instanceof List<?> l ? Math.max(1, l.size()) : 1;
        Duration budget = timeout(k, options).plus(k.until().isEmpty() ? Duration.ZERO : k.delay())
                .multipliedBy(Math.min(attempts * items, 100_000));
        // Under until, every attempt may have to connect again (the previous one lost the host).
        Duration connects = connectBudget.multipliedBy(k.until().isEmpty() ? 1 : Math.min(attempts * items, 100_000));
        return budget.plus(connects).plus(WATCHDOG_GRACE);
    }

    @Override
    public void shared(HostState host, HostFacts vars) {
        host.hostFacts.putAll(vars.facts());
        host.includedVars.putAll(vars.included());
    }

    /** Closes the connections opened for {@code delegate_to} hosts (at the end of the run). Blocking. */
    @Override
    public void closeDelegates() {
        sessions.close();
    }

    /**
     * For a cancelled run, before its connections are closed: interrupts every running task, which makes the
     * transport kill its remote command on the host (closing the connection alone leaves a command that neither reads
     * nor writes running there), and waits up to {@code limit} for them to end. Blocking; not on the event loop.
     */
    @Override
    public void interruptRunning(Duration limit) {
        stopping = true;
        long deadline = System.nanoTime() + limit.toNanos();
        List<Thread> threads = List.copyOf(running);
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private TaskResult runBlocking(HostState host, PlayScope scope, Task task, Instant start) {
        TaskOutcome outcome;
        Mode mode = null;
        Keywords k = task.keywords();
        Play play = scope.play();
        try {
            boolean check = k.checkMode() != null ? k.checkMode() : options.check();
            boolean diff = k.diff() != null ? k.diff() : options.diff();
            Map<String, Object> vars = variables.of(host, scope, task, check, diff);
            String delegate = k.delegateTo() == null ? null
                    : String.valueOf(templater.render(k.delegateTo(), vars)).strip();
            mode = new Mode(check, diff, delegate);
            if (task.module().equals("meta")) {
                String falseCondition = WhenConditions.firstFalse(templater, k.when(), vars);
                outcome = falseCondition == null ? meta(host, task) : WhenConditions.skipped(falseCondition);
            } else if (task.module().equals(PlaybookParser.INCLUDE)) {
                outcome = includes.include(host, task, vars);
            } else if (task.module().equals(PlaybookParser.INCLUDE_ROLE)) {
                outcome = roleIncludes.include(host, task, vars);
            } else if (k.loop() == null) {
                outcome = runItem(host, play, task, vars, mode);
            } else {
                Mode m = mode;
                outcome = loops.run(k, vars, itemVars -> runItem(host, play, task, itemVars, m));
            }
        } catch (TransportException e) {
            outcome = e.hostLost() ? TaskOutcome.unreachable(e.getMessage())
                    : TaskOutcome.failed(timedOutByKeyword(task, e) ? "The " + task.module() + " action failed to "
                            + "execute in the expected time frame (" + k.timeoutSeconds() + ") and was terminated ("
                            + e.getMessage() + ")" : e.getMessage());
        } catch (TemplateException e) {
            outcome = TaskOutcome.failed("task at " + task.position() + ": " + e.getMessage());
        } catch (ParseException | ModuleException e) {
            outcome = TaskOutcome.failed(e.getMessage());
        } catch (RegexSubject.TooSlow e) {
            outcome = TaskOutcome.failed(task.module() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug in fleet must cost one task on one host, not the run.
            outcome = TaskOutcome.failed("internal error in module '" + task.module() + "': " + e);
        }
        // delegate_facts: what the task learnt belongs to the host it ran on, not to the task's host
        HostState factsHost = host;
        if (mode != null && mode.delegate() != null && k.delegateFacts() && hostState(mode.delegate()) != null) {
            factsHost = hostState(mode.delegate());
        }
        Map<String, Object> facts = new LinkedHashMap<>();
        // include_vars: its own level, below set_fact (see HostState#includedVars)
        Map<String, Object> included = new LinkedHashMap<>();
        if (outcome.data().get("ansible_facts") instanceof Map<?, ?> f && outcome.status() != TaskStatus.FAILED) {
            if (task.module().equals("include_vars")) f.forEach((key, v) -> included.put(String.valueOf(key), v));
            else mergeFacts(factsHost, f, facts, !task.module().equals("set_fact"));
        }
        factsHost.includedVars.putAll(included);
        factsHost.hostFacts.putAll(facts);
        host.lastUpdates = included.isEmpty() && (factsHost == host || facts.isEmpty()) ? Map.of()
                : Map.of(factsHost.name, new HostFacts(included, factsHost == host ? Map.of() : facts));
        Map<String, Object> set = new LinkedHashMap<>(factsHost == host ? facts : Map.of());
        // An unreachable host leaves the play, so nothing is registered; under ignore_unreachable it stays, and
        // the result is registered as Ansible does (`is unreachable`).
        if (k.register() != null && (outcome.status() != TaskStatus.UNREACHABLE || k.ignoreUnreachable())) {
            set.put(k.register(), Registered.of(outcome));
        }
        host.hostFacts.putAll(set);
        host.lastSet = set;
        if (k.noLog()) outcome = censored(outcome);
        return result(host, play, task, outcome, start);
    }

    /** {@code check_mode}/{@code diff} as they apply to this task (its keywords over the run's options). */
    /**
     * How this task runs on this host: {@code check_mode}/{@code diff} (its keywords over the run's options), and the
     * rendered {@code delegate_to} host, or null.
     */
    private record Mode(boolean check, boolean diff, String delegate) {}

    /**
     * {@code meta} actions that touch only this host happen here, on its task thread; the ones that change the
     * play's flow are read from the result's {@code meta} by the batch ({@code end_host}, {@code end_play}, ...).
     */
    private static TaskOutcome meta(HostState host, Task task) {
        String action = String.valueOf(task.args().get("_raw_params"));
        switch (action) {
            case "clear_facts" -> host.clearFacts();
            case "reset_connection" -> {
                HostSession s = host.session;
                host.session = null; // the next task connects again, as after Ansible's reset_connection
                if (s != null) s.close();
            }
            default -> { }
        }
        return TaskOutcome.ok("").withData(Map.of("meta", action));
    }

    /**
     * Facts land as top-level variables and under {@code ansible_facts} without the prefix, as in Ansible; a
     * module's facts named without the prefix ({@code services}, {@code packages}) land there as they are, but
     * set_fact's do not (Ansible keeps those apart, as non-persistent facts).
     */
    @SuppressWarnings("unchecked")
    private static void mergeFacts(HostState host, Map<?, ?> facts, Map<String, Object> into, boolean hostFacts) {
        Map<String, Object> nested = host.hostFacts.get("ansible_facts") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        facts.forEach((key, v) -> {
            String name = String.valueOf(key);
            into.put(name, v);
            if (name.startsWith("ansible_")) nested.put(name.substring("ansible_".length()), v);
            else if (hostFacts) nested.put(name, v);
        });
        into.put("ansible_facts", nested);
    }

    /** One loop item (or the whole task without a loop): when, run with retries, changed_when/failed_when. */
    private TaskOutcome runItem(HostState host, Play play, Task task, Map<String, Object> vars, Mode mode)
            throws TemplateException, TransportException, ParseException, ModuleException {
        Keywords k = task.keywords();
        String falseCondition = WhenConditions.firstFalse(templater, k.when(), vars);
        if (falseCondition != null) return WhenConditions.skipped(falseCondition);
        UntilRetries.Attempt attempt = () -> runOnce(sessions.session(host, play, vars, k, mode.delegate()), task,
                vars, mode);
        return k.until().isEmpty() ? attempt.run() : UntilRetries.run(templater, k, vars, attempt);
    }

    private TaskOutcome runOnce(HostSession session, Task task, Map<String, Object> vars, Mode mode)
            throws TemplateException, TransportException, ModuleException {
        Keywords k = task.keywords();
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) variables.stripOmitted(templater.renderDeep(task.args(), vars));
        // include_vars, add_host and group_by are actions of the controller, not modules
        TaskOutcome o = switch (task.module()) {
            case "include_vars" -> IncludeVars.run(task, args, variables.searchPath(task), vars);
            case "add_host", "group_by" -> InventoryUpdates.run(task.module(), session.host(), args, inventory);
            default -> modules.get(task.module()).run(new ModuleContext(session, args, mode.check(), mode.diff(),
                    timeout(k), vars, templater, playbookDir));
        };
        if (k.asyncSeconds() > 0 && o.status() != TaskStatus.UNREACHABLE) {
            // async with poll: fleet waits for the task (up to async seconds) as Ansible's polling does
            o = o.withData(Map.of("ansible_job_id", "j" + Long.toHexString(System.nanoTime()), "started", 1,
                    "finished", 1));
        }
        if (o.status() == TaskStatus.UNREACHABLE || (k.changedWhen().isEmpty() && k.failedWhen().isEmpty())) return o;
        Map<String, Object> withResult = Registered.visible(vars, k, o);
        TaskStatus status = o.status();
        String msg = o.msg();
        Map<String, Object> data = o.data();
        // As Ansible: changed_when decides changed (also of a result that failed_when then clears), and the
        // conditions of a changed_when or failed_when list must all hold.
        Boolean changedByCondition = null;
        if (!k.changedWhen().isEmpty() && status != TaskStatus.SKIPPED) {
            boolean changed = true;
            for (String c : k.changedWhen()) changed &= templater.evaluate(c, withResult);
            changedByCondition = changed;
            if (status != TaskStatus.FAILED) status = changed ? TaskStatus.CHANGED : TaskStatus.OK;
        }
        if (!k.failedWhen().isEmpty() && status != TaskStatus.SKIPPED) {
            boolean failed = true;
            for (String c : k.failedWhen()) failed &= templater.evaluate(c, withResult);
            if (failed) {
                status = TaskStatus.FAILED;
                if (msg.isEmpty()) msg = "failed_when: " + String.join(" and ", k.failedWhen());
            } else if (status == TaskStatus.FAILED) {
                status = changedByCondition != null ? (changedByCondition ? TaskStatus.CHANGED : TaskStatus.OK)
                        : o.rc() != null ? TaskStatus.CHANGED : TaskStatus.OK;
                msg = "";
            }
            data = new LinkedHashMap<>(data);
            data.put("failed_when_result", failed); // as Ansible registers it
        }
        return new TaskOutcome(status, o.rc(), o.stdout(), o.stderr(), msg, data);
    }

    /** The state of any inventory host: one of the run's, or one that only receives delegated facts; else null. */
    private HostState hostState(String name) {
        HostState st = hosts.get(name);
        if (st != null) return st;
        return inventory.get().host(name).isPresent() ? outsideRun.computeIfAbsent(name, HostState::new) : null;
    }

    /**
     * A task's time limit: the smaller of its {@code async} and {@code timeout} seconds where it has them, else the
     * run's task timeout.
     */
    private Duration timeout(Keywords k) {
        return timeout(k, options);
    }

    private static Duration timeout(Keywords k, RunOptions options) {
        int async = k.asyncSeconds();
        int limit = k.timeoutSeconds();
        if (async > 0 && limit > 0) return Duration.ofSeconds(Math.min(async, limit));
        if (async > 0 || limit > 0) return Duration.ofSeconds(Math.max(async, limit));
        return options.taskTimeout();
    }

    /** The task ran into its {@code timeout} keyword's limit (Ansible's message says so), not async's. */
    private static boolean timedOutByKeyword(Task task, TransportException e) {
        Keywords k = task.keywords();
        return e.kind() == TransportException.Kind.COMMAND_TIMEOUT && k.timeoutSeconds() > 0
                && (k.asyncSeconds() == 0 || k.timeoutSeconds() <= k.asyncSeconds());
    }

    private TaskResult result(HostState host, Play play, Task task, TaskOutcome outcome, Instant start) {
        return result(templater, options, host.name, play, task, outcome, start);
    }

    /** The result of {@code task} on {@code host}, ended now, as every report shows it. */
    static TaskResult result(Templater templater, RunOptions options, String host, Play play, Task task,
            TaskOutcome outcome, Instant start) {
        boolean ignored = (task.ignoreErrors() && outcome.status() == TaskStatus.FAILED)
                || (task.keywords().ignoreUnreachable() && outcome.status() == TaskStatus.UNREACHABLE);
        return new TaskResult(host, play.displayName(), taskName(templater, play, task, options.extraVars()),
                task.module(), task.position().toString(), outcome, ignored, start, Instant.now());
    }

    /** What reports see of a {@code no_log} task: its status only. */
    static TaskOutcome censored(TaskOutcome o) {
        return new TaskOutcome(o.status(), o.rc(), "", "", NO_LOG_MESSAGE, Map.of("censored", NO_LOG_MESSAGE));
    }

    /**
     * The task's name as shown in output, templated with play and extra vars as Ansible does; host variables
     * differ per host, so a name that needs them is shown as written.
     */
    static String taskName(Templater templater, Play play, Task task, Map<String, Object> extraVars) {
        String name = task.displayName();
        // a no_log task's name is shown as written: rendering it could print the secret it hides
        if (!Templater.isTemplated(name) || task.keywords().noLog()) return name;
        // what Ansible templates banners with: the variables of the play and task, without any host's
        Map<String, Object> vars = new LinkedHashMap<>(play.roles().defaults());
        if (task.role() != null) vars.putAll(task.role().defaults());
        vars.putAll(play.vars());
        vars.putAll(play.roles().vars());
        if (task.role() != null) vars.putAll(task.role().vars());
        vars.putAll(task.keywords().vars());
        if (task.role() != null) vars.putAll(task.role().params());
        vars.putAll(extraVars);
        try {
            return String.valueOf(templater.render(name, vars));
        } catch (TemplateException e) {
            return name;
        }
    }
}
