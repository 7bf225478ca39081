package dev.fleet.cli;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.history.SqliteRunStore;
import dev.fleet.history.StoredRun;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdLab;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet run --retry-failed RUN} / {@code --retry-unreachable RUN}: real CLI runs against real sshd hosts,
 * recorded in a temporary history database; the retry runs only the hosts that failed (or were unreachable), with
 * the recorded playbook, inventory and {@code -e @file}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetryRunTest {
    @TempDir
    Path dir;

    @RegisterExtension
    static final SshdLab lab = new SshdLab(2);

    private static final String PLAYBOOK = """
            - hosts: lab
              gather_facts: false
              tasks:
                - command: test -e DIR/ok-{{ inventory_hostname }}
                - debug: msg="{{ greeting }} {{ who | default('nobody') }}"
            """;

    @AfterEach
    void hostIsUpAgain() {
        if (!lab.running("host2")) lab.restart("host2");
    }

    /** fleet run with the test's history database and a JSON report; {@code args} end with the playbook, if any. */
    private Run fleetRun(String... args) throws Exception {
        Path report = dir.resolve("report-" + System.nanoTime() + ".json");
        List<String> all = new ArrayList<>(List.of("run", "--known-hosts", lab.knownHosts().toString(),
                "--history-db", dir.resolve("history.db").toString(), "--json", report.toString(), "--no-color",
                "--connect-retries", "0"));
        all.addAll(List.of(args));
        Run r = fleet(all.toArray(String[]::new));
        return Files.exists(report) ? new Run(r.exit(), r.out(), r.err(), new JsonObject(Files.readString(report)),
                r.took()) : r;
    }

    private static String runId(Run r) {
        Matcher m = Pattern.compile("run id: (\\S+)").matcher(r.out());
        assertThat(m.find()).as(r.describe()).isTrue();
        return m.group(1);
    }

    private StoredRun stored(String id) {
        try (SqliteRunStore store = new SqliteRunStore(dir.resolve("history.db"))) {
            return store.find(id).orElseThrow();
        }
    }

    private Path playbook() throws Exception {
        Files.writeString(dir.resolve("vars.yml"), "greeting: hello\n");
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, PLAYBOOK.replace("DIR", dir.toString()));
        return pb;
    }

    @Test
    void retryFailedRunsOnlyTheFailedHostWithTheRecordedPlaybookInventoryAndVarsFile() throws Exception {
        Path pb = playbook();
        lab.stop("host2");
        Run first = fleetRun("-i", lab.inventory().toString(), "-e", "@" + dir.resolve("vars.yml"), pb.toString());
        assertThat(first.exit()).as(first.describe()).isEqualTo(2);
        assertThat(first.host("host1").getString("status")).isEqualTo("failed");
        assertThat(first.host("host2").getString("status")).isEqualTo("unreachable");
        String id = runId(first);
        assertThat(fleet("history", "show", id, "--db", dir.resolve("history.db").toString()).out())
                .contains("fleet run --retry-failed " + id, "fleet run --retry-unreachable " + id);

        Files.writeString(dir.resolve("ok-host1"), "");
        Files.writeString(dir.resolve("ok-host2"), "");
        Run failed = fleetRun("--retry-failed", id);
        assertThat(failed.exit()).as(failed.describe()).isZero();
        assertThat(failed.out()).contains("retrying run " + id + " on its failed hosts: host1");
        assertThat(failed.report().getJsonObject("hosts").fieldNames()).containsExactly("host1");
        assertThat(failed.task("host1", 1).getString("msg")).isEqualTo("hello nobody"); // the recorded -e @vars.yml
        StoredRun retried = stored(runId(failed));
        assertThat(retried.hosts().keySet()).containsExactly("host1");
        assertThat(retried.summary().meta().limit()).isEqualTo("host1");

        lab.restart("host2");
        Run unreachable = fleetRun("--retry-unreachable", id.substring(0, id.length() - 2)); // a unique prefix
        assertThat(unreachable.exit()).as(unreachable.describe()).isZero();
        assertThat(stored(runId(unreachable)).hosts().keySet()).containsExactly("host2");

        Run both = fleetRun("--retry-failed", id, "--retry-unreachable", id, "--limit", "host2");
        assertThat(both.out()).contains("on its failed or unreachable hosts: host2");
        assertThat(stored(runId(both)).hosts().keySet()).containsExactly("host2");
    }

    @Test
    void nothingToRetryUnknownRunsAGonePlaybookAndUnrecordedInlineVarsAreSaidClearly() throws Exception {
        Path pb = playbook();
        Files.writeString(dir.resolve("ok-host2"), "");
        Run first = fleetRun("-i", lab.inventory().toString(), "-e", "@" + dir.resolve("vars.yml"), "-e",
                "who=me", pb.toString());
        assertThat(first.exit()).as(first.describe()).isEqualTo(2);
        String id = runId(first);

        Run noUnreachable = fleetRun("--retry-unreachable", id);
        assertThat(noUnreachable.exit()).as(noUnreachable.describe()).isZero();
        assertThat(noUnreachable.out()).contains("run " + id + " has no unreachable hosts: nothing to retry");
        assertThat(noUnreachable.report()).isNull();

        Run unknown = fleetRun("--retry-failed", "19990101-nosuch");
        assertThat(unknown.exit()).isEqualTo(5);
        assertThat(unknown.err()).contains("unknown run id '19990101-nosuch'");

        Run inline = fleetRun("--retry-failed", id);
        assertThat(inline.exit()).isEqualTo(5);
        assertThat(inline.err()).contains("was given 1 inline --extra-vars", "give them again with -e");
        Files.writeString(dir.resolve("ok-host1"), "");
        Run again = fleetRun("--retry-failed", id, "-e", "who=you");
        assertThat(again.exit()).as(again.describe()).isZero();
        assertThat(again.task("host1", 1).getString("msg")).isEqualTo("hello you");

        Files.delete(pb);
        Run gone = fleetRun("--retry-failed", id, "-e", "who=you");
        assertThat(gone.exit()).isEqualTo(5);
        assertThat(gone.err()).contains("the playbook of run " + id + ", " + pb + ", is gone");

        Run neither = fleet("run", "--history-db", dir.resolve("history.db").toString());
        assertThat(neither.exit()).isEqualTo(5);
        assertThat(neither.err()).contains("missing PLAYBOOK (or --retry-failed RUN / --retry-unreachable RUN)");
    }

    @Test
    void theRecordingMakesPathsAbsoluteAndOnlyCountsInlineVars() throws Exception {
        Path cwd = Path.of("").toAbsolutePath();
        Files.writeString(dir.resolve("inv.ini"), "h1\n");
        var args = RetryRun.recordable(Path.of("site.yml"), List.of("a,b,", dir.resolve("inv.ini").toString()),
                List.of("@vars.yml", "password=s3cret", "{\"token\": \"t0ken\"}"));
        assertThat(args.playbook()).isEqualTo(cwd.resolve("site.yml").toString());
        assertThat(args.inventory()).containsExactly("a,b,", dir.resolve("inv.ini").toString());
        assertThat(args.extraVarFiles()).containsExactly("@" + cwd.resolve("vars.yml"));
        assertThat(args.inlineExtraVars()).isEqualTo(2);
        assertThat(args.toString()).doesNotContain("s3cret", "t0ken");
    }
}
