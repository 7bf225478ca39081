package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** user on an overlay host: real useradd/usermod/userdel/chpasswd; this machine's accounts stay as they are. */
class UserModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private static final String HASH = "$6$saltsalt$kiRCEN9h6.zvW9LfVNgSwgm2787.AP2FffCmRoXgfIr6JNAEomr.2TTu4gXSLZC8k"
            + "tz9QdSO9U53P04XAACMi1";

    private final UserModule user = new UserModule();

    @Test
    void createsOnceWithHomeAndPasswordAndCheckModeChangesNothing() throws Exception {
        Map<String, Object> args = Map.of("name", "utcreate", "uid", 4501, "comment", "Test User", "shell", "/bin/sh",
                "password", HASH);
        assertThat(host.check(user, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("getent passwd utcreate").stdout().stripTrailing()).isEmpty();

        TaskOutcome o = host.run(user, args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("uid", 4501).containsEntry("home", "/home/utcreate")
                .containsEntry("shell", "/bin/sh").containsEntry("comment", "Test User")
                .containsEntry("password", "NOT_LOGGING_PASSWORD").containsEntry("create_home", true);
        assertThat(o.toString()).doesNotContain(HASH);
        assertThat(host.sh("getent shadow utcreate").stripTrailing().split(":")[1]).isEqualTo(HASH);
        assertThat(host.sh("stat -c %U /home/utcreate/.bashrc").stripTrailing()).isEqualTo("utcreate");

        assertThat(host.run(user, args).status()).isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("utcreate");
    }

    @Test
    void modifiesOnlyWhatDiffersAndCheckModeLeavesItAlone() throws Exception {
        host.run(user, Map.of("name", "utmod", "password", HASH));
        host.exec("groupadd utg1; groupadd utg2");
        Map<String, Object> args = Map.of("name", "utmod", "groups", List.of("utg1", "utg2"), "shell", "/bin/sh");
        assertThat(host.check(user, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("id -nG utmod").stripTrailing()).isEqualTo("utmod");
        assertThat(host.run(user, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("id -nG utmod").stripTrailing()).isEqualTo("utmod utg1 utg2");
        assertThat(host.run(user, args).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome locked = host.run(user, Map.of("name", "utmod", "password_lock", true));
        assertThat(locked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("getent shadow utmod").stripTrailing().split(":")[1]).startsWith("!");
        assertThat(host.run(user, Map.of("name", "utmod", "password_lock", true)).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void removesWithTheHomeDirectory() throws Exception {
        host.run(user, Map.of("name", "utgone"));
        Map<String, Object> args = Map.of("name", "utgone", "state", "absent", "remove", true);
        assertThat(host.check(user, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("test -d /home/utgone && echo yes").stripTrailing()).isEqualTo("yes");
        TaskOutcome o = host.run(user, args);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("remove", true).containsEntry("force", false);
        assertThat(host.exec("test -d /home/utgone || echo gone; getent passwd utgone").stdout().stripTrailing())
                .isEqualTo("gone");
        assertThat(host.run(user, args).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void generatesAnSshKeyOnce() throws Exception {
        Map<String, Object> args = Map.of("name", "utkey", "generate_ssh_key", true, "ssh_key_type", "ed25519");
        TaskOutcome o = host.run(user, args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat((String) o.data().get("ssh_public_key")).startsWith("ssh-ed25519 ");
        assertThat(o.data()).containsEntry("ssh_key_file", "/home/utkey/.ssh/id_ed25519");
        assertThat(host.sh("stat -c '%U %a' /home/utkey/.ssh /home/utkey/.ssh/id_ed25519").stripTrailing())
                .isEqualTo("utkey 700\nutkey 600");
        TaskOutcome again = host.run(user, args);
        assertThat(again.status()).isEqualTo(TaskStatus.OK);
        assertThat(again.data().get("ssh_public_key")).isEqualTo(o.data().get("ssh_public_key"));
    }

    @Test
    void aMissingGroupOrABadArgumentIsAClearError() throws Exception {
        TaskOutcome o = host.run(user, Map.of("name", "utbad", "group", "no-such-group"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Group no-such-group does not exist");
        assertThatThrownBy(() -> host.run(user, Map.of("name", "utbad", "update_password", "sometimes")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("update_password");
        assertThat(host.exec("getent passwd utbad").stdout().stripTrailing()).isEmpty();
    }
}
