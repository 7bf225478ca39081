package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code replace} against a real sshd: edit once, second run ok, check mode and backup. */
class ReplaceModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private static TaskOutcome run(boolean check, Object... kv) throws Exception {
        return host.run(new ReplaceModule(), ModuleHarness.args(kv), check, true);
    }

    @Test
    void replacesInTheSectionOnceKeepsModeAndBacksUp() throws Exception {
        Path f = Files.writeString(tmp.resolve("app conf"), "a=1\n# start\nb=1\nc=1\n# end\nd=1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Object[] args = {"path", f.toString(), "regexp", "^(?P<k>\\w)=1$", "replace", "\\g<k>=2", "after",
            "# start", "before", "# end", "backup", true};
        TaskOutcome checked = run(true, args);
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).contains("b=1");

        TaskOutcome first = run(false, args);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.msg()).isEqualTo("2 replacements made");
        assertThat(Files.readString(f)).isEqualTo("a=1\n# start\nb=2\nc=2\n# end\nd=1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(Path.of((String) first.data().get("backup_file"))).hasContent("a=1\n# start\nb=1\nc=1\n# end\nd=1");
        assertThat((String) first.data().get("diff")).contains("+b=2");

        TaskOutcome second = run(false, args);
        assertThat(second.status()).isEqualTo(TaskStatus.OK);
        assertThat(second.msg()).isEmpty();
    }

    @Test
    void aBadArgumentNamesIt() throws Exception {
        assertThat(catchThrowable(() -> run(false, "path", tmp.toString(), "regexp", "(?P<x")))
                .hasMessageContaining("argument 'regexp'");
    }
}
