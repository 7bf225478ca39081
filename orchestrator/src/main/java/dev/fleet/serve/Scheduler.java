package dev.fleet.serve;

import dev.fleet.history.RunStore;
import dev.fleet.history.RunSummary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fires schedules at their cron times with one Vert.x timer each, re-armed after every fire. A schedule never
 * overlaps itself: when its previous run is still going at the next fire time, that fire is skipped (logged and
 * counted). Runs missed while the service was down are detected at start and reported, never run.
 */
final class Scheduler {
    private static final int HISTORY_SCAN = 2000;
    private static final int MAX_MISSED_COUNT = 10_000;

    /** Mutable state of one schedule; guarded by the entry's lock. */
    static final class Entry {
        final ServeConfig.Schedule schedule;
        long timerId = -1;
        ZonedDateTime next;
        String runningId;
        boolean starting;
        String lastRunId;
        Instant lastRunAt;
        String lastRunStatus;
        int missedRuns;
        Instant missedLastDue;
        int skippedRuns;
        Instant lastSkipped;
        String lastError;

        Entry(ServeConfig.Schedule schedule) {
            this.schedule = schedule;
        }
    }

    private final Vertx vertx;
    private final RunManager runs;
    private final RunStore store;
    private final Consumer<String> log;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private volatile boolean stopped;

    Scheduler(Vertx vertx, RunManager runs, RunStore store, List<ServeConfig.Schedule> schedules,
            Consumer<String> log) {
        this.vertx = vertx;
        this.runs = runs;
        this.store = store;
        this.log = log;
        for (ServeConfig.Schedule s : schedules) entries.put(s.name(), new Entry(s));
    }

    /** Blocking (reads the history): checks each schedule's playbook, finds missed runs, arms the timers. */
    void start() {
        Instant now = Instant.now();
        Map<String, RunSummary> last = lastRuns();
        for (Entry e : entries.values()) {
            ServeConfig.Schedule s = e.schedule;
            try {
                runs.parse(s.playbook(), s.inventory()); // fail fast on a broken schedule
            } catch (ApiError err) {
                throw new IllegalStateException(s.position() + ": schedule " + s.name() + ": " + err.getMessage());
            }
            RunSummary prev = last.get(s.trigger());
            synchronized (e) {
                if (prev != null) {
                    e.lastRunId = prev.id();
                    e.lastRunAt = prev.start();
                    e.lastRunStatus = prev.status();
                    countMissed(e, prev.start(), now);
                }
            }
            if (e.missedRuns > 0) {
                log.accept("schedule " + s.name() + ": " + e.missedRuns + " run(s) missed while fleet serve was "
                        + "down (last run " + prev.id() + " at " + prev.start() + ", last due " + e.missedLastDue
                        + "); not run now, next at " + CronSupport.next(s.parsedCron(), ZonedDateTime.now(s.timeZone()))
                        .map(ZonedDateTime::toString).orElse("never"));
            }
            arm(e, ZonedDateTime.now(s.timeZone()));
        }
    }

    /** The latest run of each schedule in the history (scans the most recent runs). */
    private Map<String, RunSummary> lastRuns() {
        Map<String, RunSummary> out = new LinkedHashMap<>();
        int page = 200;
        for (int offset = 0; offset < HISTORY_SCAN && out.size() < entries.size(); offset += page) {
            List<RunSummary> batch = store.recent(page, offset);
            for (RunSummary r : batch) {
                String t = r.meta() == null ? null : r.meta().trigger();
                if (t != null && t.startsWith("schedule:")) out.putIfAbsent(t, r);
            }
            if (batch.size() < page) break;
        }
        return out;
    }

    /** Cron times after the last run's start and up to now: each one is a run that did not happen. */
    static void countMissed(Entry e, Instant lastStart, Instant now) {
        var s = e.schedule;
        ZonedDateTime t = lastStart.atZone(s.timeZone());
        ZonedDateTime end = now.atZone(s.timeZone());
        int n = 0;
        Instant lastDue = null;
        while (n < MAX_MISSED_COUNT) {
            Optional<ZonedDateTime> next = CronSupport.next(s.parsedCron(), t);
            if (next.isEmpty() || next.get().isAfter(end)) break;
            t = next.get();
            lastDue = t.toInstant();
            n++;
        }
        e.missedRuns = n;
        e.missedLastDue = lastDue;
    }

    private void arm(Entry e, ZonedDateTime after) {
        if (stopped) return;
        Optional<ZonedDateTime> next = CronSupport.next(e.schedule.parsedCron(), after);
        synchronized (e) {
            e.next = next.orElse(null);
            if (next.isEmpty()) return;
            long delay = Math.max(1, Duration.between(ZonedDateTime.now(e.schedule.timeZone()), next.get()).toMillis());
            ZonedDateTime due = next.get();
            e.timerId = vertx.setTimer(delay, id -> fire(e, due));
        }
    }

    private void fire(Entry e, ZonedDateTime due) {
        if (stopped) return;
        ZonedDateTime now = ZonedDateTime.now(e.schedule.timeZone());
        arm(e, now.isAfter(due) ? now : due); // re-arm first: the next time never depends on this run
        trigger(e, "cron " + due);
    }

    /** Starts the schedule's run unless its previous one is still going. Package-private: the test hook too. */
    Future<String> trigger(Entry e, String why) {
        String name = e.schedule.name();
        synchronized (e) {
            boolean busy = e.starting || (e.runningId != null && runs.get(e.runningId).map(r -> !r.finished())
                    .orElse(false));
            if (busy) {
                e.skippedRuns++;
                e.lastSkipped = Instant.now();
                log.accept("schedule " + name + ": skipped (" + why + "): previous run "
                        + (e.runningId != null ? e.runningId + " " : "") + "still running");
                return Future.failedFuture(new ApiError(409, "schedule " + name
                        + ": skipped: previous run still running"));
            }
            e.starting = true;
        }
        ServeConfig.Schedule s = e.schedule;
        RunRequest req = new RunRequest(s.playbook(), s.inventory(), s.limit(), s.extraVars(), s.check());
        return vertx.executeBlocking(() -> runs.submit(req, s.trigger(), name), false).map(run -> {
            synchronized (e) {
                e.starting = false;
                e.runningId = run.id;
                e.lastRunId = run.id;
                e.lastRunAt = run.created;
                e.lastRunStatus = null;
                e.lastError = null;
            }
            run.done.thenRun(() -> {
                synchronized (e) {
                    e.lastRunStatus = run.status();
                }
            });
            return run.id;
        }).onFailure(err -> {
            synchronized (e) {
                e.starting = false;
                e.lastError = err.getMessage();
            }
            log.accept("schedule " + name + ": could not start: " + err.getMessage());
        });
    }

    Optional<Entry> entry(String name) {
        return Optional.ofNullable(entries.get(name));
    }

    void stop() {
        stopped = true;
        for (Entry e : entries.values()) {
            synchronized (e) {
                if (e.timerId >= 0) vertx.cancelTimer(e.timerId);
            }
        }
    }

    /** GET /api/schedules; {@code trend} per schedule: failed/unreachable hosts of its recent runs. Blocking. */
    JsonArray toJson(int trendRuns) {
        Map<String, List<RunSummary>> trends = new LinkedHashMap<>();
        for (Entry e : entries.values()) trends.put(e.schedule.trigger(), new ArrayList<>());
        int page = 200;
        for (int offset = 0; offset < HISTORY_SCAN; offset += page) {
            List<RunSummary> batch = store.recent(page, offset);
            for (RunSummary r : batch) {
                List<RunSummary> l = r.meta() == null ? null : trends.get(r.meta().trigger());
                if (l != null && l.size() < trendRuns) l.add(r);
            }
            if (batch.size() < page || trends.values().stream().allMatch(l -> l.size() >= trendRuns)) break;
        }
        JsonArray out = new JsonArray();
        for (Entry e : entries.values()) {
            var s = e.schedule;
            JsonObject j = new JsonObject().put("name", s.name()).put("cron", s.cron())
                    .put("time_zone", s.timeZone().getId()).put("playbook", s.playbook())
                    .put("inventory", s.inventory()).put("limit", s.limit()).put("check", s.check());
            synchronized (e) {
                j.put("next_run", e.next == null ? null : e.next.toOffsetDateTime().toString());
                j.put("running_run", e.runningId != null && runs.get(e.runningId).map(r -> !r.finished())
                        .orElse(false) ? e.runningId : null);
                j.put("last_run", e.lastRunId == null ? null : new JsonObject().put("id", e.lastRunId)
                        .put("url", RunJson.url(e.lastRunId)).put("start", RunJson.str(e.lastRunAt))
                        .put("status", runs.get(e.lastRunId).map(ManagedRun::status).orElse(e.lastRunStatus)));
                j.put("missed_runs", e.missedRuns).put("missed_last_due", RunJson.str(e.missedLastDue));
                j.put("skipped_runs", e.skippedRuns).put("last_skipped", RunJson.str(e.lastSkipped));
                if (e.lastError != null) j.put("last_error", e.lastError);
            }
            JsonArray trend = new JsonArray();
            List<RunSummary> l = new ArrayList<>(trends.get(s.trigger()));
            java.util.Collections.reverse(l); // oldest first, for a left-to-right chart
            for (RunSummary r : l) {
                String live = runs.get(r.id()).map(ManagedRun::status).orElse(null);
                trend.add(new JsonObject().put("id", r.id()).put("start", RunJson.str(r.start()))
                        .put("status", live != null ? live : r.status()).put("host_count", r.hostCount())
                        .put("failed_hosts", r.failedHosts()).put("unreachable_hosts", r.unreachableHosts()));
            }
            out.add(j.put("trend", trend));
        }
        return out;
    }
}
