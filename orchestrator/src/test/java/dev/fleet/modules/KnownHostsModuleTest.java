package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code known_hosts} against a real sshd and the host's ssh-keygen: [host]:port names, hashing, removal. */
class KnownHostsModuleTest {
    private static final String ED = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICJRVD0+w63Qa0zvZefBf+Lhre2kRMhfq8kpig8fNHzV";
    private static final String ED2 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOLD0+w63Qa0zvZefBf+Lhre2kRMhfq8kpig8fNHzV";

    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @TempDir
    Path tmp;

    private static TaskOutcome run(boolean check, Object... kv) throws Exception {
        return host.run(new KnownHostsModule(), ModuleHarness.args(kv), check, true);
    }

    @Test
    void addsAPortEntryOnceReplacesItAndRemovesTheHost() throws Exception {
        Path f = tmp.resolve("known_hosts");
        Object[] add = {"name", "[git.example.com]:2222", "key", "[git.example.com]:2222 " + ED, "path", f.toString()};
        assertThat(run(true, add).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(f).doesNotExist();
        assertThat(run(false, add).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(f).hasContent("[git.example.com]:2222 " + ED);
        assertThat(run(false, add).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome replaced = run(false, "name", "[git.example.com]:2222", "key", "[git.example.com]:2222 " + ED2,
                "path", f.toString());
        assertThat(replaced.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(f).hasContent("[git.example.com]:2222 " + ED2);

        Object[] remove = {"name", "[git.example.com]:2222", "path", f.toString(), "state", "absent"};
        assertThat(run(false, remove).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).doesNotContain("git.example.com");
        assertThat(run(false, remove).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aHashedEntryIsFoundBySshKeygenAndNotRewritten() throws Exception {
        Path f = tmp.resolve("hashed");
        Object[] add = {"name", "db.example.com", "key", "db.example.com " + ED, "path", f.toString(),
            "hash_host", true};
        assertThat(run(false, add).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(Files.readString(f)).startsWith("|1|").doesNotContain("db.example.com");
        assertThat(ModuleLab.local("ssh-keygen", "-F", "db.example.com", "-f", f.toString()))
                .contains("found: line 1");
        assertThat(run(false, add).status()).isEqualTo(TaskStatus.OK);
        TaskOutcome mismatch = run(false, "name", "db.example.com", "key", Files.readString(f).strip().replace(
                "|1|", "|1|AA"), "path", f.toString());
        assertThat(mismatch.status()).isEqualTo(TaskStatus.FAILED);
    }
}
