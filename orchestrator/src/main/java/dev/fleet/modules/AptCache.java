package dev.fleet.modules;

import dev.fleet.transport.CommandResult;
import dev.fleet.transport.TransportException;

/**
 * apt's package lists: how old they are (what {@code cache_valid_time} compares) and updating them with
 * {@code apt-get update}, retried with exponential backoff as Ansible does ({@code update_cache_retries},
 * {@code update_cache_retry_max_delay}).
 */
final class AptCache {
    private AptCache() {}

    /**
     * When the lists were last updated, as Ansible reads it: the mtime of update-notifier's success stamp where
     * it exists, else of /var/lib/apt/lists, else 0; and the host's clock, to compare with.
     */
    record Times(double mtime, double now) {
        /** Ansible's cache_update_time: the mtime in whole seconds. */
        long updateTime() {
            return (long) Math.floor(mtime);
        }
    }

    static Times times(AptRunner apt) throws TransportException {
        CommandResult r = apt.query("s=/var/lib/apt/periodic/update-success-stamp; l=/var/lib/apt/lists;"
                + " if [ -e \"$s\" ]; then stat -c %.9Y \"$s\"; elif [ -e \"$l\" ]; then stat -c %.9Y \"$l\";"
                + " else echo 0; fi; date +%s.%N");
        String[] f = r.stdout().strip().split("\\s+");
        return new Times(number(f, 0), number(f, 1));
    }

    private static double number(String[] fields, int i) {
        try {
            return Double.parseDouble(fields[i]);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /**
     * Runs apt-get update (not under --check), retrying a failed update. A download that failed counts as a
     * failure even where apt-get only warns, as python-apt's update() does.
     *
     * @return null when the update succeeded (or would run), else why it failed
     */
    static String update(ModuleContext ctx, AptRunner apt) throws TransportException {
        if (ctx.check()) return null;
        return AptCacheUpdate.retry(ctx.integer("update_cache_retries"), ctx.integer("update_cache_retry_max_delay"),
                () -> {
                    CommandResult r = apt.change("apt-get update -q");
                    String out = r.stdout() + "\n" + r.stderr();
                    if (r.exitCode() == 0 && !out.contains("Failed to fetch")) return null;
                    return OutputText.tail(r.stderr().isBlank() ? r.stdout() : r.stderr(), 6).replace("\n", " ");
                });
    }
}
