package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * find against a real sshd, on the tree the expectations were taken from with ansible-core 2.14
 * ({@code ansible localhost -m find}): a.txt ("hello world"), ba.txt, .h.txt, sub/c.log, sub/deep/d.txt,
 * .hid/e.txt and the symlink lnk -> a.txt.
 */
class FindModuleTest {
    @TempDir
    static Path ft;
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ft.resolve("sub/deep"));
        Files.createDirectories(ft.resolve(".hid"));
        Files.writeString(ft.resolve("a.txt"), "hello world\n");
        Files.writeString(ft.resolve("ba.txt"), "x\n");
        Files.writeString(ft.resolve(".h.txt"), "y\n");
        Files.writeString(ft.resolve("sub/c.log"), "z\n");
        Files.writeString(ft.resolve("sub/deep/d.txt"), "q\n");
        Files.writeString(ft.resolve(".hid/e.txt"), "w\n");
        Files.createSymbolicLink(ft.resolve("lnk"), Path.of("a.txt"));
    }

    private static TaskOutcome find(Object... kv) throws Exception {
        Map<String, Object> args = new HashMap<>();
        args.put("paths", ft.toString());
        for (int i = 0; i < kv.length; i += 2) args.put((String) kv[i], kv[i + 1]);
        TaskOutcome o = host.run(new FindModule(), args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        return o;
    }

    @SuppressWarnings("unchecked")
    private static List<String> found(TaskOutcome o) {
        return ((List<Map<String, Object>>) o.data().get("files")).stream()
                .map(m -> ft.relativize(Path.of((String) m.get("path"))).toString()).sorted().toList();
    }

    @Test
    void matchesWhatAnsibleFindsOnTheSameTree() throws Exception {
        TaskOutcome o = find();
        assertThat(found(o)).containsExactly("a.txt", "ba.txt");
        assertThat(o.data()).containsEntry("examined", 6).containsEntry("matched", 2);
        o = find("recurse", true);
        assertThat(found(o)).containsExactly(".hid/e.txt", "a.txt", "ba.txt", "sub/c.log", "sub/deep/d.txt");
        assertThat(o.data()).containsEntry("examined", 10);
        assertThat(found(find("recurse", true, "hidden", true))).hasSize(6).contains(".h.txt");
        assertThat(found(find("recurse", true, "depth", 2, "file_type", "any"))).containsExactly(".hid/e.txt",
                "a.txt", "ba.txt", "lnk", "sub", "sub/c.log", "sub/deep");
        assertThat(found(find("recurse", true, "file_type", "directory"))).containsExactly("sub", "sub/deep");
        assertThat(found(find("file_type", "link"))).containsExactly("lnk");
        assertThat(found(find("follow", true))).containsExactly("a.txt", "ba.txt");
        assertThat(found(find("patterns", "a", "use_regex", true))).containsExactly("a.txt");
        assertThat(found(find("patterns", "[ab]*.txt,*.log", "recurse", true))).containsExactly("a.txt",
                "ba.txt", "sub/c.log");
        assertThat(found(find("contains", "wor"))).isEmpty();
        assertThat(found(find("contains", ".*wor"))).containsExactly("a.txt");
        assertThat(found(find("contains", "^x$"))).containsExactly("ba.txt");
        assertThat(found(find("contains", "wor", "read_whole_file", true))).containsExactly("a.txt");
        assertThat(found(find("size", "3"))).containsExactly("a.txt");
        assertThat(found(find("size", "-3"))).containsExactly("ba.txt");
        assertThat(found(find("age", "1d"))).isEmpty();
        assertThat(found(find("age", "-1d"))).containsExactly("a.txt", "ba.txt");
    }

    @Test
    @SuppressWarnings("unchecked")
    void statValuesAndChecksumAreTheFilesOwn() throws Exception {
        Map<String, Object> a = ((List<Map<String, Object>>) find("patterns", "a.txt", "get_checksum", true).data()
                .get("files")).get(0);
        assertThat(a).containsEntry("size", 12L).containsEntry("isreg", true)
                .containsEntry("checksum", ModuleLab.local("sha1sum", ft.resolve("a.txt").toString())
                        .substring(0, 40))
                .containsEntry("mode", ModuleLab.local("stat", "-c", "%04a", ft.resolve("a.txt").toString()));
        double mtime = (Double) a.get("mtime");
        assertThat(mtime).isCloseTo(Files.getLastModifiedTime(ft.resolve("a.txt")).toMillis() / 1000.0,
                org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aFileGivenAsAPathIsSkipped() throws Exception {
        TaskOutcome o = find("paths", ft.resolve("a.txt").toString());
        assertThat(o.data()).containsEntry("examined", 0).containsEntry("matched", 0);
        assertThat(o.msg()).isEqualTo("Not all paths examined, check warnings for details");
    }
}
