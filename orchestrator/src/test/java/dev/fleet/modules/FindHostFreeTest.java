package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code find}: one walk on the host, Ansible's filters applied on the controller. */
class FindHostFreeTest {
    private static final long NOW = 1_700_000_000L;

    private final FakeHostSession host = new FakeHostSession("web1");

    /** A tree under /srv as the walk reports it: a.txt (12 B, 2 days old), ba.txt, .h.txt, sub/, sub/c.log, lnk. */
    @BeforeEach
    void tree() {
        StringBuilder out = new StringBuilder(NOW + "\n\0P\0/srv\0");
        entry(out, "/srv/a.txt", 0100644, 12, NOW - 2 * 86400);
        entry(out, "/srv/ba.txt", 0100644, 2, NOW - 60);
        entry(out, "/srv/.h.txt", 0100644, 2, NOW - 60);
        entry(out, "/srv/sub", 040755, 4096, NOW - 60);
        entry(out, "/srv/sub/c.log", 0100600, 2, NOW - 60);
        entry(out, "/srv/sub/deep", 040755, 4096, NOW - 60);
        entry(out, "/srv/sub/deep/d.txt", 0100644, 2, NOW - 60);
        entry(out, "/srv/lnk", 0120777, 5, NOW - 60);
        out.append("P\0/nope\0X\0");
        host.when(c -> c.contains("find -H") || c.contains("find -L"), c -> FakeHostSession.result(0,
                out.toString(), ""));
    }

    private static void entry(StringBuilder out, String path, int mode, long size, long mtime) {
        out.append("E\0").append(Integer.toHexString(mode)).append("|0|0|root|root|").append(mtime).append(".5|")
                .append(mtime).append(".25|").append(mtime).append("|77|1|2049|").append(size).append('\0')
                .append(path).append('\0');
    }

    @SuppressWarnings("unchecked")
    private static List<String> paths(TaskOutcome o) {
        return ((List<Map<String, Object>>) o.data().get("files")).stream().map(m -> (String) m.get("path"))
                .toList();
    }

    private TaskOutcome find(Object... kv) throws Exception {
        Object[] all = new Object[kv.length + 2];
        all[0] = "paths";
        all[1] = "/srv";
        System.arraycopy(kv, 0, all, 2, kv.length);
        return ModuleHarness.run(host, "find", args(all));
    }

    @Test
    void regularVisibleFilesByDefaultAndEveryEntryCountsAsExamined() throws Exception {
        TaskOutcome o = find();
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(paths(o)).containsExactly("/srv/a.txt", "/srv/ba.txt", "/srv/sub/c.log", "/srv/sub/deep/d.txt");
        assertThat(o.data()).containsEntry("matched", 4).containsEntry("examined", 8);
        String script = FakeFiles.script(host.commands().get(0));
        assertThat(script).contains("find -H \"$p\" -mindepth 1 -maxdepth 1 -exec stat --printf");
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void recurseDropsMaxdepthAndFollowUsesFindL() throws Exception {
        find("recurse", true, "follow", true);
        assertThat(FakeFiles.script(host.commands().get(0))).contains("find -L \"$p\" -mindepth 1 -exec");
    }

    @Test
    void theStatDictionaryHasAnsiblesKeysAndFloatTimes() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> a = ((List<Map<String, Object>>) find("patterns", "a.txt").data().get("files")).get(0);
        assertThat(a).containsEntry("path", "/srv/a.txt").containsEntry("mode", "0644").containsEntry("isreg", true)
                .containsEntry("isdir", false).containsEntry("islnk", false).containsEntry("size", 12L)
                .containsEntry("uid", 0L).containsEntry("pw_name", "root").containsEntry("inode", 77L)
                .containsEntry("mtime", (double) (NOW - 2 * 86400) + 0.25).containsEntry("rusr", true)
                .containsEntry("xoth", false).doesNotContainKey("checksum");
    }

    @Test
    void globsMatchTheWholeBaseNameCaseSensitively() throws Exception {
        assertThat(paths(find("patterns", List.of("[ab]*.txt", "*.log")))).containsExactly("/srv/a.txt",
                "/srv/ba.txt", "/srv/sub/c.log");
        assertThat(paths(find("patterns", "*.TXT"))).isEmpty();
        assertThat(paths(find("patterns", "a.txt,*.log"))).containsExactly("/srv/a.txt", "/srv/sub/c.log");
    }

    @Test
    void regexesMatchAtTheStartOfTheNameAndExcludesRemove() throws Exception {
        assertThat(paths(find("patterns", "a", "use_regex", true))).containsExactly("/srv/a.txt");
        assertThat(paths(find("patterns", ".*a.*", "excludes", "ba.*", "use_regex", true)))
                .containsExactly("/srv/a.txt");
        assertThat(paths(find("excludes", "*.log"))).doesNotContain("/srv/sub/c.log");
    }

    @Test
    void hiddenFileTypeAndDepth() throws Exception {
        assertThat(paths(find("hidden", true))).contains("/srv/.h.txt");
        assertThat(paths(find("file_type", "directory"))).containsExactly("/srv/sub", "/srv/sub/deep");
        assertThat(paths(find("file_type", "link"))).containsExactly("/srv/lnk");
        assertThat(paths(find("file_type", "any", "recurse", true, "depth", 2))).containsExactly("/srv/a.txt",
                "/srv/ba.txt", "/srv/sub", "/srv/sub/c.log", "/srv/sub/deep", "/srv/lnk");
    }

    @Test
    void ageAndSizeCompareAsAnsible() throws Exception {
        assertThat(paths(find("age", "1d"))).containsExactly("/srv/a.txt");
        assertThat(paths(find("age", "-1h"))).doesNotContain("/srv/a.txt").contains("/srv/ba.txt");
        assertThat(paths(find("size", "3"))).containsExactly("/srv/a.txt");
        assertThat(paths(find("size", "-3"))).doesNotContain("/srv/a.txt");
        assertThat(paths(find("size", "1k"))).isEmpty();
        assertThat(find("age", "xx").msg()).isEqualTo("failed to process age");
        assertThat(find("size", "1q").msg()).isEqualTo("failed to process size");
    }

    @Test
    void aPathThatIsNotADirectoryIsSkippedWithAWarning() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "find", args("paths", List.of("/srv", "/nope")));
        assertThat(o.msg()).isEqualTo("Not all paths examined, check warnings for details");
        assertThat(o.data()).containsEntry("skipped_paths", Map.of("/nope", "'/nope' is not a directory"));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("for p in /srv /nope;");
    }

    @Test
    void containsMatchesEachLineFromItsStartInOneMoreRoundTrip() throws Exception {
        host.when(c -> c.contains("for f in"), c -> FakeHostSession.result(0, files(c), ""));
        assertThat(paths(find("contains", "wor"))).isEmpty();
        assertThat(paths(find("contains", ".*wor"))).containsExactly("/srv/a.txt");
        assertThat(paths(find("contains", "^x$"))).containsExactly("/srv/ba.txt", "/srv/sub/c.log",
                "/srv/sub/deep/d.txt");
        assertThat(paths(find("contains", "wor", "read_whole_file", true))).containsExactly("/srv/a.txt");
        assertThat(host.commands()).hasSize(8);
    }

    @Test
    void getChecksumAddsSha1ToRegularFiles() throws Exception {
        host.when(c -> c.contains("for f in"), c -> FakeHostSession.result(0, files(c), ""));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) find("get_checksum", true).data()
                .get("files");
        assertThat(files.get(0)).containsEntry("checksum", FakeFiles.sha1("hello world\n"));
        assertThat(FakeFiles.script(host.commands().get(1))).contains("sha1sum < \"$f\"")
                .doesNotContain("base64");
    }

    /** The second round trip's answer: every file "x\n" except a.txt, "hello world\n". */
    private static String files(String command) {
        StringBuilder s = new StringBuilder();
        for (String p : List.of("/srv/a.txt", "/srv/ba.txt", "/srv/sub/c.log", "/srv/sub/deep/d.txt")) {
            if (!command.contains(p)) continue;
            String content = p.endsWith("a.txt") && !p.endsWith("ba.txt") ? "hello world\n" : "x\n";
            s.append("F\0").append(FakeFiles.sha1(content)).append('\0')
                    .append(command.contains("base64") ? Base64.getEncoder().encodeToString(
                            content.getBytes(StandardCharsets.UTF_8)) : "").append('\0');
        }
        return s.toString();
    }

    @Test
    void aHomePathIsExpandedByTheHostAndEverythingElseQuoted() {
        assertThat(FindModule.hostPath("~/my logs")).isEqualTo("\"$HOME\"'/my logs'");
        assertThat(FindModule.hostPath("~")).isEqualTo("\"$HOME\"");
        assertThat(FindModule.hostPath("/srv/$x")).isEqualTo("'/srv/$x'");
    }

    @Test
    void fnmatchTranslation() {
        assertThat("x.txt").matches(FindModule.globToRegex("*.txt"));
        assertThat(".hidden").matches(FindModule.globToRegex("*"));
        assertThat("b1").matches(FindModule.globToRegex("[!a]?"));
        assertThat("a1").doesNotMatch(FindModule.globToRegex("[!a]?"));
        assertThat("[x").matches(FindModule.globToRegex("[x"));
        assertThat("a+b").matches(FindModule.globToRegex("a+b"));
    }
}
