package dev.fleet.modules;

import dev.fleet.result.TaskOutcome;
import dev.fleet.transport.CommandResult;
import dev.fleet.transport.HostSession;
import dev.fleet.transport.TransportException;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait_for_connection}: after {@code delay} seconds, opens the host's connection again and runs a test
 * command, every {@code sleep} seconds, until the test answers or {@code timeout} seconds have passed, as Ansible's
 * action resets its connection and runs ping. Each attempt's connect is bounded by {@code connect_timeout}. The
 * engine hands this module the host's session unopened on the host's first task, so it also waits for a host that
 * is not up yet. Returns {@code elapsed} (whole seconds, the delay included); skipped in check mode, as in Ansible.
 * The whole wait is also bounded by fleet's task timeout, which then cuts {@code timeout} short.
 */
final class WaitForConnectionModule implements Module {
    private static final ArgSpec SPEC = ArgSpec.builder()
            .add(Arg.integer("connect_timeout").defaultsTo(5), Arg.integer("delay").defaultsTo(0),
                    Arg.integer("sleep").defaultsTo(1), Arg.integer("timeout").defaultsTo(600))
            .build();

    public String name() {
        return "wait_for_connection";
    }

    public ArgSpec spec() {
        return SPEC;
    }

    public TaskOutcome execute(ModuleContext ctx) throws ModuleException {
        for (String n : new String[] {"connect_timeout", "delay", "sleep", "timeout"}) {
            if (ctx.integer(n) < 0) throw new ModuleException("argument '" + n + "' must not be negative");
        }
        if (ctx.check()) return TaskOutcome.skipped("wait_for_connection does not run in check mode");
        long start = System.nanoTime();
        long taskEnd = start + ctx.timeout().toNanos();
        try {
            Thread.sleep(Duration.ofSeconds(ctx.integer("delay")));
            Waited w = waitForConnection(ctx.session(), Duration.ofSeconds(Math.max(1, ctx.integer("connect_timeout"))),
                    Duration.ofSeconds(Math.max(1, ctx.integer("sleep"))), Duration.ofSeconds(ctx.integer("timeout")),
                    taskEnd);
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            TaskOutcome o = w.error() == null ? TaskOutcome.ok("")
                    : TaskOutcome.failed("timed out waiting for ping module test: " + w.error());
            return o.withData(Map.of("elapsed", elapsed));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return TaskOutcome.failed("wait_for_connection interrupted");
        }
    }

    /** How a wait ended: {@code error} is null when the host answered, else the last attempt's failure. */
    private record Waited(String error) {}

    /**
     * Reconnects and runs the test every {@code pause} until it answers, for up to {@code timeout} (and not past
     * {@code taskEnd}, a {@link System#nanoTime} instant).
     */
    private static Waited waitForConnection(HostSession session, Duration connectTimeout, Duration pause,
            Duration timeout, long taskEnd) throws InterruptedException {
        long end = Math.min(System.nanoTime() + timeout.toNanos(), taskEnd);
        String error = "no attempt was made within the timeout";
        while (System.nanoTime() < end) {
            try {
                session.reconnect(connectTimeout);
                CommandResult r = session.exec("echo pong", connectTimeout.plusSeconds(5));
                if (r.exitCode() == 0 && r.stdout().strip().equals("pong")) return new Waited(null);
                error = "ping test failed: exit " + r.exitCode() + " " + r.stderr().strip();
            } catch (TransportException e) {
                error = e.getMessage();
            }
            long left = end - System.nanoTime();
            if (left > 0) Thread.sleep(Duration.ofNanos(Math.min(left, pause.toNanos())));
        }
        return new Waited(error);
    }
}
