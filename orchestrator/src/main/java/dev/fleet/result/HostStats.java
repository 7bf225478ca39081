package dev.fleet.result;

/** Per-host counters, as in Ansible's PLAY RECAP. */
public record HostStats(int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
    public static final HostStats EMPTY = new HostStats(0, 0, 0, 0, 0, 0, 0);

    /** Counts one result; a failure under {@code ignore_errors} counts as ignored, not failed, as Ansible does. */
    public HostStats plus(TaskStatus status, boolean ignoredFailure) {
        return plus(status, ignoredFailure, false);
    }

    /**
     * As Ansible's recap counts: an ignored failure counts in {@code ok} and {@code ignored}, and in {@code changed}
     * when the failed result had changed something ({@code changedFailure}: a command that ran and failed).
     */
    public HostStats plus(TaskStatus status, boolean ignoredFailure, boolean changedFailure) {
        if (ignoredFailure) {
            return new HostStats(ok + 1, changed + (changedFailure ? 1 : 0), unreachable, failed, skipped, rescued,
                    ignored + 1);
        }
        return switch (status) {
            // Ansible counts a changed task in both ok and changed
            case OK -> new HostStats(ok + 1, changed, unreachable, failed, skipped, rescued, ignored);
            case CHANGED -> new HostStats(ok + 1, changed + 1, unreachable, failed, skipped, rescued, ignored);
            case UNREACHABLE -> new HostStats(ok, changed, unreachable + 1, failed, skipped, rescued, ignored);
            case FAILED -> new HostStats(ok, changed, unreachable, failed + 1, skipped, rescued, ignored);
            case SKIPPED -> new HostStats(ok, changed, unreachable, failed, skipped + 1, rescued, ignored);
        };
    }

    /** A failure that a block's rescue section handled: no longer counted as failed, as in Ansible. */
    public HostStats rescue() {
        return new HostStats(ok, changed, unreachable, Math.max(0, failed - 1), skipped, rescued + 1, ignored);
    }

    /**
     * A lost host that a {@code rescue_unreachable} block's rescue handled: counted as rescued and no longer as
     * unreachable, as a rescued failure is no longer counted as failed.
     */
    public HostStats rescueUnreachable() {
        return new HostStats(ok, changed, Math.max(0, unreachable - 1), failed, skipped, rescued + 1, ignored);
    }

    public HostStats plus(HostStats o) {
        return new HostStats(ok + o.ok, changed + o.changed, unreachable + o.unreachable, failed + o.failed,
                skipped + o.skipped, rescued + o.rescued, ignored + o.ignored);
    }
}
