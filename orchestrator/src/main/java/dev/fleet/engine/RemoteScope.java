package dev.fleet.engine;

import java.util.List;

/**
 * The hosts a play and one of its batches run on ({@code ansible_play_hosts}, {@code ansible_play_batch}), sent to
 * a worker once before the first task that runs in it.
 */
public record RemoteScope(String id, int play, List<String> playHosts, List<String> batch) {
    public RemoteScope {
        playHosts = List.copyOf(playHosts);
        batch = List.copyOf(batch);
    }
}
