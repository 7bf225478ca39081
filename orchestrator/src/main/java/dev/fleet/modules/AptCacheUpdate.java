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
        String err = "";
        double randomize = ThreadLocalRandom.current().nextInt(0, 1001) / 1000.0;
        for (int attempt = 0; attempt < retries; attempt++) {
            CommandResult r = ctx.session().exec(COMMAND, ctx.timeout());
            if (r.exitCode() == 0) return null;
            err = errors(r);
            if (attempt == retries - 1) break;
            double delay = Math.pow(2, attempt) + randomize;
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
