package dev.fleet.engine;

import java.util.AbstractList;
import java.util.List;

/**
 * The value of {@code ansible_play_hosts_all}, {@code ansible_play_hosts} or {@code ansible_play_batch} on one host
 * for one task: the names of the play's (or batch's) hosts, optionally only those still active, listed when the
 * value is first read and kept from then on.
 *
 * <p>Why not a plain list: every host's variables for every task carry these values, and most tasks never read
 * them. Copied eagerly, 5000 hosts running a task at once held 5000 x 3 lists of 5000 names (217 MiB of
 * {@code Object[]} in a heap dump, and all of it outlived young collections) and spent O(hosts) per host per task
 * building them.
 */
final class PlayHostNames extends AbstractList<String> {
    private final List<HostState> states;
    private final boolean activeOnly;
    private volatile List<String> names;

    PlayHostNames(List<HostState> states, boolean activeOnly) {
        this.states = states;
        this.activeOnly = activeOnly;
    }

    private List<String> names() {
        List<String> n = names;
        if (n == null) {
            n = states.stream().filter(h -> !activeOnly || h.active()).map(h -> h.name).toList();
            names = n;
        }
        return n;
    }

    @Override
    public String get(int index) {
        return names().get(index);
    }

    @Override
    public int size() {
        return names().size();
    }
}
