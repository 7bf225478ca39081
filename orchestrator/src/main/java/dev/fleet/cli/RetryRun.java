package dev.fleet.cli;

import dev.fleet.engine.ExitCodes;
import dev.fleet.history.HistoryDatabase;
import dev.fleet.history.JdbcRunStore;
import dev.fleet.history.RunArgs;
import dev.fleet.history.RunStoreException;
import dev.fleet.history.StoredRun;
import dev.fleet.inventory.Host;
import dev.fleet.inventory.Inventory;
import dev.fleet.result.HostStats;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code fleet run --retry-failed RUN} / {@code --retry-unreachable RUN}: Ansible's {@code .retry} files, read
 * from the run history. A recorded run's hosts that failed (or were unreachable) are run again with the run's
 * playbook, inventory and {@code -e @file} extra vars, which the CLI records for this ({@link RunArgs}).
 */
final class RetryRun {
    private RetryRun() {}

    /**
     * What to run again.
     *
     * @param hosts the recorded run's hosts to run again, in its order
     * @param which what they were, for messages: "failed", "unreachable" or "failed or unreachable"
     */
    record Plan(String runId, RunArgs args, List<String> hosts, String which) {}

    /** Retrying stops here: what was wrong (or that there is nothing to do) has been printed; exit with this. */
    static final class Stop extends Exception {
        final int exitCode;

        Stop(int exitCode) {
            super(null, null, false, false);
            this.exitCode = exitCode;
        }
    }

    /** Reads the run {@code idOrPrefix} from the history database {@code db} and picks the hosts to run again. */
    static Plan plan(String db, String idOrPrefix, boolean failed, boolean unreachable, PrintWriter out,
            PrintWriter err) throws Stop {
        String file = HistoryDatabase.locate(db);
        if (HistoryDatabase.missing(file)) {
            err.println("fleet: unknown run id '" + idOrPrefix + "' (no history database at " + file + ")");
            throw new Stop(ExitCodes.BAD_OPTIONS);
        }
        StoredRun run;
        try (JdbcRunStore store = JdbcRunStore.open(file)) {
            Optional<StoredRun> found = HistoryCommand.resolve(store, idOrPrefix, err);
            if (found.isEmpty()) throw new Stop(ExitCodes.BAD_OPTIONS);
            run = found.get();
        } catch (RunStoreException e) {
            err.println("fleet: " + e.getMessage());
            throw new Stop(ExitCodes.ERROR);
        }
        String id = run.summary().id();
        String which = failed && unreachable ? "failed or unreachable" : failed ? "failed" : "unreachable";
        List<String> hosts = new ArrayList<>();
        run.hosts().forEach((host, record) -> {
            HostStats s = record.stats();
            if ((failed && s.failed() > 0) || (unreachable && s.unreachable() > 0)) hosts.add(host);
        });
        if (hosts.isEmpty()) {
            out.println("run " + id + " has no " + which + " hosts: nothing to retry");
            out.flush();
            throw new Stop(ExitCodes.OK);
        }
        RunArgs args = run.summary().meta().args();
        if (args == null) {
            err.println("fleet: run " + id + " was not recorded with what it takes to start it again (it ran through "
                    + "'fleet serve', or before fleet kept it); run its playbook with --limit "
                    + String.join(",", hosts) + " instead");
            throw new Stop(ExitCodes.BAD_OPTIONS);
        }
        return new Plan(id, args, List.copyOf(hosts), which);
    }

    /**
     * The {@code --limit} for the retry: the plan's hosts, within {@code userLimit} when the command line gives one;
     * says which hosts it retries.
     */
    static String limit(Plan plan, Inventory inv, String userLimit, PrintWriter out) throws Stop {
        List<String> hosts = plan.hosts();
        if (userLimit != null) {
            List<String> limited = inv.select(userLimit).stream().map(Host::name).toList();
            hosts = hosts.stream().filter(limited::contains).toList();
        }
        if (hosts.isEmpty()) {
            out.println("none of run " + plan.runId() + "'s " + plan.which() + " hosts (" + String.join(", ",
                    plan.hosts()) + ") match --limit '" + userLimit + "': nothing to retry");
            out.flush();
            throw new Stop(ExitCodes.OK);
        }
        out.println("retrying run " + plan.runId() + " on its " + plan.which() + " hosts: " + String.join(", ", hosts));
        out.flush();
        return String.join(",", hosts);
    }

    /**
     * What to record of a CLI run so it can be run again from another directory: paths made absolute; inline
     * {@code -e} values only counted (they may hold secrets, which the history never keeps).
     */
    static RunArgs recordable(Path playbook, List<String> inventory, List<String> extraVars) {
        List<String> sources = new ArrayList<>();
        for (String source : inventory) sources.add(existing(source).map(Path::toString).orElse(source));
        List<String> files = new ArrayList<>();
        int inline = 0;
        for (String v : extraVars) {
            String s = v.strip();
            if (s.startsWith("@")) files.add("@" + Path.of(s.substring(1)).toAbsolutePath().normalize());
            else inline++;
        }
        return new RunArgs(playbook.toAbsolutePath().normalize().toString(), sources, files, inline);
    }

    /** An inventory source that is a file or directory, made absolute; empty for a host list ("a,b,"). */
    private static Optional<Path> existing(String source) {
        try {
            Path p = Path.of(source);
            return Files.exists(p) ? Optional.of(p.toAbsolutePath().normalize()) : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
