package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code expect} against a real sshd, driving a prompting script through the host's expect tool. */
class ExpectModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/expect")), "expect not installed");
    }

    private Path asker() throws Exception {
        Path script = tmp.resolve("ask");
        Files.writeString(script, "#!/bin/sh\nprintf 'User? '; read u\nprintf 'Password: '; read p\n"
                + "printf 'Again: '; read q\necho \"user=$u same=$([ \"$p\" = \"$q\" ] && echo yes)\"\n"
                + "echo \"$p\" > \"$(dirname \"$0\")/got\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    @Test
    void answersPromptsWithoutEchoingThePassword() throws Exception {
        Path ask = asker();
        TaskOutcome o = host.run(new ExpectModule(), Map.of("command", ask.toString(), "responses",
                Map.of("User\\?", "bob", "(?i)password:|again:", List.of("pa ss'$[x]", "pa ss'$[x]"))));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.stdout()).isEqualTo("User? Password: Again: user=bob same=yes");
        assertThat(Files.readString(tmp.resolve("got"))).isEqualTo("pa ss'$[x]\n");
        assertThat(o.rc()).isZero();

        TaskOutcome echoed = host.run(new ExpectModule(), Map.of("command", ask.toString(), "echo", true,
                "responses", Map.of("User\\?", "bob", "(?i)password:|again:", "pw")));
        assertThat(echoed.stdout()).contains("User? bob\r\nPassword: pw\r\n");
    }

    @Test
    void runningOutOfAnswersTimeoutAndGuards() throws Exception {
        Path ask = asker();
        TaskOutcome o = host.run(new ExpectModule(), Map.of("command", ask.toString(), "responses",
                Map.of("User\\?", "bob", "(?i)password:|again:", List.of("only-one"))));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("No remaining responses for '(?i)password:|again:', output was '")
                .doesNotContain("only-one");
        o = host.run(new ExpectModule(), Map.of("command", ask.toString(), "timeout", 1,
                "responses", Map.of("nothing-matches", "x")));
        assertThat(o.msg()).isEqualTo("command exceeded timeout");
        assertThat(o.stdout()).isEqualTo("User? ");
        o = host.run(new ExpectModule(), Map.of("command", "no-such-program-x", "responses", Map.of("a", "b")));
        assertThat(o.msg()).isEqualTo("The command was not found or was not executable: no-such-program-x.");
        o = host.run(new ExpectModule(), Map.of("command", ask.toString(), "chdir", tmp.toString(),
                "creates", "ask", "responses", Map.of("a", "b")));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.stdout()).isEqualTo("skipped, since ask exists");
        o = new ExpectModule().run(host.ctx(Map.of("command", ask.toString(), "responses", Map.of("a", "b")), true,
                ModuleLab.TIMEOUT));
        assertThat(o.status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(tmp.resolve("got")).doesNotExist();
    }

    @Test
    void theExitStatusIsTheCommands() throws Exception {
        TaskOutcome o = host.run(new ExpectModule(), Map.of("command", "sh -c 'echo bye; exit 3'",
                "responses", Map.of("x", "y")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(3);
        assertThat(o.stdout()).isEqualTo("bye");
        assertThat(o.msg()).isEqualTo("non-zero return code");
    }
}
