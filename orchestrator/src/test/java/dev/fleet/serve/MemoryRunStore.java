package dev.fleet.serve;

import dev.fleet.history.AuditRecord;
import dev.fleet.history.Retention;
import dev.fleet.history.RunMeta;
import dev.fleet.history.RunStore;
import dev.fleet.history.RunSummary;
import dev.fleet.history.StoredRun;
import dev.fleet.history.TriggerOutcomes;
import dev.fleet.result.HostStats;
import dev.fleet.result.RunEvent;
import dev.fleet.result.RunSink;
import dev.fleet.result.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A RunStore in memory, for tests (the SQLite store is written elsewhere). Survives a server restart only
 *  as long as the same instance is handed to the next server. */
final class MemoryRunStore implements RunStore {
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<AuditRecord> audit = new ArrayList<>();
    volatile boolean closed;

    private static final class Row {
        String id;
        RunMeta meta;
        String status = "running";
        Instant start = Instant.now();
        Instant end;
        Map<String, HostStats> stats = new LinkedHashMap<>();
        Map<String, List<StoredRun.TaskRecord>> tasks = new LinkedHashMap<>();
    }

    /** Adds a finished run directly (for missed-run and trend tests). */
    synchronized void add(String id, RunMeta meta, String status, Instant start, int failedHosts) {
        Row r = new Row();
        r.id = id;
        r.meta = meta;
        r.status = status;
        r.start = start;
        r.end = start.plusSeconds(1);
        for (int i = 0; i < 3; i++) {
            r.stats.put("h" + i, i < failedHosts ? new HostStats(0, 0, 0, 1, 0, 0, 0)
                    : new HostStats(1, 0, 0, 0, 0, 0, 0));
        }
        rows.put(id, r);
    }

    /** Adds a finished run with the given hosts' stats (for the fleet-health tests). */
    synchronized void add(String id, RunMeta meta, Instant start, Map<String, HostStats> stats) {
        Row r = new Row();
        r.id = id;
        r.meta = meta;
        r.start = start;
        r.end = start.plusSeconds(1);
        r.stats.putAll(stats);
        r.status = RunJson.status(stats);
        rows.put(id, r);
    }

    /** Adds a task result to a run added with {@link #add(String, RunMeta, Instant, Map)}. */
    synchronized void task(String id, String host, StoredRun.TaskRecord task) {
        rows.get(id).tasks.computeIfAbsent(host, h -> new ArrayList<>()).add(task);
    }

    @Override
    public synchronized RunSink recorder(String runId, RunMeta meta) {
        Row row = new Row();
        row.id = runId;
        row.meta = meta;
        rows.put(runId, row);
        return new RunSink() {
            @Override
            public void accept(RunEvent event) {
                synchronized (MemoryRunStore.this) {
                    switch (event) {
                        case RunEvent.RunStarted e -> e.hosts().forEach(h -> {
                            row.stats.put(h, HostStats.EMPTY);
                            row.tasks.put(h, new ArrayList<>());
                        });
                        case RunEvent.HostTaskFinished e -> {
                            TaskResult t = e.result();
                            row.tasks.computeIfAbsent(t.host(), h -> new ArrayList<>()).add(new StoredRun.TaskRecord(
                                    t.play(), t.task(), t.module(), t.source(), t.status().label(), t.outcome().rc(),
                                    t.outcome().msg(), t.outcome().stdout(), t.outcome().stderr(), t.start(), t.end()));
                        }
                        case RunEvent.RunFinished e -> {
                            row.stats.putAll(e.stats());
                            row.end = e.at();
                            row.status = e.interrupted() ? "interrupted" : RunJson.status(e.stats());
                        }
                        default -> { }
                    }
                }
            }
        };
    }

    private RunSummary summary(Row r) {
        HostStats total = HostStats.EMPTY;
        int failed = 0;
        int unreachable = 0;
        for (HostStats s : r.stats.values()) {
            total = total.plus(s);
            if (s.failed() > 0) failed++;
            if (s.unreachable() > 0) unreachable++;
        }
        return new RunSummary(r.id, r.meta, r.status, r.start, r.end, r.stats.size(), failed, unreachable, total);
    }

    @Override
    public synchronized List<RunSummary> recent(int limit, int offset) {
        return rows.values().stream().sorted(Comparator.comparing((Row r) -> r.start).reversed()).skip(offset)
                .limit(limit).map(this::summary).toList();
    }

    @Override
    public synchronized Optional<StoredRun> find(String runId) {
        Row r = rows.get(runId);
        if (r == null) return Optional.empty();
        Map<String, StoredRun.HostRecord> hosts = new LinkedHashMap<>();
        r.stats.forEach((h, s) -> hosts.put(h, new StoredRun.HostRecord(RunJson.hostStatus(s), s,
                List.copyOf(r.tasks.getOrDefault(h, List.of())))));
        return Optional.of(new StoredRun(summary(r), hosts));
    }

    @Override
    public synchronized TriggerOutcomes outcomes(String trigger, int limit) {
        List<RunSummary> runs = rows.values().stream().filter(r -> trigger.equals(r.meta.trigger()))
                .sorted(Comparator.comparing((Row r) -> r.start).reversed()).limit(limit).map(this::summary).toList();
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        for (RunSummary s : runs) {
            Map<String, String> statuses = new LinkedHashMap<>();
            rows.get(s.id()).stats.forEach((h, st) -> statuses.put(h, RunJson.hostStatus(st)));
            hosts.put(s.id(), statuses);
        }
        return new TriggerOutcomes(runs, hosts);
    }

    @Override
    public synchronized int applyRetention(Retention retention) {
        return 0;
    }

    @Override
    public synchronized List<String> markAbandoned() {
        List<String> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.status.equals("running")) {
                r.status = "interrupted";
                out.add(r.id);
            }
        }
        return out;
    }

    @Override
    public synchronized void audit(AuditRecord record) {
        audit.add(0, record);
    }

    @Override
    public synchronized List<AuditRecord> auditTrail(int limit) {
        return List.copyOf(audit.subList(0, Math.min(limit, audit.size())));
    }

    synchronized String status(String id) {
        return rows.get(id).status;
    }

    @Override
    public void close() {
        closed = true;
    }
}
