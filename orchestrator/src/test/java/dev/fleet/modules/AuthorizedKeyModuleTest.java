package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code authorized_key} on an overlay host: a user's ~/.ssh made 0700 and the file 0600, theirs; idempotence. */
class AuthorizedKeyModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private static final String KEY = "ssh-ed25519 "
            + "AAAAC3NzaC1lZDI1NTE5AAAAICJRVD0+w63Qa0zvZefBf+Lhre2kRMhfq8kpig8fNHzV";
    private static final String KEY2 = "ssh-ed25519 "
            + "AAAAC3NzaC1lZDI1NTE5AAAAINntDdDz+HyfZ3WyPOsk/a8KV4XelEwkzutxZ4E4DNx2";

    @BeforeAll
    static void connect() throws Exception {
        host.sh("useradd -m -d /home/fleetak fleetak");
    }

    @Test
    void addsAKeyForAUserOnceThenRemovesIt() throws Exception {
        AuthorizedKeyModule m = new AuthorizedKeyModule();
        Map<String, Object> add = Map.of("user", "fleetak", "key", KEY + " me@laptop");
        TaskOutcome checked = host.run(m, add, true, true);
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("test -e /home/fleetak/.ssh && echo yes || echo no")).isEqualTo("no\n");

        TaskOutcome first = host.run(m, add, false, true);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(first.data()).containsEntry("keyfile", "/home/fleetak/.ssh/authorized_keys")
                .containsEntry("state", "present").doesNotContainKey("path");
        assertThat(host.sh("stat -c '%a %U %G' /home/fleetak/.ssh /home/fleetak/.ssh/authorized_keys"))
                .isEqualTo("700 fleetak fleetak\n600 fleetak fleetak\n");
        assertThat(host.sh("cat /home/fleetak/.ssh/authorized_keys")).isEqualTo(KEY + " me@laptop\n");
        assertThat(host.run(m, add, false, true).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome options = host.run(m, Map.of("user", "fleetak", "key", KEY2, "key_options", "no-pty",
                "exclusive", true), false, true);
        assertThat(options.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /home/fleetak/.ssh/authorized_keys")).isEqualTo("no-pty " + KEY2 + " \n");

        Map<String, Object> remove = Map.of("user", "fleetak", "key", KEY2, "state", "absent");
        assertThat(host.run(m, remove, false, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(m, remove, false, true).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.sh("cat /home/fleetak/.ssh/authorized_keys")).isEmpty();
    }

    @Test
    void aMissingUserAndABadArgumentAreClearErrors() throws Exception {
        AuthorizedKeyModule m = new AuthorizedKeyModule();
        assertThat(host.run(m, Map.of("user", "nobody-such", "key", KEY), false, true).msg())
                .startsWith("Failed to lookup user nobody-such");
        assertThat(catchThrowable(() -> host.run(m, Map.of("user", "fleetak", "key", KEY, "exclusive", "maybe"), false,
                true)))
                .hasMessageContaining("exclusive");
    }
}
