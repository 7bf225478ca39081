package dev.fleet.modules;

import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * {@code apt-get update} with Ansible's retries: up to {@code retries} attempts, waiting 2^attempt seconds (at
 * most {@code maxDelay}) plus a random fraction of a second between them. An attempt fails when apt says any
 * index could not be fetched ({@code --error-on=any}), as python-apt's cache update does.
 */
final class AptCacheUpdate {
    static final String COMMAND = "apt-get update -q --error-on=any";

    private AptCacheUpdate() {}

    /** Null once an update succeeded, else why the last attempt failed. */
    static String run(ModuleContext ctx, int retries, int maxDelay) throws TransportException {
        return retry(retries, maxDelay, () -> {
            CommandResult r = ctx.session().exec(COMMAND, ctx.timeout());
            return r.exitCode() == 0 ? null : errors(r);
        });
    }

    /** One attempt at an update: null when it succeeded, else why it failed (blank when it cannot say). */
    interface Attempt {
        String run() throws TransportException;
    }

    /**
     * Makes up to {@code retries} attempts, waiting as Ansible does between them.
     *
     * @return null once an attempt succeeded, else the last reason an attempt gave, or "unknown reason"
     */
    static String retry(int retries, int maxDelay, Attempt attempt) throws TransportException {
        String err = "";
        double randomize = ThreadLocalRandom.current().nextInt(0, 1001) / 1000.0;
        for (int i = 0; i < retries; i++) {
            String why = attempt.run();
            if (why == null) return null;
            if (!why.isBlank()) err = why;
            if (i == retries - 1) break;
            double delay = Math.pow(2, i) + randomize;
            if (delay > maxDelay) delay = maxDelay + randomize;
            try {
                Thread.sleep((long) (delay * 1000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return err.isEmpty() ? "unknown reason" : err;
    }

    /** apt's {@code E:} lines as python-apt words them ({@code E:Failed to fetch ..., E:...}), else its last line. */
    static String errors(CommandResult r) {
        String lines = r.stderr().lines().filter(l -> l.startsWith("E:"))
                .map(l -> "E:" + l.substring(2).strip()).collect(Collectors.joining(", "));
        return lines.isEmpty() ? RemoteFiles.reason(r.stderr() + "\n" + r.stdout()) : lines;
    }
}
