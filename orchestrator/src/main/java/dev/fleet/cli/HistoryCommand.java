package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import dev.fleet.history.HistoryDatabase;
import dev.fleet.history.JdbcRunStore;
import dev.fleet.history.RunDiff;
import dev.fleet.history.RunMeta;
import dev.fleet.history.RunStoreException;
import dev.fleet.history.RunSummary;
import dev.fleet.history.StoredRun;
import dev.fleet.result.HostStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists the runs recorded by 'fleet run' (most recent first).",
        subcommands = {HistoryCommand.Show.class, HistoryCommand.Diff.class},
        footer = {"", "Database: --db, else $FLEET_HISTORY_DB, else $XDG_DATA_HOME/fleet/history.db, else "
                + "~/.local/share/fleet/history.db: a SQLite file, or a jdbc:postgresql://host/db?user=... URL.",
                "A unique prefix of a run id names the run."})
final class HistoryCommand implements Callable<Integer> {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
            description = "Show the N most recent runs (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--db", paramLabel = "FILE|URL", description = "The history database: a SQLite file or a "
            + "jdbc:postgresql:// URL.")
    String db;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (limit < 1) {
            err.println("fleet: --limit must be at least 1");
            return ExitCodes.BAD_OPTIONS;
        }
        String file = HistoryDatabase.locate(db);
        if (HistoryDatabase.missing(file)) {
            out.println("no runs recorded yet (no history database at " + file + ")");
            out.flush();
            return ExitCodes.OK;
        }
        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            store.markAbandoned();
            List<RunSummary> runs = store.recent(limit, 0);
            if (runs.isEmpty()) {
                out.println("no runs recorded yet (" + store.describe() + ")");
            } else {
                table(out, runs);
            }
            out.flush();
            return ExitCodes.OK;
        } catch (RunStoreException e) {
            err.println("fleet: " + e.getMessage());
            return ExitCodes.ERROR;
        }
    }

    /** --db / --history-db, else $FLEET_HISTORY_DB, else the default file: a SQLite file path or a jdbc: URL. */
    private static void table(PrintWriter out, List<RunSummary> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "START", "PLAYBOOK", "TRIGGER", "STATUS", "HOSTS", "FAILED", "UNREACHABLE",
                "DURATION"});
        for (RunSummary r : runs) {
            rows.add(new String[] {r.id(), LOCAL.format(r.start()), shorten(r.meta().playbook(), 40),
                    r.meta().trigger() + (r.meta().check() ? " (check)" : ""), r.status(),
                    String.valueOf(r.hostCount()), String.valueOf(r.failedHosts()),
                    String.valueOf(r.unreachableHosts()), r.end() == null ? "-" : duration(r.start(), r.end())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean numeric = i >= 5 && i <= 7;
                String cell = numeric ? " ".repeat(width[i] - row[i].length()) + row[i]
                        : row[i] + " ".repeat(width[i] - row[i].length());
                line.append(cell).append(i < row.length - 1 ? "  " : "");
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String shorten(String s, int max) {
        if (s == null) return "";
        return s.length() <= max ? s : "..." + s.substring(s.length() - max + 3);
    }

    static String duration(Instant start, Instant end) {
        long ms = Math.max(0, Duration.between(start, end).toMillis());
        if (ms < 60_000) return String.format("%.1fs", ms / 1000.0);
        long s = ms / 1000;
        if (s < 3600) return String.format("%dm%02ds", s / 60, s % 60);
        return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** A run id or a unique prefix of one; empty after printing why (exit code 5). */
    static Optional<StoredRun> resolve(JdbcRunStore store, String idOrPrefix, PrintWriter err) {
        Optional<StoredRun> exact = store.find(idOrPrefix);
        if (exact.isPresent()) return exact;
        List<String> ids = idOrPrefix.isEmpty() ? List.of() : store.idsStartingWith(idOrPrefix, 6);
        if (ids.size() == 1) return store.find(ids.get(0));
        if (ids.isEmpty()) {
            err.println("fleet: unknown run id '" + idOrPrefix + "' (see 'fleet history' for recorded runs)");
        } else {
            err.println("fleet: run id prefix '" + idOrPrefix + "' is ambiguous: " + String.join(", ", ids.subList(
                    0, Math.min(5, ids.size()))) + (ids.size() > 5 ? ", ..." : ""));
        }
        return Optional.empty();
    }

    abstract static class Sub {
        @ParentCommand
        HistoryCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--db", paramLabel = "FILE|URL", description = "The history database: a SQLite file or a "
                + "jdbc:postgresql:// URL.")
        String db;

        String file() {
            return HistoryDatabase.locate(db != null ? db : parent.db);
        }

        /** What a subcommand does with the open store; returns the exit code. */
        interface StoreAction {
            int apply(JdbcRunStore store, PrintWriter out, PrintWriter err);
        }

        /**
         * Opens the database and runs the action. A SQLite file that does not exist is not created: nothing was
         * ever recorded there, so {@code firstId} is unknown. Store errors become exit 1 with the store's message.
         */
        int withStore(String firstId, StoreAction action) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String file = file();
            if (HistoryDatabase.missing(file)) {
                err.println("fleet: unknown run id '" + firstId + "' (no history database at " + file + ")");
                return ExitCodes.BAD_OPTIONS;
            }
            try (JdbcRunStore store = JdbcRunStore.open(file)) {
                int code = action.apply(store, out, err);
                out.flush();
                return code;
            } catch (RunStoreException e) {
                err.println("fleet: " + e.getMessage());
                return ExitCodes.ERROR;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "One run: every host's status and "
            + "the failed tasks with their messages.")
    static final class Show extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", description = "Run id or a unique prefix.")
        String run;

        @Option(names = "--json", description = "The whole run, every task of every host, as JSON.")
        boolean json;

        @Override
        public Integer call() {
            return withStore(run, (store, out, err) -> {
                store.markAbandoned();
                Optional<StoredRun> found = resolve(store, run, err);
                if (found.isEmpty()) return ExitCodes.BAD_OPTIONS;
                if (json) out.println(toJson(found.get()).encodePrettily());
                else print(out, found.get());
                return ExitCodes.OK;
            });
        }

        private static void print(PrintWriter out, StoredRun run) {
            RunSummary s = run.summary();
            RunMeta m = s.meta();
            out.println("run " + s.id() + ": " + s.status() + (m.check() ? " (check mode)" : ""));
            out.println("  playbook:  " + m.playbook());
            out.println("  inventory: " + m.inventory() + (m.limit() != null ? "  --limit " + m.limit() : ""));
            out.println("  trigger:   " + m.trigger());
            out.println("  started:   " + LOCAL.format(s.start()) + (s.end() == null ? "  (not finished)"
                    : "  took " + duration(s.start(), s.end())));
            out.println("  hosts:     " + s.hostCount() + " (" + s.failedHosts() + " failed, " + s.unreachableHosts()
                    + " unreachable)");
            out.println("  totals:    " + recap(s.totals()));
            out.println();
            int w = run.hosts().keySet().stream().mapToInt(String::length).max().orElse(4);
            out.println("HOSTS");
            run.hosts().forEach((host, h) -> out.println("  " + host + " ".repeat(w - host.length()) + "  "
                    + String.format("%-11s", h.status()) + "  " + recap(h.stats())));
            List<String> failures = new ArrayList<>();
            run.hosts().forEach((host, h) -> {
                for (StoredRun.TaskRecord t : h.tasks()) {
                    if (!"failed".equals(t.status()) && !"unreachable".equals(t.status())) continue;
                    StringBuilder b = new StringBuilder("  " + host + ": TASK [" + t.task() + "]");
                    if (t.play() != null && !t.play().isEmpty()) b.append(" (play ").append(t.play()).append(")");
                    if (t.source() != null) b.append(" ").append(t.source());
                    b.append(" ").append(t.status().toUpperCase());
                    if (t.rc() != null) b.append(" rc=").append(t.rc());
                    if (t.msg() != null && !t.msg().isBlank()) b.append("\n      msg: ").append(indent(t.msg()));
                    if (t.stderr() != null && !t.stderr().isBlank()) {
                        b.append("\n      stderr: ").append(indent(tail(t.stderr(), 10)));
                    }
                    failures.add(b.toString());
                }
            });
            out.println();
            out.println("FAILED TASKS" + (failures.isEmpty() ? ": none" : " (" + failures.size() + ")"));
            failures.forEach(out::println);
            if (m.args() != null && (s.failedHosts() > 0 || s.unreachableHosts() > 0)) {
                out.println();
                if (s.failedHosts() > 0) out.println("retry the failed hosts: fleet run --retry-failed " + s.id());
                if (s.unreachableHosts() > 0) {
                    out.println("retry the unreachable hosts: fleet run --retry-unreachable " + s.id());
                }
            }
        }

        static JsonObject toJson(StoredRun run) {
            RunSummary s = run.summary();
            JsonObject hosts = new JsonObject();
            run.hosts().forEach((host, h) -> {
                JsonArray tasks = new JsonArray();
                for (StoredRun.TaskRecord t : h.tasks()) {
                    tasks.add(new JsonObject().put("play", t.play()).put("task", t.task()).put("module", t.module())
                            .put("source", t.source()).put("status", t.status()).put("rc", t.rc())
                            .put("msg", t.msg()).put("stdout", t.stdout()).put("stderr", t.stderr())
                            .put("start", str(t.start())).put("end", str(t.end())));
                }
                hosts.put(host, new JsonObject().put("status", h.status()).put("stats", stats(h.stats()))
                        .put("tasks", tasks));
            });
            return new JsonObject().put("id", s.id()).put("status", s.status())
                    .put("playbook", s.meta().playbook()).put("inventory", s.meta().inventory())
                    .put("limit", s.meta().limit()).put("trigger", s.meta().trigger()).put("check", s.meta().check())
                    .put("start", str(s.start())).put("end", str(s.end())).put("host_count", s.hostCount())
                    .put("failed_hosts", s.failedHosts()).put("unreachable_hosts", s.unreachableHosts())
                    .put("stats", stats(s.totals())).put("hosts", hosts);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true, description = "What changed from run A to run B: "
            + "hosts newly failing, recovered, tasks whose status changed, hosts only in one run.")
    static final class Diff extends Sub implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_A", description = "The earlier run (id or unique prefix).")
        String runA;

        @Parameters(index = "1", paramLabel = "RUN_B", description = "The later run (id or unique prefix).")
        String runB;

        @Override
        public Integer call() {
            return withStore(runA, (store, out, err) -> {
                Optional<StoredRun> a = resolve(store, runA, err);
                if (a.isEmpty()) return ExitCodes.BAD_OPTIONS;
                Optional<StoredRun> b = resolve(store, runB, err);
                if (b.isEmpty()) return ExitCodes.BAD_OPTIONS;
                print(out, RunDiff.between(a.get(), b.get()));
                return ExitCodes.OK;
            });
        }

        private static void print(PrintWriter out, RunDiff d) {
            out.println("A: " + d.a().id() + "  " + d.a().status() + "  " + LOCAL.format(d.a().start()) + "  "
                    + d.a().meta().playbook());
            out.println("B: " + d.b().id() + "  " + d.b().status() + "  " + LOCAL.format(d.b().start()) + "  "
                    + d.b().meta().playbook());
            out.println();
            out.println("newly failing (" + d.newlyFailing().size() + "):");
            for (RunDiff.HostChange h : d.newlyFailing()) out.println(hostLine(h));
            if (d.newlyFailing().isEmpty()) out.println("  (none)");
            out.println("recovered (" + d.recovered().size() + "):");
            for (RunDiff.HostChange h : d.recovered()) out.println(hostLine(h));
            if (d.recovered().isEmpty()) out.println("  (none)");
            out.println("changed status (" + d.changedStatus().size() + "):");
            for (RunDiff.TaskChange t : d.changedStatus()) {
                out.println("  " + t.host() + ": " + (t.play() == null || t.play().isEmpty() ? "" : t.play() + " / ")
                        + "TASK [" + t.task() + "]: " + t.statusA() + " -> " + t.statusB());
            }
            if (d.changedStatus().isEmpty()) out.println("  (none)");
            out.println("only in A (" + d.onlyInA().size() + "):" + (d.onlyInA().isEmpty() ? " (none)"
                    : " " + String.join(", ", d.onlyInA())));
            out.println("only in B (" + d.onlyInB().size() + "):" + (d.onlyInB().isEmpty() ? " (none)"
                    : " " + String.join(", ", d.onlyInB())));
        }

        private static String hostLine(RunDiff.HostChange h) {
            StringBuilder b = new StringBuilder("  " + h.host() + ": " + h.statusA() + " -> " + h.statusB());
            for (StoredRun.TaskRecord t : h.failedTasks()) {
                b.append("\n      ").append(t.status()).append(" at TASK [").append(t.task()).append("]");
                if (t.msg() != null && !t.msg().isBlank()) b.append(": ").append(firstLine(t.msg()));
            }
            return b.toString();
        }
    }

    private static String recap(HostStats s) {
        return "ok=" + s.ok() + " changed=" + s.changed() + " unreachable=" + s.unreachable() + " failed="
                + s.failed() + " skipped=" + s.skipped() + " rescued=" + s.rescued() + " ignored=" + s.ignored();
    }

    private static JsonObject stats(HostStats s) {
        return new JsonObject().put("ok", s.ok()).put("changed", s.changed()).put("unreachable", s.unreachable())
                .put("failed", s.failed()).put("skipped", s.skipped()).put("rescued", s.rescued())
                .put("ignored", s.ignored());
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String indent(String s) {
        return s.strip().replace("\n", "\n        ");
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl) + " ...";
    }

    private static String tail(String s, int lines) {
        String[] all = s.strip().split("\\R");
        if (all.length <= lines) return s.strip();
        return "... (" + (all.length - lines) + " lines before)\n" + String.join("\n",
                java.util.Arrays.asList(all).subList(all.length - lines, all.length));
    }
}
