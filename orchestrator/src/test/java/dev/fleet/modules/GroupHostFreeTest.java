package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** {@code group}: getent for the state, then groupadd/groupmod/groupdel only when something differs. */
class GroupHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");
    /** The group's /etc/group line on the fake host, or null: changed by the scripted tools. */
    private final AtomicReference<String> line = new AtomicReference<>();

    GroupHostFreeTest() {
        host.when(c -> FakeFiles.script(c).startsWith("getent group fg"),
                c -> line.get() == null ? FakeHostSession.result(2, "", "") : FakeHostSession.result(0, line.get()
                        + "\n", ""));
        host.when(c -> FakeFiles.script(c).contains("groupadd "), c -> {
            line.set("fg:x:4711:");
            return FakeHostSession.result(0, "", "");
        });
        host.when(c -> FakeFiles.script(c).contains("groupmod "), c -> {
            line.set("fg:x:4712:");
            return FakeHostSession.result(0, "", "");
        });
    }

    private List<String> tools() {
        return FakeFiles.scripts(host).stream().filter(s -> s.matches("(?s).*\\b(groupadd|groupmod|groupdel) .*"))
                .map(s -> s.substring(s.lastIndexOf("; ") + 2)).toList();
    }

    @Test
    void createsWithGidAndSystemAndReportsAnsiblesKeys() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "group", args("name", "fg", "gid", 4711, "system", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(tools()).containsExactly("groupadd -g 4711 -r fg");
        assertThat(o.data()).containsEntry("name", "fg").containsEntry("state", "present")
                .containsEntry("gid", 4711).containsEntry("system", true);
    }

    @Test
    void anExistingGroupIsLeftAloneOrGetsItsNewGid() throws Exception {
        line.set("fg:x:4711:");
        assertThat(ModuleHarness.run(host, "group", args("name", "fg", "gid", 4711)).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.run(host, "group", args("name", "fg")).status()).isEqualTo(TaskStatus.OK);
        assertThat(tools()).isEmpty();
        TaskOutcome o = ModuleHarness.run(host, "group", args("name", "fg", "gid", 4712, "non_unique", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(tools()).containsExactly("groupmod -g 4712 -o fg");
        assertThat(o.data()).containsEntry("gid", 4712);
    }

    @Test
    void checkModeReportsTheChangeAndRunsNoTool() throws Exception {
        assertThat(ModuleHarness.check(host, "group", args("name", "fg")).status()).isEqualTo(TaskStatus.CHANGED);
        line.set("fg:x:4711:");
        assertThat(ModuleHarness.check(host, "group", args("name", "fg", "gid", 1)).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(ModuleHarness.check(host, "group", args("name", "fg", "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(tools()).isEmpty();
    }

    @Test
    void absentRemovesOnlyAnExistingGroup() throws Exception {
        assertThat(ModuleHarness.run(host, "group", args("name", "fg", "state", "absent")).status())
                .isEqualTo(TaskStatus.OK);
        line.set("fg:x:4711:");
        TaskOutcome o = ModuleHarness.run(host, "group", args("name", "fg", "state", "absent"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(tools()).containsExactly("groupdel fg");
    }

    @Test
    void aToolsErrorIsTheMessageAndArgumentsAreChecked() throws Exception {
        host.on("groupadd", 4, "", "groupadd: GID '0' already exists\n");
        TaskOutcome o = ModuleHarness.run(host, "group", args("name", "fg", "gid", 0));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("groupadd: GID '0' already exists\n");
        assertThat(ModuleHarness.rejection(host, "group", args("name", "fg", "non_unique", true)))
                .contains("non_unique").contains("gid");
        assertThat(ModuleHarness.rejection(host, "group", args("gid", 5))).contains("name");
    }

    @Test
    void localLooksInEtcGroupAndUsesTheLibuserTools() throws Exception {
        host.on("grep -m 1", 1, "");
        host.on("lgroupadd", 127, "", "Failed to find required executable \"lgroupadd\" in paths\n");
        TaskOutcome o = ModuleHarness.run(host, "group", args("name", "fg", "local", true));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).contains("lgroupadd");
        assertThat(FakeFiles.scripts(host).get(0)).isEqualTo("grep -m 1 -e '^fg:' /etc/group");
    }
}
