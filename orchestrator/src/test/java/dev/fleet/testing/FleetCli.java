package dev.fleet.testing;

import dev.fleet.cli.Main;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs fleet in-process through {@link Main#execute}, as the CLI tests do, and hands back what it left: exit code,
 * stdout and stderr apart, how long it took and, for {@code fleet run}, the {@code --json} report (schema
 * fleet.run/v1). One helper, so every test reads a run the same way.
 *
 * <p>{@code fleet("inventory", "-i", ...)} runs any command line. For {@code fleet run}, a {@code FleetCli} holds
 * what stays fixed across a test's runs: {@code dir} (the test's {@code @TempDir}, for the playbook and report
 * files), the inventory and the known_hosts file:
 * {@code new FleetCli(dir, lab.inventory(), lab.knownHosts()).run(playbookYaml, "--forks", "1")}.
 */
public record FleetCli(Path dir, Path inventory, Path knownHosts) {

    /**
     * {@code fleet run} of {@code playbookYaml} with {@code --json} and {@code --no-color}; {@code options} go
     * before the playbook path. The playbook is written to {@code dir/pb-<nanos>.yml}: parse errors name that file,
     * and tests match its name.
     */
    public Run run(String playbookYaml, String... options) throws IOException {
        // Fresh names per call: a test may run fleet several times in one @TempDir and read each report apart.
        Path playbook = dir.resolve("pb-" + System.nanoTime() + ".yml");
        Files.writeString(playbook, playbookYaml);
        return runFile(playbook, options);
    }

    /** Like {@link #run(String, String...)} for a playbook file that exists (e.g. one of the repository's). */
    public Run runFile(Path playbook, String... options) throws IOException {
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        List<String> args = new ArrayList<>(List.of("run", "-i", inventory.toString(), "--known-hosts",
                knownHosts.toString(), "--json", report.toString(), "--no-color"));
        args.addAll(List.of(options));
        args.add(playbook.toString());
        Run run = fleet(args.toArray(String[]::new));
        // No report is an outcome too: parse errors and bad options stop fleet before it writes one.
        return Files.exists(report) ? run.withReport(new JsonObject(Files.readString(report))) : run;
    }

    /** {@code fleet <args>}, in-process: any command, exactly these arguments, no report read. */
    public static Run fleet(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Run(exit, out.toString(), err.toString(), null, took);
    }

    /**
     * One fleet invocation. {@code report} is the parsed {@code --json} report, or null when there is none (a
     * command other than {@code run}, or a run stopped before it wrote one); {@code took} is the wall time of
     * {@link Main#execute} alone, without writing the playbook or reading the report.
     */
    public record Run(int exit, String out, String err, JsonObject report, Duration took) {

        Run withReport(JsonObject report) {
            return new Run(exit, out, err, report, took);
        }

        /** A host's entry in the report: status, stats, tasks. */
        public JsonObject host(String name) {
            if (report == null) throw new AssertionError("fleet wrote no --json report\n" + describe());
            JsonObject host = report.getJsonObject("hosts").getJsonObject(name);
            if (host == null) throw new AssertionError("no host " + name + " in the report\n" + describe());
            return host;
        }

        public JsonArray tasks(String host) {
            return host(host).getJsonArray("tasks");
        }

        /** The host's {@code index}-th task result (0-based, in the order the host ran them). */
        public JsonObject task(String host, int index) {
            return tasks(host).getJsonObject(index);
        }

        public JsonObject stats(String host) {
            return host(host).getJsonObject("stats");
        }

        /** The status of each of the host's tasks, in order ("ok", "changed", "skipped", "failed", ...). */
        public List<String> statuses(String host) {
            return tasks(host).stream().map(t -> ((JsonObject) t).getString("status")).toList();
        }

        public Instant start(String host, int index) {
            return Instant.parse(task(host, index).getString("start"));
        }

        public Instant end(String host, int index) {
            return Instant.parse(task(host, index).getString("end"));
        }

        /** Everything fleet left, for assertion messages. */
        public String describe() {
            return "exit " + exit + "\n" + out + "\n" + err + "\n" + (report == null ? "" : report.encodePrettily());
        }
    }
}
