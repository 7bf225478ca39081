package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.shell.ShellQuote;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code reboot}: reboots a Linux host and waits until it is back, as Ansible's action does: reads the boot id
 * ({@code boot_time_command}), runs the reboot command ({@code shutdown -r <minutes> "<msg>"}, the binary found in
 * {@code search_paths}, or {@code reboot_command}), waits {@code post_reboot_delay}, then until
 * {@code reboot_timeout}: reconnects until the boot id has changed, then until {@code test_command} succeeds, with
 * Ansible's backoff (1, 2, 4, 8 seconds... at most 12). Returns {@code rebooted} and {@code elapsed}. Never on the
 * controller (refused, as in Ansible); in check mode it only reports the reboot. The whole task is also bounded by
 * fleet's task timeout.
 */
final class RebootModule implements Module {
    static final String DEFAULT_MSG = "Reboot initiated by Ansible";
    private static final List<String> SEARCH_PATHS = List.of("/sbin", "/bin", "/usr/sbin", "/usr/bin",
            "/usr/local/sbin");
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_SECONDS = 12;

    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.str("reboot_command"), Arg.decimal("pre_reboot_delay").defaultsTo(0.0)
                            .aliases("pre_reboot_delay_sec"),
                    Arg.decimal("post_reboot_delay").defaultsTo(0.0).aliases("post_reboot_delay_sec"),
                    Arg.integer("reboot_timeout").defaultsTo(600).aliases("reboot_timeout_sec"),
                    Arg.integer("connect_timeout").aliases("connect_timeout_sec"),
                    Arg.str("test_command").defaultsTo("whoami"),
                    Arg.str("boot_time_command").defaultsTo("cat /proc/sys/kernel/random/boot_id"),
                    Arg.str("msg").defaultsTo(DEFAULT_MSG), Arg.list("search_paths", ArgType.STR))
            .build();

    /** Sleeps; replaced in tests. */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Sleeper sleeper;

    RebootModule() {
        this(Thread::sleep);
    }

    RebootModule(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    public String name() {
        return "reboot";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws TransportException, ModuleException {
        HostSession session = ctx.session();
        if (session.isController()) {
            return result(TaskStatus.FAILED, "Running reboot with local connection would reboot the control node.",
                    false, 0);
        }
        if (ctx.check()) return result(TaskStatus.CHANGED, "", true, 0);
        long taskEnd = System.nanoTime() + ctx.timeout().toNanos();
        String before;
        try {
            before = bootId(ctx);
        } catch (ModuleException e) {
            return TaskOutcome.failed(e.getMessage()).withData(Map.of("reboot", false)); // Ansible's key here
        }
        String command = rebootCommand(ctx);
        long start = System.nanoTime();
        try {
            CommandResult r = session.exec(command, COMMAND_LIMIT);
            if (r.exitCode() != 0) {
                return result(TaskStatus.FAILED, "Reboot command failed. Error was: '" + r.stdout().strip() + ", "
                        + r.stderr().strip() + "'", false, seconds(start));
            }
        } catch (TransportException e) {
            // the host went down under the command: the reboot is under way, as Ansible takes it
        }
        try {
            sleeper.sleep(Duration.ofSeconds(delay(ctx, "post_reboot_delay")));
            Duration timeout = Duration.ofSeconds(Math.max(0, ctx.integer("reboot_timeout")));
            String late = retry(ctx, "last boot time check", timeout, taskEnd, () -> bootChanged(ctx, before));
            if (late == null) late = retry(ctx, "post-reboot test command", timeout, taskEnd, () -> testCommand(ctx));
            if (late != null) return result(TaskStatus.FAILED, late, true, seconds(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(TaskStatus.FAILED, "reboot interrupted while waiting for the host", true, seconds(start));
        }
        return result(TaskStatus.CHANGED, "", true, seconds(start));
    }

    /** The command that reboots: reboot_command's binary (found in search_paths unless absolute) and arguments. */
    private static String rebootCommand(ModuleContext ctx) throws TransportException, ModuleException {
        String given = ctx.str("reboot_command");
        String bin;
        String args;
        if (given != null) {
            String[] parts = given.strip().split(" ", 2);
            bin = parts[0];
            args = parts.length > 1 ? parts[1] : "";
        } else {
            bin = "shutdown";
            long minutes = delay(ctx, "pre_reboot_delay") / 60;
            args = "-r " + minutes + " " + ShellQuote.quote(ctx.str("msg"));
        }
        if (bin.isEmpty()) throw new ModuleException("argument 'reboot_command' is empty");
        String path = bin.startsWith("/") ? bin : find(ctx, bin);
        return ShellQuote.quote(path) + (args.isEmpty() ? "" : " " + args);
    }

    private static String find(ModuleContext ctx, String bin) throws TransportException, ModuleException {
        List<String> paths = ctx.has("search_paths") ? ctx.strings("search_paths") : SEARCH_PATHS;
        StringBuilder script = new StringBuilder("for d in");
        for (String p : paths) script.append(' ').append(ShellQuote.quote(p));
        script.append("; do if [ -e \"$d\"/").append(ShellQuote.quote(bin))
                .append(" ]; then printf '%s\\n' \"$d\"/").append(ShellQuote.quote(bin)).append("; exit 0; fi; done;")
                .append(" exit 1");
        CommandResult r = ctx.session().exec(script.toString(), COMMAND_LIMIT);
        if (r.exitCode() != 0 || r.stdout().isBlank()) {
            throw new ModuleException("Unable to find command \"" + bin + "\" in search paths: " + paths);
        }
        return r.stdout().strip();
    }

    private static String bootId(ModuleContext ctx) throws TransportException, ModuleException {
        CommandResult r = ctx.session().exec(ctx.str("boot_time_command"), COMMAND_LIMIT);
        if (r.exitCode() != 0) {
            throw new ModuleException("reboot: failed to get host boot time info, rc: " + r.exitCode() + ", stdout: "
                    + r.stdout() + ", stderr: " + r.stderr());
        }
        return r.stdout().strip();
    }

    /** One check of a phase; throws what went wrong this time. */
    private interface Attempt {
        void run() throws TransportException, ModuleException;
    }

    private static void bootChanged(ModuleContext ctx, String before) throws TransportException, ModuleException {
        if (ctx.has("connect_timeout")) ctx.session().reconnect(Duration.ofSeconds(ctx.integer("connect_timeout")));
        String now = bootId(ctx);
        if (now.isEmpty() || now.equals(before)) throw new ModuleException("boot time has not changed");
    }

    private static void testCommand(ModuleContext ctx) throws TransportException, ModuleException {
        CommandResult r = ctx.session().exec(ctx.str("test_command"), COMMAND_LIMIT);
        if (r.exitCode() != 0) {
            throw new ModuleException("Test command failed: " + r.stderr() + " " + r.stdout());
        }
    }

    /**
     * Runs {@code attempt} until it succeeds (null) or {@code timeout} (bounded by {@code taskEnd}) passes (the
     * timeout message). A lost connection is opened again before the next attempt.
     */
    private String retry(ModuleContext ctx, String what, Duration timeout, long taskEnd, Attempt attempt)
            throws InterruptedException {
        long end = Math.min(System.nanoTime() + timeout.toNanos(), taskEnd);
        int failures = 0;
        Duration connectTimeout = ctx.has("connect_timeout") ? Duration.ofSeconds(ctx.integer("connect_timeout"))
                : null; // the connection's own
        while (System.nanoTime() < end) {
            try {
                attempt.run();
                return null;
            } catch (TransportException e) {
                try {
                    ctx.session().reconnect(connectTimeout);
                } catch (TransportException again) {
                    // still down: the next attempt tries again
                }
            } catch (ModuleException e) {
                // not yet: boot id unchanged, or the test command failed
            }
            double jitter = ThreadLocalRandom.current().nextInt(0, 1001) / 1000.0;
            double wait = Math.min(Math.pow(2, failures), MAX_BACKOFF_SECONDS) + jitter;
            failures++;
            long left = end - System.nanoTime();
            if (left > 0) sleeper.sleep(Duration.ofNanos(Math.min(left, (long) (wait * 1e9))));
        }
        return "Timed out waiting for " + what + " (timeout=" + timeout.toSeconds() + ")";
    }

    /** A delay argument in whole seconds: fractions dropped, negative ones 0, as Ansible reads them. */
    private static long delay(ModuleContext ctx, String name) {
        return Math.max(0, (long) ctx.decimal(name));
    }

    private static long seconds(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds();
    }

    private static TaskOutcome result(TaskStatus status, String msg, boolean rebooted, long elapsed) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("rebooted", rebooted);
        data.put("elapsed", elapsed);
        return new TaskOutcome(status, null, "", "", msg, data);
    }
}
