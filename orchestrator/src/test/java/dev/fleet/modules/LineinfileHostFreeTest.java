package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code lineinfile} against an in-memory host: the file is read with one scripted look, and the test checks what
 * is uploaded and which write script runs (or that nothing is written).
 */
class LineinfileHostFreeTest {
    private static final String CONF = "/etc/app.conf";

    private final FakeHostSession host = new FakeHostSession("web1");

    private TaskOutcome lineinfile(Object... kv) throws Exception {
        Map<String, Object> a = args(kv);
        a.putIfAbsent("path", CONF);
        return ModuleHarness.run(host, "lineinfile", a);
    }

    private String uploaded() {
        assertThat(host.uploads()).hasSize(1);
        return host.uploads().get(0).text();
    }

    private void assertNothingWritten() {
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).isEmpty();
    }

    @Test
    void aMissingLineIsAppendedAndUploaded() throws Exception {
        FakeFiles.file(CONF, "a=1\nb=2\n").on(host);
        TaskOutcome o = lineinfile("line", "c=3");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("line added");
        assertThat(uploaded()).isEqualTo("a=1\nb=2\nc=3\n");
    }

    @Test
    void aLineAlreadyThereIsOkAndNothingIsWritten() throws Exception {
        FakeFiles.file(CONF, "a=1\nc=3\n").on(host);
        TaskOutcome o = lineinfile("line", "c=3");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEmpty();
        assertNothingWritten();
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void regexpReplacesTheMatchingLine() throws Exception {
        FakeFiles.file(CONF, "listen = 80\nuser = www\n").on(host);
        TaskOutcome o = lineinfile("regexp", "^listen\\s*=", "line", "listen = 8080");
        assertThat(o.msg()).isEqualTo("line replaced");
        assertThat(uploaded()).isEqualTo("listen = 8080\nuser = www\n");
    }

    @Test
    void regexpWithPythonNamedGroupsIsAccepted() throws Exception {
        FakeFiles.file(CONF, "port=80\n").on(host);
        lineinfile("regexp", "^(?P<key>port)=", "line", "port=81");
        assertThat(uploaded()).isEqualTo("port=81\n");
    }

    @Test
    void backrefsFillTheLineFromTheMatch() throws Exception {
        FakeFiles.file(CONF, "memory_limit = 128M\n").on(host);
        lineinfile("regexp", "^(memory_limit) = \\d+M", "line", "\\1 = 512M", "backrefs", true);
        assertThat(uploaded()).isEqualTo("memory_limit = 512M\n");
    }

    @Test
    void backrefsWithoutAMatchLeaveTheFileAlone() throws Exception {
        FakeFiles.file(CONF, "a=1\n").on(host);
        TaskOutcome o = lineinfile("regexp", "^nothing", "line", "\\1", "backrefs", true);
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void insertbeforeBofPutsTheLineFirst() throws Exception {
        FakeFiles.file(CONF, "a=1\n").on(host);
        lineinfile("line", "# managed", "insertbefore", "BOF");
        assertThat(uploaded()).isEqualTo("# managed\na=1\n");
    }

    @Test
    void insertafterARegexPutsTheLineAfterTheLastMatch() throws Exception {
        FakeFiles.file(CONF, "[main]\nx=1\n[extra]\n").on(host);
        lineinfile("line", "y=2", "insertafter", "^\\[main\\]");
        assertThat(uploaded()).isEqualTo("[main]\ny=2\nx=1\n[extra]\n");
    }

    @Test
    void stateAbsentRemovesEveryMatchingLineAndCountsThem() throws Exception {
        FakeFiles.file(CONF, "# a\nx=1\n# b\n").on(host);
        TaskOutcome o = lineinfile("state", "absent", "regexp", "^#");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("2 line(s) removed");
        assertThat(o.data()).containsEntry("found", 2);
        assertThat(uploaded()).isEqualTo("x=1\n");
    }

    @Test
    void stateAbsentWithoutAMatchIsOkWithFoundZero() throws Exception {
        FakeFiles.file(CONF, "x=1\n").on(host);
        TaskOutcome o = lineinfile("state", "absent", "line", "y=2");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("found", 0);
        assertNothingWritten();
    }

    @Test
    void stateAbsentOnAMissingFileIsOk() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = lineinfile("state", "absent", "line", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("file not present");
        assertNothingWritten();
    }

    @Test
    void aMissingFileWithoutCreateFails() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = lineinfile("line", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: /etc/app.conf does not exist (create: true would create it)");
        assertNothingWritten();
    }

    @Test
    void createMakesTheFileWithJustTheLine() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = lineinfile("line", "x=1", "create", true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(uploaded()).isEqualTo("x=1\n");
        assertThat(FakeFiles.writeScript(host)).contains("umask").doesNotContain("chown");
    }

    @Test
    void createMakesAMissingParentDirectoryFirst() throws Exception {
        FakeFiles.missingWithParent(host, "/etc/app/conf.d/x.conf");
        ModuleHarness.run(host, "lineinfile", args("path", "/etc/app/conf.d/x.conf", "line", "x", "create", true));
        assertThat(FakeFiles.changes(host).get(0)).isEqualTo("mkdir -p -- /etc/app/conf.d");
    }

    @Test
    void createUnderAFileFails() throws Exception {
        FakeFiles.missingUnderFile(host, "/etc/hosts/x");
        TaskOutcome o = ModuleHarness.run(host, "lineinfile",
                args("path", "/etc/hosts/x", "line", "x", "create", true));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: cannot create /etc/hosts/x: a parent is not a directory");
    }

    @Test
    void theNewContentGoesToAPrivateTemporaryFileBesideTheTarget() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        lineinfile("line", "b");
        FakeHostSession.Upload u = host.uploads().get(0);
        assertThat(u.path()).matches("/etc/\\.app\\.conf\\.fleet-tmp-[0-9a-f]+");
        assertThat(u.mode()).isEqualTo(0600);
        assertThat(FakeFiles.writeScript(host)).startsWith("t=" + u.path() + "; p=/etc/app.conf\n")
                .contains("mv -f -- \"$t\" \"$p\"");
    }

    @Test
    void theRewrittenFileKeepsTheOldModeAndOwnership() throws Exception {
        FakeFiles.file(CONF, "a\n").mode(0640).owner(33, "www-data").group(33, "www-data").on(host);
        lineinfile("line", "b");
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0640 \"$t\"").contains("chown -- 33 \"$t\"")
                .contains("chgrp -- 33 \"$t\"");
    }

    @Test
    void requestedModeAndOwnerAreAppliedToTheRewrittenFile() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        lineinfile("line", "b", "mode", "0600", "owner", "app", "group", "app");
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0600 \"$t\"").contains("chown -- app \"$t\"")
                .contains("chgrp -- app \"$t\"");
    }

    @Test
    void onlyADifferentModeChangesAttributesWithoutUploading() throws Exception {
        FakeFiles.file(CONF, "b\n").mode(0644).on(host);
        TaskOutcome o = lineinfile("line", "b", "mode", "0600");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("ownership, perms or SE linux context changed");
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).containsExactly("chmod -- 0600 /etc/app.conf || exit 4\n");
    }

    @Test
    void modeAndOwnerAlreadyRightIsOk() throws Exception {
        FakeFiles.file(CONF, "b\n").mode(0600).owner(1000, "app").on(host);
        TaskOutcome o = lineinfile("line", "b", "mode", "0600", "owner", "app");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void checkModeReportsTheChangeButWritesNothing() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        TaskOutcome o = ModuleHarness.check(host, "lineinfile", args("path", CONF, "line", "b"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("line added");
        assertNothingWritten();
    }

    @Test
    void checkModeWithADifferentModeChangesNothing() throws Exception {
        FakeFiles.file(CONF, "b\n").mode(0644).on(host);
        TaskOutcome o = ModuleHarness.check(host, "lineinfile", args("path", CONF, "line", "b", "mode", "0600"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertNothingWritten();
    }

    @Test
    void diffShowsTheAddedLine() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        TaskOutcome o = ModuleHarness.diff(host, "lineinfile", args("path", CONF, "line", "b"));
        assertThat((String) o.data().get("diff")).contains("+b").contains("/etc/app.conf");
    }

    @Test
    void withoutDiffThereIsNoDiff() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        assertThat(lineinfile("line", "b").data()).doesNotContainKey("diff");
    }

    @Test
    void backupCopiesTheOldFileAndReportsItsPath() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        FakeFiles.onWrite(host, 0, "/etc/app.conf.123.2026-01-01@00:00:00~\n", "");
        TaskOutcome o = lineinfile("line", "b", "backup", true);
        assertThat(FakeFiles.writeScript(host)).contains("cp -p -- \"$p\" \"$b\"");
        assertThat(o.data()).containsEntry("backup", "/etc/app.conf.123.2026-01-01@00:00:00~");
    }

    @Test
    void withoutBackupNoCopyIsMadeAndBackupIsEmpty() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        TaskOutcome o = lineinfile("line", "b");
        assertThat(FakeFiles.writeScript(host)).doesNotContain("cp -p");
        assertThat(o.data()).containsEntry("backup", "");
    }

    @Test
    void validateRunsOnTheTemporaryFileBeforeTheMove() throws Exception {
        FakeFiles.file("/etc/sudoers", "root ALL=(ALL) ALL\n").mode(0440).on(host);
        ModuleHarness.run(host, "lineinfile", args("path", "/etc/sudoers", "line", "app ALL=(ALL) NOPASSWD: ALL",
                "validate", "visudo -cf %s"));
        String tmp = host.uploads().get(0).path();
        String script = FakeFiles.writeScript(host);
        assertThat(script).contains("{ visudo -cf " + tmp + "\n} >&2 || fail 9");
        assertThat(script.indexOf("visudo")).isLessThan(script.indexOf("mv -f"));
    }

    @Test
    void aFailedValidationFailsTheTaskWithTheValidatorsOutput() throws Exception {
        FakeFiles.file("/etc/sudoers", "x\n").on(host);
        FakeFiles.onWrite(host, 9, "", ">>> /etc/sudoers: syntax error near line 2 <<<\n");
        TaskOutcome o = ModuleHarness.run(host, "lineinfile", args("path", "/etc/sudoers", "line", "bad line",
                "validate", "visudo -cf %s"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: validation failed for /etc/sudoers (visudo -cf %s): "
                + ">>> /etc/sudoers: syntax error near line 2 <<<");
    }

    @Test
    void validateWithoutPercentSIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "line", "x", "validate", "true")))
                .isEqualTo("argument 'validate' must contain %s (the file to check), found 'true'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aFailedMoveFailsTheTaskWithTheReason() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        FakeFiles.onWrite(host, 8, "", "mv: cannot move '/etc/.x' to '/etc/app.conf': Permission denied\n");
        TaskOutcome o = lineinfile("line", "b");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: cannot write /etc/app.conf: Permission denied");
    }

    @Test
    void anUnknownOwnerFailsTheTaskWithChownsReason() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        FakeFiles.onWrite(host, 5, "", "chown: invalid user: 'nobody2'\n");
        TaskOutcome o = lineinfile("line", "b", "owner", "nobody2");
        assertThat(o.msg()).isEqualTo("lineinfile: cannot set owner of /etc/app.conf to nobody2: invalid user:"
                + " 'nobody2'");
    }

    @Test
    void aSymlinkedFileIsEditedAtItsTarget() throws Exception {
        FakeFiles.file(CONF, "a\n").linkedFrom("/srv/app/app.conf").on(host);
        lineinfile("line", "b");
        assertThat(host.uploads().get(0).path()).startsWith("/srv/app/.app.conf.fleet-tmp-");
        assertThat(FakeFiles.writeScript(host)).contains("; p=/srv/app/app.conf\n");
    }

    @Test
    void aPathWithSpacesIsQuotedInTheWriteScript() throws Exception {
        String path = "/srv/my app/it's.conf";
        FakeFiles.file(path, "a\n").on(host);
        ModuleHarness.run(host, "lineinfile", args("path", path, "line", "b"));
        assertThat(FakeFiles.writeScript(host)).contains("; p='/srv/my app/it'\\''s.conf'\n");
    }

    @Test
    void aDirectoryCannotBeEdited() throws Exception {
        FakeFiles.dir("/etc").on(host);
        TaskOutcome o = ModuleHarness.run(host, "lineinfile", args("path", "/etc", "line", "x"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: /etc is a directory");
    }

    @Test
    void aBinaryFileIsNotEdited() throws Exception {
        FakeFiles.file(CONF, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}).on(host);
        TaskOutcome o = lineinfile("line", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: /etc/app.conf is not UTF-8 text; not editing it");
        assertNothingWritten();
    }

    @Test
    void aFileTooLargeToReadIsNotEdited() throws Exception {
        FakeFiles.file(CONF, "x".getBytes(StandardCharsets.UTF_8)).beyondContentLimit().on(host);
        TaskOutcome o = lineinfile("line", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: /etc/app.conf is larger than 4 MiB; fleet does not edit files"
                + " that large");
    }

    @Test
    void anInvalidRegexpIsRefusedBeforeTouchingTheHost() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "regexp", "(", "line", "x")))
                .startsWith("argument 'regexp' is not a valid regular expression");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void insertafterAndInsertbeforeTogetherAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "line", "x", "insertafter", "a",
                "insertbefore", "b"))).contains("mutually exclusive").contains("insertbefore").contains("insertafter");
    }

    @Test
    void statePresentWithoutLineIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "regexp", "^x")))
                .contains("state is present but all of the following are missing: line");
    }

    @Test
    void aSymbolicModeIsRefusedWithAHint() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "line", "x", "mode", "u+rw")))
                .contains("symbolic modes are not supported");
    }

    @Test
    void searchStringReplacesTheLineContainingIt() throws Exception {
        FakeFiles.file(CONF, "a\nlisten 127.0.0.1:9000;\nb\n").on(host);
        lineinfile("search_string", "127.0.0.1:9000", "line", "listen unix:/run/php.sock;");
        assertThat(uploaded()).isEqualTo("a\nlisten unix:/run/php.sock;\nb\n");
    }

    @Test
    void searchStringIsLiteralNotARegex() throws Exception {
        FakeFiles.file(CONF, "a.b=1\naxb=2\n").on(host);
        lineinfile("search_string", "a.b", "state", "absent");
        assertThat(uploaded()).isEqualTo("axb=2\n");
    }

    @Test
    void firstmatchReplacesTheFirstMatchingLine() throws Exception {
        FakeFiles.file(CONF, "x=1\nx=2\n").on(host);
        lineinfile("regexp", "^x=", "line", "x=9", "firstmatch", true);
        assertThat(uploaded()).isEqualTo("x=9\nx=2\n");
    }

    @Test
    void destIsAnAliasOfPath() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        ModuleHarness.run(host, "lineinfile", args("dest", CONF, "line", "b"));
        assertThat(uploaded()).isEqualTo("a\nb\n");
    }

    @Test
    void createWithModeGivesTheNewFileThatMode() throws Exception {
        FakeFiles.missing(host, CONF);
        lineinfile("line", "x", "create", true, "mode", "0600");
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0600 \"$t\"");
    }

    @Test
    void aLineWithQuotesAndDollarsIsUploadedVerbatim() throws Exception {
        FakeFiles.file(CONF, "").on(host);
        String line = "export PS1='\\u@\\h $(date)' # \"x\"";
        lineinfile("line", line);
        assertThat(uploaded()).isEqualTo(line + "\n");
    }

    @Test
    void anUploadIntoAMissingDirectoryFailsSayingSo() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        host.failUploadsUnder("/etc/");
        host.when(c -> c.startsWith("/bin/sh -c 'd=/etc;"), c -> FakeHostSession.result(0, "missing\n", ""));
        TaskOutcome o = lineinfile("line", "b");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("lineinfile: cannot write /etc/app.conf: directory /etc does not exist");
    }

    @Test
    void aYesStringIsTrue() throws Exception {
        FakeFiles.missing(host, CONF);
        lineinfile("line", "x", "create", "yes");
        assertThat(uploaded()).isEqualTo("x\n");
    }

    @Test
    void aYStringIsTrueAsInAnsible() throws Exception {
        FakeFiles.missing(host, CONF);
        lineinfile("line", "x", "create", "y");
        assertThat(uploaded()).isEqualTo("x\n");
    }

    @Test
    void aBooleanThatIsNotOneIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "lineinfile", args("path", CONF, "line", "x", "create", "maybe")))
                .contains("argument 'create' must be bool, got 'maybe'");
    }
}
