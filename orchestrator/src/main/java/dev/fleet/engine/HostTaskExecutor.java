package dev.fleet.engine;

import dev.fleet.inventory.HostConnection;
import dev.fleet.inventory.Inventory;
import dev.fleet.modules.ModuleContext;
import dev.fleet.modules.ModuleException;
import dev.fleet.modules.ModuleRegistry;
import dev.fleet.playbook.Keywords;
import dev.fleet.playbook.Play;
import dev.fleet.playbook.Task;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.TemplateException;
import dev.fleet.template.Templater;
import dev.fleet.transport.ConnectionSpec;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.LocalSession;
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
final class HostTaskExecutor {
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
    private final Inventory inventory;
    private final Path playbookDir;

    /** Threads running a task now, so a cancelled run can interrupt them (which stops their remote commands). */
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

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
        Keywords k = task.keywords();
        long attempts = k.until().isEmpty() ? 1 : k.retries() + 1L;
        long items = k.loop() instanceof List<?> l ? Math.max(1, l.size()) : 1;
        Duration budget = options.taskTimeout().plusSeconds(k.until().isEmpty() ? 0 : k.delaySeconds())
                .multipliedBy(Math.min(attempts * items, 100_000));
        // The connect may be retried (transient failures): the watchdog allows for every attempt and backoff.
        long watchdogMs = budget.plus(transport.connectBudget(options.connectTimeout())).plus(WATCHDOG_GRACE).toMillis();
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
                r = runBlocking(host, play, task, start);
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
     * For a cancelled run, before its connections are closed: interrupts every running task, which makes the
     * transport kill its remote command on the host (closing the connection alone leaves a command that neither reads
     * nor writes running there), and waits up to {@code limit} for them to end. Blocking; not on the event loop.
     */
    void interruptRunning(Duration limit) {
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

    private TaskResult runBlocking(HostState host, Play play, Task task, Instant start) {
        TaskOutcome outcome;
        Keywords k = task.keywords();
        try {
            Map<String, Object> vars = variables(host, play, task);
            if (task.module().equals("meta")) {
                outcome = meta(task);
            } else if (k.loop() == null) {
                outcome = runItem(host, play, task, vars);
            } else {
                outcome = runLoop(host, play, task, vars);
            }
        } catch (TransportException e) {
            outcome = e.hostLost() ? TaskOutcome.unreachable(e.getMessage()) : TaskOutcome.failed(e.getMessage());
        } catch (TemplateException e) {
            outcome = TaskOutcome.failed("task at " + task.position() + ": " + e.getMessage());
        } catch (ParseException | ModuleException e) {
            outcome = TaskOutcome.failed(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in fleet must cost one task on one host, not the run.
            outcome = TaskOutcome.failed("internal error in module '" + task.module() + "': " + e);
        }
        Map<String, Object> set = new LinkedHashMap<>();
        Object facts = outcome.data().get("ansible_facts");
        if (facts instanceof Map<?, ?> f && outcome.status() != TaskStatus.FAILED) mergeFacts(host, f, set);
        if (k.register() != null && outcome.status() != TaskStatus.UNREACHABLE) {
            set.put(k.register(), registered(outcome));
        }
        host.hostFacts.putAll(set);
        host.lastSet = set;
        if (k.noLog()) outcome = censored(outcome);
        return result(host, play, task, outcome, start);
    }

    private static TaskOutcome meta(Task task) {
        String action = String.valueOf(task.args().get("_raw_params"));
        return TaskOutcome.ok("").withData(Map.of("meta", action));
    }

    /** Facts land as top-level variables and under {@code ansible_facts} without the prefix, as in Ansible. */
    @SuppressWarnings("unchecked")
    private static void mergeFacts(HostState host, Map<?, ?> facts, Map<String, Object> into) {
        Map<String, Object> nested = host.hostFacts.get("ansible_facts") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        facts.forEach((key, v) -> {
            String name = String.valueOf(key);
            into.put(name, v);
            if (name.startsWith("ansible_")) nested.put(name.substring("ansible_".length()), v);
        });
        into.put("ansible_facts", nested);
    }

    private TaskOutcome runLoop(HostState host, Play play, Task task, Map<String, Object> vars)
            throws TemplateException, TransportException, ParseException, ModuleException {
        Keywords k = task.keywords();
        Object loop = k.loop() instanceof String s ? templater.render(s, vars) : templater.renderDeep(k.loop(), vars);
        if (!(loop instanceof List<?> items)) {
            throw new TemplateException("loop must give a list, got '" + loop + "'");
        }
        List<Object> results = new ArrayList<>();
        boolean changed = false;
        boolean failed = false;
        boolean allSkipped = true;
        int index = 0;
        for (Object item : items) {
            Map<String, Object> itemVars = new LinkedHashMap<>(vars);
            itemVars.put(k.loopVar(), item);
            itemVars.put("ansible_loop", Map.of("index", index + 1, "index0", index, "first", index == 0,
                    "last", index == items.size() - 1, "length", items.size()));
            index++;
            TaskOutcome o;
            try {
                o = runItem(host, play, task, itemVars);
            } catch (TemplateException | ModuleException e) {
                o = TaskOutcome.failed(e.getMessage());
            }
            if (o.status() == TaskStatus.UNREACHABLE) return o;
            Map<String, Object> r = registered(o);
            r.put(k.loopVar(), item);
            r.put("item", item);
            results.add(r);
            changed |= o.status() == TaskStatus.CHANGED;
            failed |= o.status() == TaskStatus.FAILED;
            allSkipped &= o.status() == TaskStatus.SKIPPED;
        }
        TaskStatus status = failed ? TaskStatus.FAILED : changed ? TaskStatus.CHANGED
                : allSkipped && !items.isEmpty() ? TaskStatus.SKIPPED : TaskStatus.OK;
        String msg = failed ? "One or more items failed" : items.isEmpty() ? "No items in the list" : "";
        return new TaskOutcome(status, null, "", "", msg, Map.of("results", results));
    }

    /** One loop item (or the whole task without a loop): when, run with retries, changed_when/failed_when. */
    private TaskOutcome runItem(HostState host, Play play, Task task, Map<String, Object> vars)
            throws TemplateException, TransportException, ParseException, ModuleException {
        Keywords k = task.keywords();
        for (String cond : k.when()) {
            if (!templater.evaluate(cond, vars)) {
                return TaskOutcome.skipped("Conditional result was False").withData(Map.of("false_condition", cond));
            }
        }
        HostSession session = session(host, play, vars, task);
        int attempts = 0;
        while (true) {
            attempts++;
            TaskOutcome o = runOnce(session, task, vars);
            if (o.status() == TaskStatus.UNREACHABLE || k.until().isEmpty()) return o;
            Map<String, Object> withResult = withRegistered(vars, k, o);
            boolean done = true;
            for (String cond : k.until()) done &= templater.evaluate(cond, withResult);
            if (done) return o.withData(Map.of("attempts", attempts));
            if (attempts > k.retries()) {
                return new TaskOutcome(TaskStatus.FAILED, o.rc(), o.stdout(), o.stderr(), "Retried " + k.retries()
                        + " times and '" + String.join(" and ", k.until()) + "' is still false"
                        + (o.msg().isEmpty() ? "" : "; last: " + o.msg()), o.data()).withData(Map.of("attempts", attempts));
            }
            try {
                Thread.sleep(Duration.ofSeconds(k.delaySeconds()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return TaskOutcome.failed("interrupted while waiting to retry");
            }
        }
    }

    private TaskOutcome runOnce(HostSession session, Task task, Map<String, Object> vars)
            throws TemplateException, TransportException, ModuleException {
        Keywords k = task.keywords();
        @SuppressWarnings("unchecked")
        Map<String, Object> args = (Map<String, Object>) templater.renderDeep(task.args(), vars);
        TaskOutcome o = modules.get(task.module()).run(new ModuleContext(session, args, options.check(),
                options.diff(), options.taskTimeout(), vars, templater, playbookDir));
        if (o.status() == TaskStatus.UNREACHABLE || (k.changedWhen().isEmpty() && k.failedWhen().isEmpty())) return o;
        Map<String, Object> withResult = withRegistered(vars, k, o);
        TaskStatus status = o.status();
        String msg = o.msg();
        if (!k.changedWhen().isEmpty() && status != TaskStatus.SKIPPED) {
            boolean changed = true;
            for (String c : k.changedWhen()) changed &= templater.evaluate(c, withResult);
            if (status != TaskStatus.FAILED) status = changed ? TaskStatus.CHANGED : TaskStatus.OK;
        }
        if (!k.failedWhen().isEmpty() && status != TaskStatus.SKIPPED) {
            boolean failed = false;
            for (String c : k.failedWhen()) failed |= templater.evaluate(c, withResult);
            if (failed) {
                status = TaskStatus.FAILED;
                if (msg.isEmpty()) msg = "failed_when: " + String.join(" or ", k.failedWhen());
            } else if (status == TaskStatus.FAILED) {
                status = k.changedWhen().isEmpty() && o.rc() != null ? TaskStatus.CHANGED : TaskStatus.OK;
                msg = "";
            }
        }
        return new TaskOutcome(status, o.rc(), o.stdout(), o.stderr(), msg, o.data());
    }

    /** The variables with this result visible under its register name, for until/changed_when/failed_when. */
    private static Map<String, Object> withRegistered(Map<String, Object> vars, Keywords k, TaskOutcome o) {
        Map<String, Object> out = new LinkedHashMap<>(vars);
        Map<String, Object> reg = registered(o);
        if (k.register() != null) out.put(k.register(), reg);
        // Bare names work too (Ansible allows 'rc != 0' in failed_when when the module returns rc).
        reg.forEach(out::putIfAbsent);
        return out;
    }

    /** The host's session, connecting on first use; under {@code become}, a sudo view of it. */
    private HostSession session(HostState host, Play play, Map<String, Object> vars, Task task)
            throws TransportException, TemplateException, ParseException {
        if (task.keywords().delegateTo() != null) return new LocalSession("localhost");
        if (host.session == null) {
            ConnectionSpec spec = connectionSpec(host.name, play, vars);
            host.session = transport.connect(spec);
            host.loginUser = spec.user();
        }
        Keywords k = task.keywords();
        if (!Boolean.TRUE.equals(k.become())) return host.session;
        String user = k.becomeUser() == null ? "root" : k.becomeUser();
        if (user.equals(host.loginUser)) return host.session;
        return new BecomeSession(host.session, user, options.becomePassword());
    }

    private TaskResult result(HostState host, Play play, Task task, TaskOutcome outcome, Instant start) {
        boolean ignored = task.ignoreErrors() && outcome.status() == TaskStatus.FAILED;
        return new TaskResult(host.name, play.displayName(), taskName(templater, play, task, options.extraVars()),
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
        Map<String, Object> vars = new LinkedHashMap<>(play.vars());
        vars.putAll(extraVars);
        try {
            return String.valueOf(templater.render(name, vars));
        } catch (TemplateException e) {
            return name;
        }
    }

    /**
     * Variables as Ansible layers them: inventory < play vars (and vars_files) < block and task vars <
     * facts and registered results < extra vars.
     */
    private Map<String, Object> variables(HostState host, Play play, Task task) {
        Map<String, Object> vars = new LinkedHashMap<>(inventory.varsFor(host.name));
        vars.putAll(play.vars());
        vars.putAll(task.keywords().vars());
        vars.putAll(host.hostFacts);
        vars.putAll(options.extraVars());
        vars.put("inventory_hostname", host.name);
        vars.put("ansible_check_mode", options.check());
        vars.put("ansible_diff_mode", options.diff());
        vars.put("playbook_dir", playbookDir.toString());
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
        ConnectionSpec spec = new ConnectionSpec(host, c.address(), c.port(), user, keys, options.connectTimeout());
        String jump = jumpHost(rendered);
        return jump == null ? spec : spec.via(jump);
    }

    private static final java.util.regex.Pattern PROXY_JUMP =
            java.util.regex.Pattern.compile("(?:-o\\s*ProxyJump[=\\s]\\s*|-J\\s*)['\"]?([^\\s'\",]+)");

    /**
     * The jump host: {@code ansible_jump_host}, or OpenSSH's ProxyJump in {@code ansible_ssh_common_args} /
     * {@code ansible_ssh_extra_args} ({@code -o ProxyJump=bastion}, {@code -J user@bastion:2222}), as Ansible
     * users write it. Only the first hop of a chain is used.
     */
    static String jumpHost(Map<String, Object> vars) {
        Object direct = vars.get("ansible_jump_host");
        if (direct != null && !String.valueOf(direct).isBlank()) return String.valueOf(direct).strip();
        for (String key : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) {
            Object v = vars.get(key);
            if (v == null) continue;
            var m = PROXY_JUMP.matcher(String.valueOf(v));
            if (m.find()) return m.group(1);
        }
        return null;
    }

    private static String expandHome(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The registered form of a result, as Ansible exposes it to later tasks. */
    static Map<String, Object> registered(TaskOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>(o.data());
        m.remove("ansible_facts");
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
