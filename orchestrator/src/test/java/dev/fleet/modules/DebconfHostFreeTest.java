package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code debconf}: debconf-show read, debconf-set-selections fed on stdin only when the answer differs. */
class DebconfHostFreeTest {
    private static final String TZDATA = "  tzdata/Zones/Europe:\n* tzdata/Zones/Etc: UTC\n* tzdata/Areas: Etc\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void withoutAQuestionItReportsEveryAnswer() throws Exception {
        host.on("debconf-show tzdata", 0, TZDATA);
        TaskOutcome o = ModuleHarness.run(host, "debconf", args("name", "tzdata"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data().get("current")).isEqualTo(Map.of("tzdata/Zones/Europe", "", "tzdata/Zones/Etc", "UTC",
                "tzdata/Areas", "Etc"));
    }

    @Test
    void aNewAnswerIsSetWithPreviousCurrentAndDiff() throws Exception {
        host.on("debconf-show tzdata", 0, TZDATA);
        TaskOutcome o = ModuleHarness.task("debconf", args("name", "tzdata", "question", "tzdata/Areas", "vtype",
                "select", "value", "Europe", "unseen", true)).diff().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("current", Map.of("tzdata/Areas", "Europe"))
                .containsEntry("previous", Map.of("tzdata/Areas", "Etc"))
                .containsEntry("diff", Map.of("before", Map.of("tzdata/Areas", "Etc"),
                        "after", Map.of("tzdata/Areas", "Europe")));
        assertThat(host.commands()).containsExactly("debconf-show tzdata", "debconf-set-selections -u");
        assertThat(host.execs().get(1).stdinText()).isEqualTo("tzdata tzdata/Areas select Europe");
    }

    @Test
    void theSameAnswerChangesNothingAndBooleansIgnoreCase() throws Exception {
        host.on("debconf-show", 0, "* pkg/flag: true\n* tzdata/Areas: Etc\n");
        TaskOutcome o = ModuleHarness.run(host, "debconf", args("name", "pkg", "question", "pkg/flag", "vtype",
                "boolean", "value", true));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        o = ModuleHarness.run(host, "debconf", args("name", "tzdata", "question", "tzdata/Areas", "vtype", "select",
                "value", "Etc"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commandsContaining("debconf-set-selections")).isEmpty();
    }

    @Test
    void passwordsAreSetButNeverShown() throws Exception {
        host.on("debconf-show", 0, "  mysql/root_password: (password omitted)\n");
        TaskOutcome o = ModuleHarness.task("debconf", args("name", "mysql", "question", "mysql/root_password",
                "vtype", "password", "value", "s3cret!")).diff().on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.toString()).doesNotContain("s3cret!");
        assertThat(host.commands().toString()).doesNotContain("s3cret!");
        assertThat(host.execs().get(1).stdinText()).isEqualTo("mysql mysql/root_password password s3cret!");
        assertThat(o.data().get("current")).isEqualTo(Map.of("mysql/root_password", DebconfModule.HIDDEN));
    }

    @Test
    void checkModeSetsNothing() throws Exception {
        host.on("debconf-show", 0, "");
        TaskOutcome o = ModuleHarness.check(host, "debconf", args("name", "p", "question", "p/q", "vtype", "string",
                "value", "v"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("previous", Map.of("p/q", ""));
        assertThat(host.commands()).containsExactly("debconf-show p");
    }

    @Test
    void badArgumentsAndFailures() throws Exception {
        assertThat(ModuleHarness.rejection(host, "debconf", args("name", "p", "question", "p/q")))
                .contains("required together");
        assertThat(ModuleHarness.rejection(host, "debconf", args("name", "p", "question", "p/q", "vtype", "bogus",
                "value", "x"))).contains("vtype");
        host.on("debconf-show", 1, "", "debconf: DbDriver \"config\" is locked by another process\n");
        assertThat(ModuleHarness.run(host, "debconf", args("name", "p")).msg()).contains("locked");
    }
}
