package dev.fleet.modules;

import dev.fleet.shell.ShellQuote;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import dev.fleet.transport.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code command} against an in-memory host: what command line is sent, and what the task reports. */
class CommandHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    private TaskOutcome command(String cmd) throws Exception {
        return ModuleHarness.run(host, "command", args("cmd", cmd));
    }

    private String onlyCommand() {
        assertThat(host.commands()).hasSize(1);
        return host.commands().get(0);
    }

    /** The text a command got on stdin, whether sent as the session's stdin or piped in by printf. */
    private String stdinOf(FakeHostSession.Exec e) throws Exception {
        if (e.stdin() != null) return e.stdinText();
        String c = e.command();
        int at = c.indexOf("printf '%s\\n' ");
        if (at < 0) return null;
        String rest = c.substring(at + "printf '%s\\n' ".length());
        List<String> words = ShellQuote.split(rest.substring(0, rest.indexOf(" | ")));
        return words.get(0) + "\n";
    }

    @Test
    void simpleWordsAreSentAsTheyAre() throws Exception {
        command("uptime -p");
        assertThat(onlyCommand()).isEqualTo("uptime -p");
    }

    @Test
    void aQuotedArgumentWithSpacesStaysOneWord() throws Exception {
        command("echo 'hello world'");
        assertThat(ShellQuote.split(onlyCommand())).containsExactly("echo", "hello world");
    }

    @Test
    void doubleQuotedArgumentKeepsItsEscapedQuotes() throws Exception {
        command("echo \"say \\\"hi\\\"\"");
        assertThat(ShellQuote.split(onlyCommand())).containsExactly("echo", "say \"hi\"");
    }

    @Test
    void dollarIsNotExpandedByAShell() throws Exception {
        command("echo $HOME");
        assertThat(onlyCommand()).isEqualTo("echo '$HOME'");
    }

    @Test
    void shellOperatorsArePassedAsPlainArguments() throws Exception {
        command("echo a | wc -l; rm -rf / && true > x");
        assertThat(onlyCommand()).isEqualTo("echo a '|' wc '-l;' rm -rf / '&&' true '>' x");
    }

    @Test
    void argvWordWithASingleQuoteIsQuotedForTheShell() throws Exception {
        ModuleHarness.run(host, "command", args("argv", List.of("echo", "it's")));
        assertThat(onlyCommand()).isEqualTo("echo 'it'\\''s'");
    }

    @Test
    void argvWordWithANewlineStaysOneWord() throws Exception {
        ModuleHarness.run(host, "command", args("argv", List.of("printf", "a\nb")));
        assertThat(onlyCommand()).isEqualTo("printf 'a\nb'");
        assertThat(ShellQuote.split(onlyCommand())).containsExactly("printf", "a\nb");
    }

    @Test
    void argvEmptyWordIsKeptAsAnEmptyArgument() throws Exception {
        ModuleHarness.run(host, "command", args("argv", List.of("test", "-n", "")));
        assertThat(onlyCommand()).isEqualTo("test -n ''");
    }

    @Test
    void freeFormTextWithChdirRunsInThatDirectory() throws Exception {
        ModuleHarness.task("command", Map.of()).freeForm("ls -l chdir=/var/log").on(host);
        assertThat(onlyCommand()).isEqualTo("cd /var/log && ls -l");
    }

    @Test
    void chdirWithSpacesIsQuoted() throws Exception {
        ModuleHarness.run(host, "command", args("cmd", "ls", "chdir", "/srv/my app"));
        assertThat(onlyCommand()).isEqualTo("cd '/srv/my app' && ls");
    }

    @Test
    void successIsChangedWithRcStdoutStderrAndCmd() throws Exception {
        host.on("uptime", 0, "up 3 days\n", "warning\n");
        TaskOutcome o = command("uptime");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.rc()).isZero();
        assertThat(o.stdout()).isEqualTo("up 3 days");
        assertThat(o.stderr()).isEqualTo("warning");
        // Ansible registers command's cmd as the argument list
        assertThat(o.data()).containsEntry("cmd", java.util.List.of("uptime")).containsKeys("start", "end");
    }

    @Test
    void nonZeroExitFailsWithAnsiblesMessageAndKeepsTheOutput() throws Exception {
        host.on("false", 3, "partial\n", "boom\n");
        TaskOutcome o = command("false");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(3);
        assertThat(o.msg()).isEqualTo("non-zero return code");
        assertThat(o.stdout()).isEqualTo("partial");
        assertThat(o.stderr()).isEqualTo("boom");
    }

    @Test
    void onlyOneTrailingLineBreakIsStrippedFromSingleLineOutput() throws Exception {
        host.on("hostname", 0, "web1\n");
        assertThat(command("hostname").stdout()).isEqualTo("web1");
    }

    @Test
    void innerLineBreaksOfOutputAreKept() throws Exception {
        host.on("cat", 0, "a\nb\n");
        assertThat(command("cat x").stdout()).isEqualTo("a\nb");
    }

    @Test
    void allTrailingLineBreaksAreStrippedAsAnsibleDoes() throws Exception {
        host.on("printf", 0, "a\r\n\n", "e\n\n");
        TaskOutcome o = command("printf x");
        assertThat(o.stdout()).isEqualTo("a");
        assertThat(o.stderr()).isEqualTo("e");
    }

    @Test
    void stripEmptyEndsFalseKeepsTrailingLineBreaks() throws Exception {
        host.on("hostname", 0, "web1\n");
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "hostname", "strip_empty_ends", false));
        assertThat(o.stdout()).isEqualTo("web1\n");
    }

    @Test
    void createsThatExistsSkipsTheCommandAndReportsOk() throws Exception {
        host.on("test -e /etc/app.conf", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make install", "creates", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).containsExactly("test -e /etc/app.conf");
    }

    @Test
    void createsThatIsMissingRunsTheCommand() throws Exception {
        host.on("test -e", 1, "");
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make install", "creates", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).containsExactly("test -e /etc/app.conf", "make install");
    }

    @Test
    void createsPathWithSpacesAndQuotesIsQuotedInTheTest() throws Exception {
        host.on("test -e", 1, "");
        ModuleHarness.run(host, "command", args("cmd", "true", "creates", "/srv/it's here"));
        assertThat(host.commands().get(0)).isEqualTo("test -e '/srv/it'\\''s here'");
    }

    @Test
    void createsThatExistsReportsRcZeroAndAnsiblesTexts() throws Exception {
        host.on("test -e", 0, "");
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make", "creates", "/etc/app.conf"));
        assertThat(o.rc()).isZero();
        assertThat(o.stdout()).isEqualTo("skipped, since /etc/app.conf exists");
        assertThat(o.msg()).isEqualTo("Did not run command since '/etc/app.conf' exists");
    }

    @Test
    void removesThatIsMissingSkipsTheCommandAndReportsOk() throws Exception {
        host.on("test -e", 1, "");
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "rm /tmp/lock", "removes", "/tmp/lock"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).containsExactly("test -e /tmp/lock");
    }

    @Test
    void removesThatExistsRunsTheCommand() throws Exception {
        host.on("test -e", 0, "");
        ModuleHarness.run(host, "command", args("cmd", "rm /tmp/lock", "removes", "/tmp/lock"));
        assertThat(host.commands()).containsExactly("test -e /tmp/lock", "rm /tmp/lock");
    }

    @Test
    void checkModeSendsNothingAndSkips() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "command", args("cmd", "rm -rf /var/cache/app"));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void checkModeStillHonoursCreatesWithoutRunningTheCommand() throws Exception {
        host.on("test -e", 0, "");
        TaskOutcome o = ModuleHarness.check(host, "command", args("cmd", "make", "creates", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).containsExactly("test -e /etc/app.conf");
    }

    @Test
    void checkModeWithUnsatisfiedCreatesReportsChanged() throws Exception {
        host.on("test -e", 1, "");
        TaskOutcome o = ModuleHarness.check(host, "command", args("cmd", "make", "creates", "/etc/app.conf"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("Command would have run if not in check mode");
        assertThat(host.commands()).containsExactly("test -e /etc/app.conf");
    }

    @Test
    void stdinReachesTheCommandFollowedByANewline() throws Exception {
        ModuleHarness.run(host, "command", args("cmd", "cat", "stdin", "hello"));
        assertThat(stdinOf(host.execs().get(0))).isEqualTo("hello\n");
    }

    @Test
    void stdinWithQuotesDollarsAndNewlinesArrivesVerbatim() throws Exception {
        String text = "it's $HOME\n`id` \"x\"";
        ModuleHarness.run(host, "command", args("cmd", "cat", "stdin", text));
        assertThat(stdinOf(host.execs().get(0))).isEqualTo(text + "\n");
    }

    @Test
    void stdinAndChdirTogetherRunTheCommandInTheDirectoryWithTheInput() throws Exception {
        ModuleHarness.run(host, "command", args("cmd", "cat", "stdin", "x", "chdir", "/tmp"));
        String c = host.commands().get(0);
        assertThat(c).startsWith("cd /tmp && ");
        assertThat(stdinOf(host.execs().get(0))).isEqualTo("x\n");
    }

    @Test
    void eachCommandGetsTheTaskTimeout() throws Exception {
        command("sleep 1");
        assertThat(host.execs().get(0).timeout()).isEqualTo(ModuleHarness.TIMEOUT);
    }

    @Test
    void anUnterminatedQuoteIsRefusedBeforeRunning() throws Exception {
        assertThat(ModuleHarness.rejection(host, "command", args("cmd", "echo 'oops")))
                .isEqualTo("unterminated single quote in command line: echo 'oops");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aTaskWithoutCmdOrArgvIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "command", args("chdir", "/tmp")))
                .contains("one of the following is required: cmd, argv");
    }

    @Test
    void anUnknownArgumentIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "command", args("cmd", "ls", "chdri", "/tmp")))
                .contains("unsupported argument 'chdri'");
    }

    @Test
    void theAnsibleBuiltinNameRunsTheSameModule() throws Exception {
        ModuleHarness.run(host, "ansible.builtin.command", args("cmd", "id -u"));
        assertThat(onlyCommand()).isEqualTo("id -u");
    }

    @Test
    void aLostConnectionIsATransportErrorNotAFailedTask() throws Exception {
        host.loseConnectionOn("uptime");
        assertThatThrownBy(() -> command("uptime"))
                .isInstanceOf(TransportException.class);
    }

    @Test
    void argvInCheckModeSendsNothing() throws Exception {
        TaskOutcome o = ModuleHarness.check(host, "command", args("argv", List.of("rm", "-rf", "/tmp/x")));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void cmdAndArgvTogetherAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "command", args("cmd", "echo a", "argv", List.of("echo", "b"))))
                .contains("argv");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aKeyValueInsideQuotesIsPartOfTheCommand() throws Exception {
        ModuleHarness.task("command", Map.of()).freeForm("echo \"x chdir=/tmp\"").on(host);
        assertThat(onlyCommand()).isEqualTo("echo 'x chdir=/tmp'");
    }

    @Test
    void freeFormCreatesWithAQuotedPathIsUnquoted() throws Exception {
        host.on("test -e", 1, "");
        ModuleHarness.task("command", Map.of()).freeForm("touch x creates=\"/srv/a b\"").on(host);
        assertThat(host.commands()).containsExactly("test -e '/srv/a b'", "touch x");
    }

    /** Answers "test -e ..." with this machine's /bin/sh, standing in for the host's; nothing else runs locally. */
    private static Object testLocally(String command) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
            p.getOutputStream().close();
            p.waitFor();
            return FakeHostSession.result(p.exitValue(), "", "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void createsMayBeAGlob(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("server.pem"), "x");
        host.when(c -> c.startsWith("test -e "), CommandHostFreeTest::testLocally);
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make-cert", "creates", dir + "/*.pem"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).noneMatch(c -> c.contains("make-cert"));
    }

    @Test
    void createsNamingAnExistingFileIsSeenByTheHostsTest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("server.pem"), "x");
        host.when(c -> c.startsWith("test -e "), CommandHostFreeTest::testLocally);
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make-cert", "creates",
                dir + "/server.pem"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aGlobKeepsTheRestOfThePathLiteralAndMayMatchSeveralFiles(@TempDir Path dir) throws Exception {
        Path spaced = Files.createDirectories(dir.resolve("it's $HOME"));
        Files.writeString(spaced.resolve("a.pem"), "x");
        Files.writeString(spaced.resolve("b.pem"), "x");
        host.when(c -> c.startsWith("test -e "), CommandHostFreeTest::testLocally);
        TaskOutcome o = ModuleHarness.run(host, "command", args("cmd", "make-cert", "creates", spaced + "/*.pem"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        TaskOutcome none = ModuleHarness.run(host, "command", args("cmd", "make-cert", "creates", spaced + "/*.crt"));
        assertThat(none.status()).isEqualTo(TaskStatus.CHANGED);
    }
}
