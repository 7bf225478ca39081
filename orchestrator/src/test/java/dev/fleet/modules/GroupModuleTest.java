package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** group on an overlay host: real groupadd/groupmod/groupdel; this machine's groups stay as they are. */
class GroupModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    private final GroupModule group = new GroupModule();

    @Test
    void createsChangesTheGidAndRemoves() throws Exception {
        Map<String, Object> args = Map.of("name", "gtone", "gid", 4601);
        assertThat(host.check(group, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("getent group gtone").stdout().stripTrailing()).isEmpty();
        TaskOutcome o = host.run(group, args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("gid", 4601).containsEntry("system", false).containsEntry("state",
                "present");
        assertThat(host.run(group, args).status()).isEqualTo(TaskStatus.OK);
        assertThat(Files.readString(Path.of("/etc/group"))).doesNotContain("gtone");

        Map<String, Object> moved = Map.of("name", "gtone", "gid", 4602);
        assertThat(host.check(group, moved).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("getent group gtone").stripTrailing()).startsWith("gtone:x:4601:");
        assertThat(host.run(group, moved).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("getent group gtone").stripTrailing()).startsWith("gtone:x:4602:");

        Map<String, Object> absent = Map.of("name", "gtone", "state", "absent");
        assertThat(host.run(group, absent).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("getent group gtone").stdout().stripTrailing()).isEmpty();
        assertThat(host.run(group, absent).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aSystemGroupGetsALowGid() throws Exception {
        TaskOutcome o = host.run(group, Map.of("name", "gtsys", "system", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat((Integer) o.data().get("gid")).isLessThan(1000);
    }

    @Test
    void badArgumentsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> host.run(group, Map.of("name", "gtbad", "non_unique", true)))
                .isInstanceOf(ModuleException.class).hasMessageContaining("gid");
        assertThatThrownBy(() -> host.run(group, Map.of("name", "gtbad", "gid", "many")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("gid");
        TaskOutcome taken = host.run(group, Map.of("name", "gtbad", "gid", 0));
        assertThat(taken.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(taken.msg()).contains("GID '0' already exists");
    }
}
