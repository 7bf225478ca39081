package dev.fleet.engine;

import dev.fleet.result.TaskStatus;

/**
 * A play host of a clustered run stopped taking part (it failed or became unreachable) or took part again
 * ({@code meta: clear_host_errors}), as the coordinator's flow decided: a worker applies it to its copy of that
 * host so that {@code ansible_play_hosts} and {@code ansible_play_batch} drop the same hosts as on the coordinator.
 *
 * @param version the change's place in the run's list of such changes, from 1: a worker applies a change to a host
 *                only if it is newer than the last one it applied to that host, so the order they arrive in does
 *                not matter
 * @param host    the host
 * @param out     why the host takes no part any more ({@link TaskStatus#FAILED}, {@link TaskStatus#UNREACHABLE}),
 *                or null when it takes part again
 */
public record ActivityChange(int version, String host, TaskStatus out) {}
