package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.template.SimpleTemplater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** script against a real sshd: it runs with its arguments in chdir, and leaves no temp file behind. */
class ScriptModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private TaskOutcome run(Map<String, Object> args) throws Exception {
        return new ScriptModule().run(new ModuleContext(host.session(), args, false, false, ModuleLab.TIMEOUT,
                Map.of(), new SimpleTemplater(), tmp));
    }

    @Test
    void runsTheScriptInChdirWithItsArgumentsAndCleansUp() throws Exception {
        Files.createDirectories(tmp.resolve("files"));
        Files.writeString(tmp.resolve("files/s.sh"), "#!/bin/sh\necho out \"$@\"; echo err >&2; pwd; "
                + "echo \"$0\" > marker; exit 0\n");
        Path work = Files.createDirectory(tmp.resolve("work dir"));
        TaskOutcome o = run(Map.of("cmd", "s.sh a 'b c'", "chdir", work.toString()));
        assertThat(o.status()).as(o.msg() + o.stderr()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.stdout()).isEqualTo("out a b c\n" + work.toRealPath() + "\n");
        assertThat(o.stderr()).isEqualTo("err\n");
        String tempScript = Files.readString(work.resolve("marker")).strip();
        assertThat(Path.of(tempScript)).doesNotExist();
    }

    @Test
    void exitCodeAndCreatesGuard() throws Exception {
        Files.writeString(tmp.resolve("f.sh"), "exit 3\n");
        TaskOutcome o = run(Map.of("cmd", "f.sh", "executable", "/bin/sh"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(3);
        o = run(Map.of("cmd", "f.sh", "creates", tmp.toString()));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
    }
}
