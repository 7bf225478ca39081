package dev.fleet.cli;

import static dev.fleet.testing.FleetCli.fleet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.history.RunMeta;
import dev.fleet.history.SqliteRunStore;
import dev.fleet.history.SyntheticRun;
import dev.fleet.testing.FleetCli.Run;
import dev.fleet.testing.SshdFixture;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fleet history, history show, history diff; and fleet run recording into the history, end to end. */
class HistoryCommandTest {
    @TempDir
    Path dir;

    Path db() {
        return dir.resolve("history.db");
    }

    static final String A = "20261125-130501-aaaaaa";
    static final String B = "20261125-140000-bbbbbb";

    void recordTwoRuns() throws Exception {
        try (SqliteRunStore store = new SqliteRunStore(db())) {
            new SyntheticRun(Instant.parse("2026-11-25T13:05:01Z"), "web1", "web2")
                    .ok("web1", "install").ok("web1", "restart")
                    .fail("web2", "install", "E: Unable to locate package nginx")
                    .playInto(store.recorder(A, new RunMeta("site.yml", "lab.ini", null, "cli", false)));
            new SyntheticRun(Instant.parse("2026-11-25T14:00:00Z"), "web1", "web2")
                    .ok("web1", "install").fail("web1", "restart", "nginx: [emerg] unknown directive")
                    .ok("web2", "install").ok("web2", "restart")
                    .playInto(store.recorder(B, new RunMeta("site.yml", "lab.ini", "web", "cli", true)));
        }
    }

    @Test
    void listsRunsMostRecentFirst() throws Exception {
        recordTwoRuns();
        Run r = fleet("history", "--db", db().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).contains("ID", "START", "PLAYBOOK", "TRIGGER", "STATUS", "HOSTS", "FAILED", "UNREACHABLE",
                "DURATION");
        assertThat(lines[1]).startsWith(B).contains("site.yml", "cli (check)", "failed");
        assertThat(lines[2]).startsWith(A).contains("failed");
        assertThat(fleet("history", "--db", db().toString(), "--limit", "1").out().split("\n")).hasSize(2);
    }

    @Test
    void anEmptyOrMissingHistoryIsNotAnError() {
        Run r = fleet("history", "--db", db().toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("no runs recorded yet");
        assertThat(Files.exists(db())).isFalse();
    }

    @Test
    void showsAHostsStatusAndFailedTasksByUniquePrefix() throws Exception {
        recordTwoRuns();
        Run r = fleet("history", "show", "20261125-13", "--db", db().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("run " + A + ": failed")
                .containsPattern("web1\\s+ok\\s+ok=2")
                .containsPattern("web2\\s+failed\\s+ok=0 changed=0 unreachable=0 failed=1")
                .contains("web2: TASK [install]", "E: Unable to locate package nginx", "boom on web2");

        Run json = fleet("history", "show", A, "--json", "--db", db().toString());
        assertThat(json.exit()).isZero();
        JsonObject j = new JsonObject(json.out());
        assertThat(j.getString("id")).isEqualTo(A);
        assertThat(j.getJsonObject("hosts").getJsonObject("web2").getJsonArray("tasks").getJsonObject(0)
                .getString("msg")).isEqualTo("E: Unable to locate package nginx");
    }

    @Test
    void unknownAndAmbiguousRunIdsExitWith5() throws Exception {
        recordTwoRuns();
        Run unknown = fleet("history", "show", "nope", "--db", db().toString());
        assertThat(unknown.exit()).isEqualTo(5);
        assertThat(unknown.err()).contains("unknown run id 'nope'");
        Run ambiguous = fleet("history", "show", "2026", "--db", db().toString());
        assertThat(ambiguous.exit()).isEqualTo(5);
        assertThat(ambiguous.err()).contains("ambiguous", A, B);
        assertThat(fleet("history", "diff", A, "nope", "--db", db().toString()).exit()).isEqualTo(5);
        assertThat(fleet("history", "show", "x", "--db", dir.resolve("missing.db").toString()).exit()).isEqualTo(5);
    }

    @Test
    void diffsTwoRuns() throws Exception {
        recordTwoRuns();
        Run r = fleet("history", "--db", db().toString(), "diff", "20261125-13", "20261125-14");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(section(out, "newly failing")).contains("web1: ok -> failed", "nginx: [emerg] unknown directive");
        assertThat(section(out, "recovered")).contains("web2: failed -> ok").doesNotContain("web1");
        assertThat(section(out, "changed status")).contains("web1: play / TASK [restart]: ok -> failed",
                "web2: play / TASK [install]: failed -> ok");
        assertThat(out).contains("only in A (0): (none)", "only in B (0): (none)");
    }

    /** The lines of one section of the diff output. */
    static String section(String out, String title) {
        int from = out.indexOf(title + " (");
        assertThat(from).as(out).isNotNegative();
        int next = out.length();
        for (String t : new String[] {"newly failing (", "recovered (", "changed status (", "only in A ("}) {
            int i = out.indexOf(t, from + 1);
            if (i > from && i < next) next = i;
        }
        return out.substring(from, next);
    }

    // ------------------------------------------------------------------------------- fleet run, end to end

    @Test
    void fleetRunIsRecordedAndShown(@TempDir Path labDir) throws Exception {
        assumeTrue(SshdFixture.sshdAvailable(), "sshd not installed");
        try (SshdFixture lab = SshdFixture.start(labDir, 2)) {
            Path pb = dir.resolve("site.yml");
            Files.writeString(pb, """
                    - name: smoke
                      hosts: lab
                      gather_facts: false
                      tasks:
                        - name: fails on host2
                          shell: echo to-stderr >&2; test {{ inventory_hostname }} != host2
                        - name: after
                          command: echo still here
                    """);
            Run run = fleet("run", "-i", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(),
                    "--no-color", "--history-db", db().toString(), pb.toString());
            assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(2);
            Matcher m = Pattern.compile("run id: (\\S+)").matcher(run.out());
            assertThat(m.find()).as(run.out()).isTrue();
            String id = m.group(1);

            Run list = fleet("history", "--db", db().toString());
            assertThat(list.exit()).isZero();
            assertThat(list.out()).contains(id).contains(pb.toString()).contains("failed");
            assertThat(list.out().lines().filter(l -> l.startsWith(id)).findFirst().orElseThrow())
                    .containsPattern("cli\\s+failed\\s+2\\s+1\\s+0");

            Run show = fleet("history", "show", id.substring(0, id.length() - 2), "--db", db().toString());
            assertThat(show.exit()).as(show.err()).isZero();
            assertThat(show.out()).contains("host2: TASK [fails on host2] (play smoke)", "rc=1", "to-stderr")
                    .containsPattern("host1\\s+changed");

            // --no-history: nothing recorded, no run id
            Run quiet = fleet("run", "-i", lab.inventory().toString(), "--known-hosts",
                    lab.knownHosts().toString(), "--no-color", "--no-history", "--history-db", db().toString(),
                    "--limit", "host1", pb.toString());
            assertThat(quiet.exit()).isZero();
            assertThat(quiet.out()).doesNotContain("run id:");
            assertThat(fleet("history", "--db", db().toString()).out().lines().count()).isEqualTo(2);

            // a database that cannot be opened: a warning, and the run goes on
            Path notADb = dir.resolve("a-directory");
            Files.createDirectories(notADb);
            Run broken = fleet("run", "-i", lab.inventory().toString(), "--known-hosts",
                    lab.knownHosts().toString(), "--no-color", "--history-db", notADb.toString(),
                    "--limit", "host1", pb.toString());
            assertThat(broken.exit()).as(broken.out() + broken.err()).isZero();
            assertThat(broken.err()).contains("WARNING: not recording this run");
            assertThat(broken.out()).contains("PLAY RECAP").doesNotContain("run id:");
        }
    }
}
