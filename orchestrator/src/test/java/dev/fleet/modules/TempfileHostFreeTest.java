package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import org.junit.jupiter.api.Test;

/** {@code tempfile} without a host. */
class TempfileHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    @Test
    void mktempIsRunWithPrefixSuffixAndDirectoryAndThePathReturned() throws Exception {
        host.on("mktemp", 0, "/srv/tmp/x.Ab3dEf9h.log\n600|0|0|root|root|0\n");
        TaskOutcome o = ModuleHarness.run(host, "tempfile", args("path", "/srv/tmp", "prefix", "x.",
                "suffix", ".log"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("path", "/srv/tmp/x.Ab3dEf9h.log").containsEntry("state", "file")
                .containsEntry("mode", "0600").containsEntry("owner", "root").containsEntry("size", 0L);
        assertThat(FakeFiles.script(host.commands().get(0))).contains("d=/srv/tmp\n")
                .contains("mktemp -p \"$d\" --suffix=.log -- x.XXXXXXXX");
    }

    @Test
    void directoryStateUsesMktempDAndDefaultsToTmpdir() throws Exception {
        ModuleHarness.run(host, "tempfile", args("state", "directory"));
        assertThat(FakeFiles.script(host.commands().get(0))).contains("d=\"${TMPDIR:-/tmp}\"")
                .contains("mktemp -d -p").contains("ansible.XXXXXXXX");
    }

    @Test
    void checkModeSkipsAndBadArgumentsAreNamed() throws Exception {
        assertThat(ModuleHarness.check(host, "tempfile", args()).status()).isEqualTo(TaskStatus.SKIPPED);
        assertThat(host.commands()).isEmpty();
        assertThat(ModuleHarness.rejection(host, "tempfile", args("state", "link")))
                .contains("argument 'state' must be one of [directory, file]");
        assertThat(ModuleHarness.rejection(host, "tempfile", args("prefix", "a/b"))).contains("argument 'prefix'");
    }
}
