package dev.fleet.serve;

import dev.fleet.history.RunSummary;
import dev.fleet.history.TriggerOutcomes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@code GET /api/schedules/{name}/health}: a schedule's hosts by its latest runs, each cell the host's status in
 * that run ({@code null}: the host was not in that run). Runs oldest first, so a row reads left to right in time;
 * hosts in name order. Past the host cap the hosts with the most failed or unreachable runs are kept (the ones to
 * look at), and the answer says how many were left out.
 */
final class FleetHealth {
    static final int DEFAULT_RUNS = 20;
    static final int MAX_RUNS = 60;
    static final int DEFAULT_HOSTS = 200;
    static final int MAX_HOSTS = 1000;

    private FleetHealth() {}

    /** How one host fared over the runs: what decides which hosts stay past the cap. */
    private record Tally(String host, int bad, int changed) {}

    /**
     * @param liveStatus a run's status while the server is running it (the history says "running" until it ends)
     */
    static JsonObject json(String schedule, TriggerOutcomes outcomes, int maxHosts,
                           Function<String, Optional<String>> liveStatus) {
        List<RunSummary> runs = new ArrayList<>(outcomes.runs());
        runs.sort(Comparator.comparing(RunSummary::start).thenComparing(RunSummary::id));
        Map<String, int[]> counts = new HashMap<>();
        for (Map<String, String> statuses : outcomes.hosts().values()) {
            statuses.forEach((host, status) -> {
                int[] c = counts.computeIfAbsent(host, h -> new int[2]);
                if (status.equals("failed") || status.equals("unreachable")) c[0]++;
                else if (status.equals("changed")) c[1]++;
            });
        }
        List<Tally> tallies = new ArrayList<>();
        counts.forEach((h, c) -> tallies.add(new Tally(h, c[0], c[1])));
        tallies.sort(Comparator.comparingInt(Tally::bad).reversed().thenComparing(Comparator
                .comparingInt(Tally::changed).reversed()).thenComparing(Tally::host));
        Map<String, Tally> shown = new HashMap<>();
        for (Tally t : tallies.subList(0, Math.min(maxHosts, tallies.size()))) shown.put(t.host(), t);

        JsonArray runJson = new JsonArray();
        for (RunSummary r : runs) {
            runJson.add(new JsonObject().put("id", r.id()).put("url", RunJson.url(r.id()))
                    .put("start", RunJson.str(r.start())).put("status", liveStatus.apply(r.id()).orElse(r.status()))
                    .put("host_count", r.hostCount()));
        }
        JsonArray hostJson = new JsonArray();
        for (String host : new TreeSet<>(shown.keySet())) {
            JsonArray cells = new JsonArray();
            for (RunSummary r : runs) cells.add(outcomes.hosts().getOrDefault(r.id(), Map.of()).get(host));
            hostJson.add(new JsonObject().put("name", host).put("bad_runs", shown.get(host).bad()).put("cells", cells));
        }
        return new JsonObject().put("schedule", schedule).put("runs", runJson).put("hosts", hostJson)
                .put("hosts_total", tallies.size()).put("hosts_omitted", tallies.size() - shown.size())
                .put("max_hosts", maxHosts);
    }
}
