package dev.fleet.history;

import dev.fleet.result.HostStats;
import java.time.Instant;

/**
 * One run in a listing.
 *
 * @param status  {@code running}, {@code ok}, {@code changed}, {@code failed}, {@code unreachable},
 *                {@code interrupted}
 * @param totals  counters summed over hosts
 * @param end     null while running
 */
public record RunSummary(String id, RunMeta meta, String status, Instant start, Instant end, int hostCount,
        int failedHosts, int unreachableHosts, HostStats totals) {}
