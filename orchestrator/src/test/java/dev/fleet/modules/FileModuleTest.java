package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code file} against a real sshd: every state, idempotence, check mode, diff, symbolic modes. */
class FileModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private static Map<String, Object> args(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static TaskOutcome run(Map<String, Object> args, boolean check, boolean diff) throws Exception {
        return host.run(new FileModule(), args, check, diff);
    }

    private static TaskOutcome run(Object... kv) throws Exception {
        return run(args(kv), false, false);
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void directoryIsCreatedWithParentsOnceAndCheckModeChangesNothing() throws Exception {
        Path d = tmp.resolve("a/b c/d");
        TaskOutcome checked = run(args("path", d.toString(), "state", "directory", "mode", "0750"), true, true);
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(tmp.resolve("a")).doesNotExist();
        assertThat(checked.data().get("diff")).isEqualTo(Map.of("before", Map.of("path", d.toString(), "state",
                "absent"), "after", Map.of("path", d.toString(), "state", "directory")));

        TaskOutcome first = run("path", d.toString(), "state", "directory", "mode", "0750");
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.data()).containsEntry("path", d.toString()).containsEntry("state", "directory")
                .containsEntry("mode", "0750").containsKeys("owner", "group", "uid", "gid", "size");
        assertThat(perms(d)).isEqualTo("rwxr-x---");
        assertThat(perms(tmp.resolve("a"))).isEqualTo("rwxr-x---");
        assertThat(run("path", d.toString(), "state", "directory", "mode", "0750").status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void touchCreatesThenFileAppliesSymbolicModeIdempotently() throws Exception {
        Path f = tmp.resolve("it's here");
        TaskOutcome t = run("path", f.toString(), "state", "touch", "mode", "0600");
        assertThat(t.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(t.data()).containsEntry("dest", f.toString()).containsEntry("state", "file")
                .containsEntry("mode", "0600").containsEntry("size", 0L);
        assertThat(perms(f)).isEqualTo("rw-------");

        TaskOutcome sym = run(args("path", f.toString(), "mode", "u+x,g=r"), false, true);
        assertThat(sym.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(sym.data()).containsEntry("mode", "0740").containsEntry("path", f.toString());
        assertThat(sym.data().get("diff")).isEqualTo(Map.of("before", Map.of("path", f.toString(), "mode", "0600"),
                "after", Map.of("path", f.toString(), "mode", "0740")));
        assertThat(perms(f)).isEqualTo("rwxr-----");
        assertThat(run("path", f.toString(), "mode", "u+x,g=r").status()).isEqualTo(TaskStatus.OK);
        assertThat(run("path", f.toString(), "state", "file").status()).isEqualTo(TaskStatus.OK);
        // touch with both times preserved changes nothing
        assertThat(run("path", f.toString(), "state", "touch", "modification_time", "preserve", "access_time",
                "preserve").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void touchWithATimestampSetsItOnce() throws Exception {
        Path f = Files.writeString(tmp.resolve("t"), "x");
        assertThat(run("path", f.toString(), "state", "touch", "modification_time", "202001021304.05",
                "access_time", "preserve").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.getLastModifiedTime(f).toInstant().atZone(java.time.ZoneId.systemDefault()).toLocalDateTime())
                .isEqualTo(java.time.LocalDateTime.of(2020, 1, 2, 13, 4, 5));
        assertThat(run("path", f.toString(), "state", "file", "modification_time", "202001021304.05").status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void aMissingFileFailsAsAnsibleDoes() throws Exception {
        Path f = tmp.resolve("nope");
        TaskOutcome o = run("path", f.toString());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("file (" + f + ") is absent, cannot continue");
        assertThat(o.data()).containsEntry("state", "absent");
    }

    @Test
    void symlinkIsCreatedRepointedOnlyIfDifferentAndRemoved() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Path g = Files.writeString(tmp.resolve("g"), "y");
        Path l = tmp.resolve("l");
        assertThat(run(args("path", l.toString(), "src", f.toString(), "state", "link"), true, false).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(l).doesNotExist();
        TaskOutcome made = run("path", l.toString(), "src", f.toString(), "state", "link");
        assertThat(made.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(made.data()).containsEntry("dest", l.toString()).containsEntry("src", f.toString())
                .containsEntry("state", "link").containsEntry("mode", "0777");
        assertThat(Files.readSymbolicLink(l)).isEqualTo(f);
        assertThat(run("path", l.toString(), "src", f.toString(), "state", "link").status())
                .isEqualTo(TaskStatus.OK);
        TaskOutcome moved = run(args("path", l.toString(), "src", "g", "state", "link"), false, true);
        assertThat(moved.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(moved.data().get("diff")).isEqualTo(Map.of("before", Map.of("path", l.toString(), "src",
                f.toString()), "after", Map.of("path", l.toString(), "src", "g")));
        assertThat(Files.readSymbolicLink(l)).isEqualTo(Path.of("g"));
        // a regular file is not replaced without force
        TaskOutcome refused = run("path", g.toString(), "src", f.toString(), "state", "link");
        assertThat(refused.msg()).isEqualTo("refusing to convert from file to symlink for " + g);
        // state=file through the link follows it
        assertThat(run("path", l.toString(), "state", "file").data()).containsEntry("path", g.toString());
        assertThat(run("path", l.toString(), "state", "absent").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(l).doesNotExist();
        assertThat(g).exists();
        assertThat(run("path", l.toString(), "state", "absent").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void hardLinkAndRecursiveDirectoryModeAndAbsent() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        Path h = tmp.resolve("h");
        TaskOutcome made = run("path", h.toString(), "src", f.toString(), "state", "hard");
        assertThat(made.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(made.data()).containsEntry("state", "hard").containsEntry("dest", h.toString());
        assertThat(Files.isSameFile(f, h)).isTrue();
        assertThat(run("path", h.toString(), "src", f.toString(), "state", "hard").status())
                .isEqualTo(TaskStatus.OK);

        Path d = Files.createDirectories(tmp.resolve("tree/sub"));
        Files.writeString(d.resolve("x"), "x");
        Map<String, Object> rec = args("path", tmp.resolve("tree").toString(), "state", "directory", "recurse", true,
                "mode", "u=rwX,g=rX,o=");
        assertThat(run(rec, true, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(perms(d.resolve("x"))).isEqualTo("rw-r--r--");
        assertThat(run(rec, false, false).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(perms(d.resolve("x"))).isEqualTo("rw-r-----");
        assertThat(perms(d)).isEqualTo("rwxr-x---");
        assertThat(run(rec, false, false).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome gone = run(args("path", tmp.resolve("tree").toString(), "state", "absent"), false, true);
        assertThat(gone.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(gone.data()).containsEntry("state", "absent");
        assertThat(tmp.resolve("tree")).doesNotExist();
    }

    @Test
    void badArgumentsNameTheArgument() throws Exception {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run("path", tmp.toString(), "state", "bogus")))
                .hasMessageContaining("argument 'state' must be one of");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run("path", tmp.toString(), "mode", "u+q")))
                .hasMessageContaining("argument 'mode'");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> run("path", tmp.toString(), "state", "file",
                "recurse", true))).hasMessageContaining("argument 'recurse'");
    }
}
