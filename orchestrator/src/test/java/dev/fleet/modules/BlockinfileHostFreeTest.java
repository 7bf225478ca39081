package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code blockinfile} against an in-memory host: scripted file contents in, uploaded content and result out. */
class BlockinfileHostFreeTest {
    private static final String CONF = "/etc/ssh/sshd_config";
    private static final String BEGIN = "# BEGIN ANSIBLE MANAGED BLOCK\n";
    private static final String END = "# END ANSIBLE MANAGED BLOCK\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private TaskOutcome blockinfile(Object... kv) throws Exception {
        Map<String, Object> a = args(kv);
        a.putIfAbsent("path", CONF);
        return ModuleHarness.run(host, "blockinfile", a);
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
    void aNewBlockIsAppendedBetweenTheDefaultMarkers() throws Exception {
        FakeFiles.file(CONF, "Port 22\n").on(host);
        TaskOutcome o = blockinfile("block", "Match User sftp\n  ForceCommand internal-sftp");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("Block inserted");
        assertThat(uploaded())
                .isEqualTo("Port 22\n" + BEGIN + "Match User sftp\n  ForceCommand internal-sftp\n" + END);
    }

    @Test
    void theSameBlockAlreadyThereIsOkAndNothingIsWritten() throws Exception {
        FakeFiles.file(CONF, "Port 22\n" + BEGIN + "X 1\n" + END).on(host);
        TaskOutcome o = blockinfile("block", "X 1");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void aChangedBlockIsReplacedWhereItIs() throws Exception {
        FakeFiles.file(CONF, "a\n" + BEGIN + "old\n" + END + "z\n").on(host);
        blockinfile("block", "new");
        assertThat(uploaded()).isEqualTo("a\n" + BEGIN + "new\n" + END + "z\n");
    }

    @Test
    void stateAbsentRemovesTheBlockAndItsMarkers() throws Exception {
        FakeFiles.file(CONF, "a\n" + BEGIN + "old\n" + END + "z\n").on(host);
        TaskOutcome o = blockinfile("state", "absent");
        assertThat(o.msg()).isEqualTo("Block removed");
        assertThat(uploaded()).isEqualTo("a\nz\n");
    }

    @Test
    void anEmptyBlockRemovesTheBlock() throws Exception {
        FakeFiles.file(CONF, "a\n" + BEGIN + "old\n" + END).on(host);
        blockinfile("block", "");
        assertThat(uploaded()).isEqualTo("a\n");
    }

    @Test
    void stateAbsentWithoutABlockIsOk() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        assertThat(blockinfile("state", "absent").status()).isEqualTo(TaskStatus.OK);
        assertNothingWritten();
    }

    @Test
    void stateAbsentOnAMissingFileIsOkWithAnsiblesMessage() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = blockinfile("state", "absent");
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.msg()).isEqualTo("File /etc/ssh/sshd_config not present");
    }

    @Test
    void contentIsAnAliasOfBlock() throws Exception {
        FakeFiles.file(CONF, "").on(host);
        blockinfile("content", "X 1");
        assertThat(uploaded()).isEqualTo(BEGIN + "X 1\n" + END);
    }

    @Test
    void aCustomMarkerUsesMarkerBeginAndEnd() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        blockinfile("block", "x", "marker", "// {mark} fleet", "marker_begin", "START", "marker_end", "STOP");
        assertThat(uploaded()).isEqualTo("a\n// START fleet\nx\n// STOP fleet\n");
    }

    @Test
    void aMarkerWithoutMarkIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "blockinfile", args("path", CONF, "block", "x", "marker", "# fleet")))
                .isEqualTo("argument 'marker' must contain {mark}, found '# fleet'");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void insertbeforeBofPutsTheBlockFirst() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        blockinfile("block", "x", "insertbefore", "BOF");
        assertThat(uploaded()).isEqualTo(BEGIN + "x\n" + END + "a\n");
    }

    @Test
    void insertbeforeARegexPutsTheBlockBeforeTheLastMatch() throws Exception {
        FakeFiles.file(CONF, "Port 22\nMatch all\nX 1\n").on(host);
        blockinfile("block", "x", "insertbefore", "^Match");
        assertThat(uploaded()).isEqualTo("Port 22\n" + BEGIN + "x\n" + END + "Match all\nX 1\n");
    }

    @Test
    void insertafterARegexPutsTheBlockAfterTheLastMatch() throws Exception {
        FakeFiles.file(CONF, "Port 22\nUsePAM yes\nX11Forwarding no\n").on(host);
        blockinfile("block", "x", "insertafter", "^UsePAM");
        assertThat(uploaded()).isEqualTo("Port 22\nUsePAM yes\n" + BEGIN + "x\n" + END + "X11Forwarding no\n");
    }

    @Test
    void aLastLineWithoutNewlineIsEndedBeforeTheBlock() throws Exception {
        FakeFiles.file(CONF, "a").on(host);
        blockinfile("block", "x");
        assertThat(uploaded()).isEqualTo("a\n" + BEGIN + "x\n" + END);
    }

    @Test
    void quotesDollarsAndBackslashesInTheBlockAreUploadedVerbatim() throws Exception {
        FakeFiles.file(CONF, "").on(host);
        String block = "echo \"$HOME\" 'it''s' \\n `id`";
        blockinfile("block", block);
        assertThat(uploaded()).isEqualTo(BEGIN + block + "\n" + END);
    }

    @Test
    void createMakesANewFileWithTheBlock() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = blockinfile("block", "x", "create", true);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("File created");
        assertThat(uploaded()).isEqualTo(BEGIN + "x\n" + END);
    }

    @Test
    void aMissingFileWithoutCreateFails() throws Exception {
        FakeFiles.missing(host, CONF);
        TaskOutcome o = blockinfile("block", "x");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg())
                .isEqualTo("blockinfile: /etc/ssh/sshd_config does not exist (create: true would create it)");
        assertNothingWritten();
    }

    @Test
    void checkModeReportsTheChangeButWritesNothing() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        TaskOutcome o = ModuleHarness.check(host, "blockinfile", args("path", CONF, "block", "x"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("Block inserted");
        assertNothingWritten();
    }

    @Test
    void diffShowsTheMarkersAndBlockAdded() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        TaskOutcome o = ModuleHarness.diff(host, "blockinfile", args("path", CONF, "block", "x"));
        assertThat((String) o.data().get("diff")).contains("+# BEGIN ANSIBLE MANAGED BLOCK").contains("+x");
    }

    @Test
    void backupCopiesTheOldFileInTheWriteScript() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        blockinfile("block", "x", "backup", true);
        assertThat(FakeFiles.writeScript(host)).contains("cp -p -- \"$p\" \"$b\"");
    }

    @Test
    void backupIsReportedAsBackupFile() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        FakeFiles.onWrite(host, 0, "/etc/ssh/sshd_config.1.2026-01-01@00:00:00~\n", "");
        TaskOutcome o = blockinfile("block", "x", "backup", true);
        assertThat(o.data()).containsEntry("backup_file", "/etc/ssh/sshd_config.1.2026-01-01@00:00:00~");
    }

    @Test
    void modeAndOwnerApplyToTheRewrittenFile() throws Exception {
        FakeFiles.file(CONF, "a\n").on(host);
        blockinfile("block", "x", "mode", "0600", "owner", "root");
        assertThat(FakeFiles.writeScript(host)).contains("chmod -- 0600 \"$t\"").contains("chown -- root \"$t\"");
    }

    @Test
    void onlyADifferentModeIsChangedWithoutUploading() throws Exception {
        FakeFiles.file(CONF, BEGIN + "x\n" + END).mode(0644).on(host);
        TaskOutcome o = blockinfile("block", "x", "mode", "0600");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.uploads()).isEmpty();
        assertThat(FakeFiles.changes(host)).containsExactly("chmod -- 0600 /etc/ssh/sshd_config || exit 4\n");
    }

    @Test
    void insertafterAndInsertbeforeTogetherAreRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "blockinfile", args("path", CONF, "block", "x", "insertafter",
                "a", "insertbefore", "b")))
                .contains("mutually exclusive").contains("insertbefore").contains("insertafter");
    }

    @Test
    void anUnknownStateIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "blockinfile", args("path", CONF, "state", "gone")))
                .contains("argument 'state' must be one of [absent, present], got 'gone'");
    }
}
