package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code shell} against an in-memory host: the text runs under one shell, quoted once, exactly as written. */
class ShellHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private String onlyCommand() {
        assertThat(host.commands()).hasSize(1);
        return host.commands().get(0);
    }

    /** The script the shell is given: the word after {@code -c}. */
    private String scriptGiven(String command) throws Exception {
        List<String> words = ShellQuote.split(command);
        return words.get(words.indexOf("-c") + 1);
    }

    @Test
    void theTextRunsUnderBinShDashC() throws Exception {
        ModuleHarness.run(host, "shell", args("cmd", "ps aux | grep nginx"));
        assertThat(onlyCommand()).isEqualTo("/bin/sh -c 'ps aux | grep nginx'");
    }

    @Test
    void pipesRedirectsAndVariablesReachTheShellUnchanged() throws Exception {
        String text = "echo \"$HOME\" > /tmp/out 2>&1 && cat /tmp/out | wc -c";
        ModuleHarness.run(host, "shell", args("cmd", text));
        assertThat(scriptGiven(onlyCommand())).isEqualTo(text);
    }

    @Test
    void singleQuotesInTheTextAreEscapedForTheOuterQuoting() throws Exception {
        ModuleHarness.run(host, "shell", args("cmd", "echo 'a b'"));
        assertThat(onlyCommand()).isEqualTo("/bin/sh -c 'echo '\\''a b'\\'''");
        assertThat(scriptGiven(onlyCommand())).isEqualTo("echo 'a b'");
    }

    @Test
    void aMultiLineScriptKeepsItsNewlines() throws Exception {
        String text = "set -e\ncd /srv\n./deploy.sh\n";
        ModuleHarness.run(host, "shell", args("cmd", text));
        assertThat(scriptGiven(onlyCommand())).isEqualTo(text);
    }

    @Test
    void executableChoosesTheShell() throws Exception {
        ModuleHarness.run(host, "shell", args("cmd", "echo ${BASH_VERSION}", "executable", "/bin/bash"));
        assertThat(onlyCommand()).isEqualTo("/bin/bash -c 'echo ${BASH_VERSION}'");
    }

    @Test
    void freeFormTextKeepsKeyValueLookalikesThatAreNotArguments() throws Exception {
        ModuleHarness.task("shell", Map.of()).freeForm("FOO=bar env | grep FOO chdir=/tmp").on(host);
        assertThat(onlyCommand()).isEqualTo("cd /tmp && /bin/sh -c 'FOO=bar env | grep FOO'");
    }

    @Test
    void chdirComesBeforeTheShell() throws Exception {
        ModuleHarness.run(host, "shell", args("cmd", "ls", "chdir", "/opt/my app"));
        assertThat(onlyCommand()).isEqualTo("cd '/opt/my app' && /bin/sh -c ls");
    }

    @Test
    void failureReportsRcOutputAndAnsiblesMessage() throws Exception {
        host.on("/bin/sh -c", 2, "", "sh: 1: nope: not found\n");
        TaskOutcome o = ModuleHarness.run(host, "shell", args("cmd", "nope"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(2);
        assertThat(o.stderr()).isEqualTo("sh: 1: nope: not found");
        assertThat(o.msg()).isEqualTo("non-zero return code");
    }

    @Test
    void successIsChangedWithTheCmdRecorded() throws Exception {
        host.on("/bin/sh -c", 0, "42\n");
        TaskOutcome o = ModuleHarness.run(host, "shell", args("cmd", "echo 42"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.stdout()).isEqualTo("42");
        assertThat(o.data()).containsEntry("cmd", "/bin/sh -c 'echo 42'");
    }

    @Test
    void createsThatExistsSkipsTheScript() throws Exception {
        host.on("test -e", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "shell", args("cmd", "make > log", "creates", "/opt/app/bin"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).containsExactly("test -e /opt/app/bin");
    }

    @Test
    void removesThatIsMissingSkipsTheScript() throws Exception {
        host.on("test -e", 1, "");
        TaskOutcome o = ModuleHarness.run(host, "shell", args("cmd", "rm -f /tmp/x*", "removes", "/tmp/x1"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).containsExactly("test -e /tmp/x1");
    }

    @Test
    void checkModeSendsNothing() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "shell", args("cmd", "reboot"));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void stdinIsGivenToTheScript() throws Exception {
        ModuleHarness.run(host, "shell", args("cmd", "cat > /tmp/x", "stdin", "it's"));
        FakeHostSession.Exec e = host.execs().get(0);
        String given = e.stdin() != null ? e.stdinText() : e.command();
        assertThat(given).contains(e.stdin() != null ? "it's\n" : "printf '%s\\n' 'it'\\''s' | ");
    }

    @Test
    void aShellTaskWithoutTextIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "shell", args("chdir", "/tmp")))
                .contains("missing required arguments: cmd");
    }

    @Test
    void shellHasNoArgvArgument() throws Exception {
        assertThat(ModuleHarness.rejection(host, "shell", args("argv", List.of("ls"))))
                .contains("unsupported argument 'argv'");
    }
}
