package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code user}: one lookup (passwd, shadow, memberships), then useradd/usermod/userdel with only what differs;
 * the password hash goes to chpasswd on standard input and nowhere else.
 */
class UserHostFreeTest {
    private static final String HASH = "$6$salt$abcdefghijklmnopqrstuvwxyz";

    private final FakeHostSession host = new FakeHostSession("web1");
    /** What the lookup script prints for the account ("P:..", "S:..", "G:.." lines); "" when there is none. */
    private final AtomicReference<String> account = new AtomicReference<>("");
    /** The groups that exist on the fake host. */
    private final Set<String> groups = new HashSet<>(List.of("a", "b", "c"));

    UserHostFreeTest() {
        host.when(c -> FakeFiles.script(c).startsWith("getent passwd fu"),
                c -> FakeHostSession.result(0, account.get(), ""));
        host.when(c -> c.startsWith("getent group "), c -> groups.contains(c.substring(13))
                ? FakeHostSession.result(0, c.substring(13) + ":x:3000:\n", "") : FakeHostSession.result(2, "", ""));
        host.when(c -> c.startsWith("useradd "), c -> {
            account.set("P:fu:x:4321:4321:Fleet User:/home/fu:/bin/sh\nS:fu:!:19000:0:99999:7:::\n");
            return FakeHostSession.result(0, "", "");
        });
    }

    private void existing(String shadowHash, String... groups) {
        StringBuilder s = new StringBuilder("P:fu:x:4321:4321::/home/fu:/bin/bash\nS:fu:" + shadowHash
                + ":19000:0:99999:7:::\n");
        for (String g : groups) s.append("G:").append(g).append('\n');
        account.set(s.toString());
    }

    /** The commands that change the account. */
    private List<String> changes() {
        return host.commands().stream().filter(c -> c.matches("^(useradd|usermod|userdel|chpasswd|chage) .*"))
                .toList();
    }

    @Test
    void createsWithUseraddAndSetsThePasswordOnStandardInput() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "uid", 4321, "comment", "Fleet User",
                "shell", "/bin/sh", "password", HASH, "expires", 1893456000));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(changes()).containsExactly(
                "useradd -u 4321 -c 'Fleet User' -s /bin/sh -e 2030-01-01 -m fu", "chpasswd -e");
        assertThat(host.execs().stream().filter(e -> e.command().equals("chpasswd -e")).findFirst().orElseThrow()
                .stdinText()).isEqualTo("fu:" + HASH + "\n");
        assertThat(host.commands()).noneMatch(c -> c.contains(HASH));
        assertThat(o.toString()).doesNotContain(HASH);
        assertThat(o.data()).containsEntry("password", "NOT_LOGGING_PASSWORD").containsEntry("uid", 4321)
                .containsEntry("group", 4321).containsEntry("home", "/home/fu").containsEntry("system", false)
                .containsEntry("create_home", true).containsEntry("state", "present");
    }

    @Test
    void aGroupNamedAsTheUserMeansNoUserGroupAndMissingGroupsFail() throws Exception {
        groups.add("fu");
        ModuleHarness.run(host, "user", args("name", "fu", "create_home", false, "system", true));
        assertThat(changes()).containsExactly("useradd -N -M -r fu");
        account.set("");
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "groups", List.of("a", "nosuch")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Group nosuch does not exist");
    }

    @Test
    void modifiesOnlyWhatDiffers() throws Exception {
        existing(HASH, "fu");
        assertThat(ModuleHarness.run(host, "user", args("name", "fu", "shell", "/bin/bash", "password", HASH))
                .status()).isEqualTo(TaskStatus.OK);
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "shell", "/bin/sh", "comment", "x",
                "password_lock", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(changes()).containsExactly("usermod -c x -s /bin/sh -L fu");
        assertThat(o.data()).containsEntry("append", false).containsEntry("move_home", false);
    }

    @Test
    void groupsAreReplacedOrAppendedAsAnsibleCompares() throws Exception {
        existing("!", "a", "b");
        ModuleHarness.run(host, "user", args("name", "fu", "groups", "b,a"));
        ModuleHarness.run(host, "user", args("name", "fu", "groups", List.of("a"), "append", true));
        assertThat(changes()).isEmpty();
        ModuleHarness.run(host, "user", args("name", "fu", "groups", List.of("c"), "append", true));
        ModuleHarness.run(host, "user", args("name", "fu", "groups", List.of("c")));
        ModuleHarness.run(host, "user", args("name", "fu", "groups", List.of()));
        assertThat(changes()).containsExactly("usermod -a -G c fu", "usermod -G c fu", "usermod -G '' fu");
    }

    @Test
    void aNewHashReplacesTheLockedOneUnlessUpdatePasswordIsOnCreate() throws Exception {
        existing("!$6$old$hash");
        ModuleHarness.run(host, "user", args("name", "fu", "password", HASH, "update_password", "on_create"));
        assertThat(changes()).isEmpty();
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "password", HASH, "password_lock", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(changes()).containsExactly("chpasswd -e");
        assertThat(host.execs().stream().filter(e -> e.command().equals("chpasswd -e")).findFirst().orElseThrow()
                .stdinText()).isEqualTo("fu:!" + HASH + "\n");
    }

    @Test
    void absentRunsUserdelAndCheckModeRunsNothing() throws Exception {
        existing("!");
        assertThat(ModuleHarness.check(host, "user", args("name", "fu", "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "user", args("name", "fu", "shell", "/bin/zsh")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(changes()).isEmpty();
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "state", "absent", "remove", true,
                "force", true));
        assertThat(changes()).containsExactly("userdel -f -r fu");
        assertThat(o.data()).containsEntry("force", true).containsEntry("remove", true);
    }

    @Test
    void aPasswordThatIsNoHashOnlyWarns() throws Exception {
        existing("!");
        TaskOutcome o = ModuleHarness.run(host, "user", args("name", "fu", "password", "plain-text"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data().get("warnings").toString()).contains("appears not to have been hashed");
        assertThat(UserModule.looksHashed("$6$" + "s".repeat(8) + "$" + "h".repeat(86))).isTrue();
        assertThat(UserModule.looksHashed("$6$salt$short")).isFalse();
        assertThat(UserModule.looksHashed("!")).isTrue();
        assertThat(UserModule.looksHashed("$y$j9T$salt$anything")).isTrue();
    }

    @Test
    void badArgumentsAreRefusedWithoutShowingThePassword() throws Exception {
        assertThat(ModuleHarness.rejection(host, "user", args("name", "fu", "local", true))).contains("local");
        assertThat(ModuleHarness.rejection(host, "user", args("name", "fu", "uid", "abc"))).contains("uid");
        assertThat(ModuleHarness.rejection(host, "user", args("name", "fu", "password", List.of("x", HASH))))
                .contains("password").doesNotContain(HASH);
        assertThat(host.commands()).isEmpty();
    }
}
