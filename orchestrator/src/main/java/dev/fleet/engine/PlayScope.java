package dev.fleet.engine;

import dev.fleet.playbook.Play;
import java.util.List;

/**
 * Where a task runs: its play, every host the play targets, and the {@code serial} batch being run. Gives
 * {@code ansible_play_hosts_all}, {@code ansible_play_hosts} and {@code ansible_play_batch} their values.
 */
record PlayScope(Play play, List<HostState> playHosts, List<HostState> batch) {
    PlayScope {
        playHosts = List.copyOf(playHosts);
        batch = List.copyOf(batch);
    }
}
