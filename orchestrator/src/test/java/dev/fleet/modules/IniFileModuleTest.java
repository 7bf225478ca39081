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

/** {@code ini_file} against a real sshd: a php-fpm pool file edited once, then unchanged; check mode; backup. */
class IniFileModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private static TaskOutcome run(boolean check, Object... kv) throws Exception {
        return host.run(new IniFileModule(), ModuleHarness.args(kv), check, true);
    }

    @Test
    void setsAPoolOptionOnceKeepsTheModeAndBacksUp() throws Exception {
        Path f = Files.writeString(tmp.resolve("www.conf"), "[www]\nuser = www-data\n;pm.max_children = 5\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Object[] args = {"path", f.toString(), "section", "www", "option", "pm.max_children", "value", "20",
            "backup", true};
        assertThat(run(true, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).contains(";pm.max_children = 5");

        TaskOutcome first = run(false, args);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.msg()).isEqualTo("option changed");
        assertThat(Files.readString(f)).isEqualTo("[www]\nuser = www-data\npm.max_children = 20\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r-----");
        assertThat(Path.of((String) first.data().get("backup_file"))).hasContent(
                "[www]\nuser = www-data\n;pm.max_children = 5");

        TaskOutcome second = run(false, args);
        assertThat(second.status()).isEqualTo(TaskStatus.OK);
        assertThat(second.msg()).isEqualTo("OK");
    }

    @Test
    void createsTheFileAndItsDirectoryWithTheRequestedMode() throws Exception {
        Path f = tmp.resolve("new/dir/app.ini");
        Object[] args = {"path", f.toString(), "section", "main", "option", "debug", "value", "false", "mode",
            "0600"};
        assertThat(run(true, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(f.getParent()).doesNotExist();
        assertThat(run(false, args).msg()).isEqualTo("section and option added");
        assertThat(Files.readString(f)).isEqualTo("\n[main]\ndebug = false\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(run(false, args).status()).isEqualTo(TaskStatus.OK);
        assertThat(run(false, "path", f.toString(), "section", "main", "state", "absent").msg())
                .isEqualTo("section removed");
        assertThat(Files.readString(f)).isEqualTo("\n");
    }

    @Test
    void aBadArgumentNamesIt() {
        assertThat(catchThrowable(() -> run(false, "path", tmp.toString(), "exclusive", "maybe")))
                .hasMessageContaining("exclusive");
    }
}
