package dev.fleet.engine;

import dev.fleet.result.TaskStatus;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A clustered run's coordinator's list of {@link ActivityChange}s, in the order its flow made them, which every
 * task carries to the dispatcher ({@link RemoteTask#activity}); the dispatcher sends each worker only the ones it
 * has not had. Hosts are told once per change, not once per task: 5000 hosts never mean 5000 names per task.
 * Confined to the run's event-loop context; a {@link #snapshot} may be read anywhere, and never changes.
 */
final class ActivityLog {
    /** Appended to only: a snapshot holds the array it was taken from, whose first entries never change. */
    private ActivityChange[] changes = new ActivityChange[16];
    private int size;
    /** The hosts the log says take no part now. */
    private final Set<String> out = new HashSet<>();

    /** {@code host} may have stopped or resumed taking part: recorded if the log said otherwise. */
    void record(HostState host) {
        if (out.contains(host.name) != host.active()) return;
        TaskStatus now = host.out;
        if (now == null) out.remove(host.name);
        else out.add(host.name);
        if (size == changes.length) changes = Arrays.copyOf(changes, size * 2);
        changes[size] = new ActivityChange(size + 1, host.name, now);
        size++;
    }

    /** Every change so far, oldest first; O(1), and later changes do not show in it. */
    List<ActivityChange> snapshot() {
        ActivityChange[] at = changes;
        int n = size;
        return new AbstractList<>() {
            @Override
            public ActivityChange get(int index) {
                java.util.Objects.checkIndex(index, n);
                return at[index];
            }

            @Override
            public int size() {
                return n;
            }
        };
    }
}
