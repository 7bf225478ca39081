package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code script}: the controller's script goes to the host on stdin, runs from a temp file, and is removed. */
class ScriptHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @TempDir
    Path playbook;

    @BeforeEach
    void scripts() throws Exception {
        Files.createDirectories(playbook.resolve("files"));
        Files.writeString(playbook.resolve("files/setup.sh"), "#!/bin/sh\necho hi \"$@\"\n");
    }

    private TaskOutcome run(String freeForm, boolean check) throws Exception {
        ModuleHarness.Task t = ModuleHarness.task("script", args()).freeForm(freeForm).playbookDir(playbook);
        return (check ? t.check() : t).on(host);
    }

    @Test
    void theScriptTravelsOnStdinRunsWithItsArgumentsAndIsRemoved() throws Exception {
        host.on("mktemp", 0, "hi a b c\n", "warn\n");
        TaskOutcome o = run("setup.sh a 'b c'", false);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.rc()).isZero();
        assertThat(o.stdout()).isEqualTo("hi a b c\n");
        assertThat(o.stderr()).isEqualTo("warn\n");
        assertThat(host.execs()).hasSize(1);
        assertThat(host.execs().get(0).stdinText()).isEqualTo("#!/bin/sh\necho hi \"$@\"\n");
        String script = FakeFiles.script(host.commands().get(0));
        assertThat(script).contains("t=$(mktemp)").contains("chmod 700 \"$t\"").contains("\"$t\" a 'b c'")
                .contains("rm -f \"$t\"");
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void chdirAndExecutableAreQuoted() throws Exception {
        run("setup.sh chdir='/srv/my app' executable=/bin/bash", false);
        String script = FakeFiles.script(host.commands().get(0));
        assertThat(script).contains("cd '/srv/my app' && /bin/bash \"$t\"")
                .doesNotContain("chdir=").doesNotContain("executable=");
    }

    @Test
    void aNonZeroExitFailsWithItsCode() throws Exception {
        host.on("mktemp", 3, "", "boom\n");
        TaskOutcome o = run("setup.sh", false);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(3);
        assertThat(o.msg()).isEqualTo("non-zero return code");
    }

    @Test
    void createsThatExistsSkipsWithoutSendingTheScript() throws Exception {
        host.on("test -e /etc/done", 0, "");
        TaskOutcome o = run("setup.sh creates=/etc/done", false);
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(o.msg()).isEqualTo("/etc/done exists, matching creates option");
        assertThat(host.commandsContaining("mktemp")).isEmpty();
    }

    @Test
    void removesThatIsMissingSkips() throws Exception {
        host.on("test -e /etc/old", 1, "");
        TaskOutcome o = run("setup.sh removes=/etc/old", false);
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(o.msg()).isEqualTo("/etc/old does not exist, matching removes option");
    }

    @Test
    void checkModeSkipsUnlessAGuardSaysItWouldRun() throws Exception {
        TaskOutcome o = run("setup.sh", true);
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(o.msg()).isEqualTo("Check mode is not supported for this task.");
        host.on("test -e /etc/done", 1, "");
        assertThat(run("setup.sh creates=/etc/done", true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commandsContaining("mktemp")).isEmpty();
    }

    @Test
    void aMissingScriptIsRefusedBeforeTheHostIsTouched() throws Exception {
        assertThat(ModuleHarness.task("script", args()).freeForm("nope.sh").playbookDir(playbook)
                .rejection(host)).contains("nope.sh");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void restAfterFirstWordKeepsQuotingAsWritten() {
        assertThat(ScriptModule.restAfterFirstWord("'my script.sh' --x \"a b\"")).isEqualTo("--x \"a b\"");
        assertThat(ScriptModule.restAfterFirstWord("run.sh")).isEmpty();
    }
}
