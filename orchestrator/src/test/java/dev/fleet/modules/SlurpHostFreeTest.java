package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code slurp} without a host. */
class SlurpHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void contentComesBackAsOneBase64String() throws Exception {
        host.on("base64 <", 0, "aGVs\nbG8K\n");
        TaskOutcome o = ModuleHarness.check(host, "slurp", args("path", "/etc/it's"));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsEntry("content", "aGVsbG8K").containsEntry("encoding", "base64")
                .containsEntry("source", "/etc/it's");
        assertThat(FakeFiles.script(host.commands().get(0))).startsWith("p='/etc/it'\\''s'\n");
    }

    @Test
    void missingAndDirectoryFailWithAnsiblesMessages() throws Exception {
        host.on("/nope", 2, "");
        host.on("/etc\n", 3, "");
        assertThat(ModuleHarness.run(host, "slurp", args("src", "/nope")).msg()).isEqualTo("file not found: /nope");
        assertThat(ModuleHarness.run(host, "slurp", args("src", "/etc")).msg())
                .isEqualTo("source is a directory and must be a file: /etc");
    }

    @Test
    void srcIsRequired() throws Exception {
        assertThat(ModuleHarness.rejection(host, "slurp", args())).contains("missing required argument")
                .contains("src");
    }
}
