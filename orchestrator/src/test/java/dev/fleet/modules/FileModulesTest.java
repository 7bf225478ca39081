package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.SimpleTemplater;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * stat, lineinfile, blockinfile, copy and template against a real sshd (ModuleLab). The sshd runs as the same
 * user on the same machine, so the "remote" files are read back from the local disk.
 */
class FileModulesTest {

    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private TaskOutcome run(Module m, Map<String, Object> args) throws Exception {
        return run(m, args, false, false);
    }

    private TaskOutcome run(Module m, Map<String, Object> args, boolean check, boolean diff) throws Exception {
        Map<String, Object> vars = Map.of("who", "world", "port", 8080);
        return m.run(new ModuleContext(host.session(), args, check, diff, Duration.ofSeconds(30), vars,
                new SimpleTemplater(), tmp));
    }

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** No temporary upload files are left beside the target. */
    private static void assertNoTempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".fleet-tmp-"));
        }
    }

    // ---- stat -------------------------------------------------------------------------------------------------

    @Test
    void statReportsFileFacts() throws Exception {
        Path f = Files.writeString(tmp.resolve("s.txt"), "hello\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        TaskOutcome r = run(new StatModule(), args("path", f.toString()));
        assertThat(r.status()).isEqualTo(TaskStatus.OK);
        @SuppressWarnings("unchecked")
        Map<String, Object> st = (Map<String, Object>) r.data().get("stat");
        assertThat(st).containsEntry("exists", true).containsEntry("path", f.toString())
                .containsEntry("isreg", true).containsEntry("isdir", false).containsEntry("islnk", false)
                .containsEntry("mode", "0640").containsEntry("size", 6L)
                .containsEntry("pw_name", host.lab().user())
                .containsEntry("checksum", FilePlacement.sha1("hello\n".getBytes(StandardCharsets.UTF_8)));
        assertThat((Long) st.get("mtime")).isEqualTo(Files.getLastModifiedTime(f).toMillis() / 1000);
        assertThat((Long) st.get("inode")).isEqualTo(((Number) Files.getAttribute(f, "unix:ino")).longValue());
        assertThat((Long) st.get("nlink")).isEqualTo(1L);

        @SuppressWarnings("unchecked")
        Map<String, Object> dir = (Map<String, Object>) run(new StatModule(), args("path", tmp.toString()))
                .data().get("stat");
        assertThat(dir).containsEntry("isdir", true).doesNotContainKey("checksum");

        Path link = tmp.resolve("link with space");
        Files.createSymbolicLink(link, f);
        @SuppressWarnings("unchecked")
        Map<String, Object> l = (Map<String, Object>) run(new StatModule(), args("path", link.toString()))
                .data().get("stat");
        assertThat(l).containsEntry("islnk", true).containsEntry("lnk_target", f.toString())
                .containsEntry("lnk_source", f.toString()).doesNotContainKey("checksum");
        @SuppressWarnings("unchecked")
        Map<String, Object> followed = (Map<String, Object>) run(new StatModule(),
                args("path", link.toString(), "follow", true)).data().get("stat");
        assertThat(followed).containsEntry("islnk", false).containsEntry("isreg", true).containsKey("checksum");

        TaskOutcome missing = run(new StatModule(), args("path", tmp.resolve("nope'$(x)").toString()));
        assertThat(missing.status()).isEqualTo(TaskStatus.OK);
        assertThat(missing.data().get("stat")).isEqualTo(Map.of("exists", false));
    }

    // ---- lineinfile -------------------------------------------------------------------------------------------

    @Test
    void lineinfileReplacesIsIdempotentAndKeepsMode() throws Exception {
        Path f = Files.writeString(tmp.resolve("sshd_config"), "Port 22\nPermitRootLogin yes\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Map<String, Object> a = args("path", f.toString(), "regexp", "^PermitRootLogin", "line", "PermitRootLogin no");
        TaskOutcome r = run(new LineinfileModule(), a, false, true);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(r.msg()).isEqualTo("line replaced");
        assertThat(Files.readString(f)).isEqualTo("Port 22\nPermitRootLogin no\n");
        assertThat(mode(f)).isEqualTo("rw-------");
        assertThat(r.data().get("diff")).isEqualTo("--- before: " + f + "\n+++ after: " + f + "\n"
                + "@@ -1,2 +1,2 @@\n Port 22\n-PermitRootLogin yes\n+PermitRootLogin no\n");
        assertNoTempFiles(tmp);

        TaskOutcome again = run(new LineinfileModule(), a);
        assertThat(again.status()).isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(f)).isEqualTo("Port 22\nPermitRootLogin no\n");
    }

    @Test
    void lineinfileCheckModeChangesNothing() throws Exception {
        Path f = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        TaskOutcome r = run(new LineinfileModule(), args("path", f.toString(), "line", "10.0.0.1 db"), true, true);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat((String) r.data().get("diff")).contains("+10.0.0.1 db\n");
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n");

        Path missing = tmp.resolve("new/dir/file");
        TaskOutcome c = run(new LineinfileModule(), args("path", missing.toString(), "line", "x", "create", true),
                true, false);
        assertThat(c.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(tmp.resolve("new")).doesNotExist();
    }

    @Test
    void lineinfileCreatesWithParentsModeAndBackup() throws Exception {
        Path f = tmp.resolve("etc/app/app.conf");
        TaskOutcome r = run(new LineinfileModule(), args("path", f.toString(), "line", "a=1", "create", "yes",
                "mode", "0640"));
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).isEqualTo("a=1\n");
        assertThat(mode(f)).isEqualTo("rw-r-----");

        // mode only: an attribute change is a change, then idempotent
        TaskOutcome m = run(new LineinfileModule(), args("path", f.toString(), "line", "a=1", "mode", 0600));
        assertThat(m.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(m.msg()).contains("ownership, perms");
        assertThat(mode(f)).isEqualTo("rw-------");
        assertThat(run(new LineinfileModule(), args("path", f.toString(), "line", "a=1", "mode", "600")).status())
                .isEqualTo(TaskStatus.OK);

        TaskOutcome b = run(new LineinfileModule(), args("path", f.toString(), "line", "b=2", "backup", true,
                "insertbefore", "BOF"));
        assertThat(Files.readString(f)).isEqualTo("b=2\na=1\n");
        String backup = (String) b.data().get("backup");
        assertThat(backup).startsWith(f + ".").endsWith("~");
        assertThat(Files.readString(Path.of(backup))).isEqualTo("a=1\n");
    }

    @Test
    void lineinfileAbsentAndSymlinkTarget() throws Exception {
        Path f = Files.writeString(tmp.resolve("real"), "keep\ndrop\nkeep2\ndrop\n");
        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, f);
        TaskOutcome r = run(new LineinfileModule(), args("path", link.toString(), "line", "drop", "state", "absent"));
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(r.data()).containsEntry("found", 2);
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(f)).isEqualTo("keep\nkeep2\n");
        assertThat(run(new LineinfileModule(), args("path", link.toString(), "line", "drop", "state", "absent"))
                .status()).isEqualTo(TaskStatus.OK);
        assertThat(run(new LineinfileModule(), args("path", tmp.resolve("none").toString(), "line", "x",
                "state", "absent")).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void lineinfileErrors() throws Exception {
        Path missing = tmp.resolve("nope/file.conf");
        TaskOutcome r = run(new LineinfileModule(), args("path", missing.toString(), "line", "x"));
        assertThat(r.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(r.msg()).isEqualTo("lineinfile: " + missing + " does not exist (create: true would create it)");

        Path file = Files.writeString(tmp.resolve("plain"), "");
        TaskOutcome under = run(new LineinfileModule(), args("path", file + "/sub", "line", "x", "create", true));
        assertThat(under.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(under.msg()).contains(file + "/sub");

        TaskOutcome dir = run(new LineinfileModule(), args("path", tmp.toString(), "line", "x"));
        assertThat(dir.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(dir.msg()).isEqualTo("lineinfile: " + tmp + " is a directory");

        assertThatThrownBy(() -> run(new LineinfileModule(), args("path", file.toString(), "line", "x",
                "mode", "rwx"))).isInstanceOf(ModuleException.class).hasMessageContaining("argument 'mode'");
        assertThatThrownBy(() -> run(new LineinfileModule(), args("path", file.toString(), "regexp", "(",
                "line", "x"))).isInstanceOf(ModuleException.class).hasMessageContaining("regexp");
        assertThatThrownBy(() -> run(new LineinfileModule(), args("path", file.toString())))
                .isInstanceOf(ModuleException.class)
                .hasMessage("state is present but all of the following are missing: line");

        Path bin = tmp.resolve("bin");
        Files.write(bin, new byte[] {(byte) 0xff, (byte) 0xfe, 'a', '\n'});
        TaskOutcome binary = run(new LineinfileModule(), args("path", bin.toString(), "line", "x"));
        assertThat(binary.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(binary.msg()).contains("not UTF-8");
        assertThat(Files.readAllBytes(bin)).hasSize(4);

        TaskOutcome badValidate = run(new LineinfileModule(), args("path", file.toString(), "line", "x",
                "validate", "false %s"));
        assertThat(badValidate.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(badValidate.msg()).contains("validation failed for " + file);
        assertThat(Files.readString(file)).isEmpty();
        assertNoTempFiles(tmp);
    }

    @Test
    void lineinfileNonAsciiContent() throws Exception {
        Path f = Files.writeString(tmp.resolve("utf"), "name=Jürgen\n", StandardCharsets.UTF_8);
        TaskOutcome r = run(new LineinfileModule(), args("path", f.toString(), "regexp", "^name=", "line",
                "name=Zoë ✓"));
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo("name=Zoë ✓\n");
    }

    // ---- blockinfile ------------------------------------------------------------------------------------------

    @Test
    void blockinfileInsertsReplacesRemoves() throws Exception {
        Path f = Files.writeString(tmp.resolve("hosts"), "127.0.0.1 localhost\n");
        Map<String, Object> a = args("path", f.toString(), "block", "10.0.0.1 a\n10.0.0.2 b");
        TaskOutcome check = run(new BlockinfileModule(), a, true, true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n");
        String expectedDiff = "--- before: " + f + "\n+++ after: " + f + "\n@@ -1 +1,5 @@\n 127.0.0.1 localhost\n"
                + "+# BEGIN ANSIBLE MANAGED BLOCK\n+10.0.0.1 a\n+10.0.0.2 b\n+# END ANSIBLE MANAGED BLOCK\n";
        assertThat(check.data().get("diff")).isEqualTo(expectedDiff);

        TaskOutcome r = run(new BlockinfileModule(), a, false, true);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(r.msg()).isEqualTo("Block inserted");
        assertThat(r.data().get("diff")).isEqualTo(expectedDiff);
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n"
                + "10.0.0.1 a\n10.0.0.2 b\n# END ANSIBLE MANAGED BLOCK\n");
        assertThat(run(new BlockinfileModule(), a).status()).isEqualTo(TaskStatus.OK);

        run(new BlockinfileModule(), args("path", f.toString(), "block", "10.0.0.3 c"));
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n# BEGIN ANSIBLE MANAGED BLOCK\n"
                + "10.0.0.3 c\n# END ANSIBLE MANAGED BLOCK\n");

        TaskOutcome removed = run(new BlockinfileModule(), args("path", f.toString(), "state", "absent"));
        assertThat(removed.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(removed.msg()).isEqualTo("Block removed");
        assertThat(Files.readString(f)).isEqualTo("127.0.0.1 localhost\n");
        assertThat(run(new BlockinfileModule(), args("path", f.toString(), "state", "absent")).status())
                .isEqualTo(TaskStatus.OK);
        assertNoTempFiles(tmp);
    }

    @Test
    void blockinfileCreateMarkerAndErrors() throws Exception {
        Path f = tmp.resolve("conf.d/x.conf");
        TaskOutcome r = run(new BlockinfileModule(), args("path", f.toString(), "create", true, "block", "k=v",
                "marker", "## {mark} fleet", "mode", "0600"));
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(r.msg()).isEqualTo("File created");
        assertThat(Files.readString(f)).isEqualTo("## BEGIN fleet\nk=v\n## END fleet\n");
        assertThat(mode(f)).isEqualTo("rw-------");

        Path missing = tmp.resolve("missing.conf");
        TaskOutcome m = run(new BlockinfileModule(), args("path", missing.toString(), "block", "x"));
        assertThat(m.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(m.msg()).contains(missing.toString()).contains("does not exist");
        assertThatThrownBy(() -> run(new BlockinfileModule(), args("path", f.toString(), "marker", "# fixed")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("{mark}");
    }

    @Test
    void blockinfileInsertbeforeGoesBeforeTheLastMatchingLine() throws Exception {
        // regression: insertbefore made the module fail with NullPointerException ("after" is null)
        Path f = Files.writeString(tmp.resolve("lines"), "line1\nline2\nline3\nline2\n");
        TaskOutcome r = run(new BlockinfileModule(), args("path", f.toString(), "block", "new",
                "insertbefore", "line2"));
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).isEqualTo("line1\nline2\nline3\n# BEGIN ANSIBLE MANAGED BLOCK\nnew\n"
                + "# END ANSIBLE MANAGED BLOCK\nline2\n");
        assertThat(run(new BlockinfileModule(), args("path", f.toString(), "block", "new", "insertbefore", "line2"))
                .status()).isEqualTo(TaskStatus.OK);
    }

    // ---- copy -------------------------------------------------------------------------------------------------

    @Test
    void copyContentIsComparedByChecksumAndUploadedOnlyWhenDifferent() throws Exception {
        Path dest = tmp.resolve("motd");
        Map<String, Object> a = args("content", "hello\n", "dest", dest.toString(), "mode", "0644");
        TaskOutcome check = run(new CopyModule(), a, true, true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(dest).doesNotExist();
        assertThat(check.data().get("diff"))
                .isEqualTo("--- before: " + dest + "\n+++ after: " + dest + "\n@@ -0,0 +1 @@\n+hello\n");

        TaskOutcome r = run(new CopyModule(), a);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(dest)).isEqualTo("hello\n");
        assertThat(mode(dest)).isEqualTo("rw-r--r--");
        assertThat(r.data()).containsEntry("dest", dest.toString()).containsEntry("size", 6L)
                .containsEntry("changed", true)
                .containsEntry("checksum", FilePlacement.sha1("hello\n".getBytes(StandardCharsets.UTF_8)));
        long inode = (long) Files.getAttribute(dest, "unix:ino");

        TaskOutcome again = run(new CopyModule(), a);
        assertThat(again.status()).isEqualTo(TaskStatus.OK);
        assertThat(again.data()).containsEntry("changed", false);
        assertThat((long) Files.getAttribute(dest, "unix:ino")).as("not rewritten").isEqualTo(inode);

        TaskOutcome changed = run(new CopyModule(), args("content", "bye\n", "dest", dest.toString(),
                "backup", true), false, true);
        assertThat(changed.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(changed.data().get("diff")).isEqualTo("--- before: " + dest + "\n+++ after: " + dest
                + "\n@@ -1 +1 @@\n-hello\n+bye\n");
        assertThat(Files.readString(dest)).isEqualTo("bye\n");
        assertThat(mode(dest)).as("mode of the replaced file kept").isEqualTo("rw-r--r--");
        assertThat(Files.readString(Path.of((String) changed.data().get("backup_file")))).isEqualTo("hello\n");

        TaskOutcome keep = run(new CopyModule(), args("content", "other\n", "dest", dest.toString(), "force", false));
        assertThat(keep.status()).isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(dest)).isEqualTo("bye\n");

        TaskOutcome perms = run(new CopyModule(), args("content", "bye\n", "dest", dest.toString(), "mode", 0600));
        assertThat(perms.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(mode(dest)).isEqualTo("rw-------");
        assertNoTempFiles(tmp);
    }

    @Test
    void copySrcIntoDirectoryAndBinaryContent() throws Exception {
        Path files = Files.createDirectories(tmp.resolve("files"));
        byte[] bin = new byte[70_000];
        for (int i = 0; i < bin.length; i++) bin[i] = (byte) (i * 31);
        Files.write(files.resolve("blob.bin"), bin);
        Path destDir = Files.createDirectories(tmp.resolve("remote"));
        TaskOutcome r = run(new CopyModule(), args("src", "blob.bin", "dest", destDir + "/"), false, true);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readAllBytes(destDir.resolve("blob.bin"))).isEqualTo(bin);
        assertThat(r.data()).containsEntry("dest", destDir + "/blob.bin");
        assertThat(run(new CopyModule(), args("src", "blob.bin", "dest", destDir.toString())).status())
                .isEqualTo(TaskStatus.OK);
        bin[5] ^= 1;
        Files.write(files.resolve("blob.bin"), bin);
        TaskOutcome changed = run(new CopyModule(), args("src", "blob.bin", "dest", destDir.toString()), false, true);
        assertThat(changed.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat((String) changed.data().get("diff")).contains("binary");
        assertThat(Files.readAllBytes(destDir.resolve("blob.bin"))).isEqualTo(bin);
    }

    @Test
    void copyErrors() throws Exception {
        Path dest = tmp.resolve("no/such/dir/file");
        TaskOutcome r = run(new CopyModule(), args("content", "x", "dest", dest.toString()));
        assertThat(r.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(r.msg()).isEqualTo("copy: cannot write " + dest + ": destination directory " + tmp
                + "/no/such/dir does not exist");
        TaskOutcome chk = run(new CopyModule(), args("content", "x", "dest", dest.toString()), true, false);
        assertThat(chk.status()).isEqualTo(TaskStatus.FAILED);

        TaskOutcome dir = run(new CopyModule(), args("content", "x", "dest", tmp.toString()));
        assertThat(dir.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(dir.msg()).contains("directory");

        TaskOutcome owner = run(new CopyModule(), args("content", "x", "dest", tmp.resolve("o").toString(),
                "owner", "no-such-user-fleet"));
        assertThat(owner.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(owner.msg()).startsWith("copy: cannot set owner of " + tmp.resolve("o") + " to no-such-user-fleet");
        assertThat(tmp.resolve("o")).doesNotExist();
        assertNoTempFiles(tmp);

        assertThatThrownBy(() -> run(new CopyModule(), args("src", "nowhere.txt", "dest", tmp.toString())))
                .isInstanceOf(ModuleException.class).hasMessageContaining("could not find src 'nowhere.txt'");
        assertThatThrownBy(() -> run(new CopyModule(), args("content", "x", "dest", tmp + "/m", "mode", "0888")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("'0888'");
    }

    // ---- template ---------------------------------------------------------------------------------------------

    @Test
    void templateRendersWithVarsAndBehavesLikeCopy() throws Exception {
        Path templates = Files.createDirectories(tmp.resolve("templates"));
        Files.writeString(templates.resolve("app.conf.j2"), "greeting=hello {{ who }}\nport={{ port }}\n");
        Path dest = tmp.resolve("app.conf");
        Map<String, Object> a = args("src", "app.conf.j2", "dest", dest.toString(), "mode", "0640");
        TaskOutcome check = run(new TemplateModule(), a, true, true);
        assertThat(check.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(dest).doesNotExist();
        TaskOutcome r = run(new TemplateModule(), a);
        assertThat(r.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(dest)).isEqualTo("greeting=hello world\nport=8080\n");
        assertThat(mode(dest)).isEqualTo("rw-r-----");
        assertThat(run(new TemplateModule(), a).status()).isEqualTo(TaskStatus.OK);

        Files.writeString(templates.resolve("app.conf.j2"), "greeting=hi {{ who }}\nport={{ port }}\n");
        TaskOutcome d = run(new TemplateModule(), a, false, true);
        assertThat(d.data().get("diff")).isEqualTo("--- before: " + dest + "\n+++ after: " + dest
                + "\n@@ -1,2 +1,2 @@\n-greeting=hello world\n+greeting=hi world\n port=8080\n");

        Files.writeString(templates.resolve("bad.j2"), "{{ undefined_var }}\n");
        assertThatThrownBy(() -> run(new TemplateModule(), args("src", "bad.j2", "dest", dest.toString())))
                .isInstanceOf(ModuleException.class).hasMessageContaining("undefined_var");
        TaskOutcome missingDir = run(new TemplateModule(), args("src", "app.conf.j2", "dest",
                tmp.resolve("gone/app.conf").toString()));
        assertThat(missingDir.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(missingDir.msg()).startsWith("template: cannot write " + tmp.resolve("gone/app.conf"));
    }
}
