package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** {@code community.general.locale_gen} without a host: Debian's and Ubuntu's ways, check mode, errors. */
class LocaleGenHostFreeTest {
    private static final String LOCALE_GEN = "# This file lists locales\n# de_DE.UTF-8 UTF-8\n# en_US ISO-8859-1\n"
            + "# en_US.UTF-8 UTF-8\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void probe(String answer) {
        host.when(c -> c.contains("mode=ubuntu"), c -> FakeHostSession.result(0, answer, ""));
    }

    @Test
    void debianUncommentsTheLineAndRunsLocaleGen() throws Exception {
        probe("mode=debian\navail=" + b64(LOCALE_GEN) + "\npresent=" + b64("C\nC.utf8\nPOSIX\n") + "\n");
        TaskOutcome o = ModuleHarness.run(host, "community.general.locale_gen", args("name", "en_US.UTF-8"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.msg()).isEqualTo("OK");
        assertThat(o.data()).containsEntry("name", "en_US.UTF-8");
        FakeHostSession.Exec gen = host.execs().stream().filter(e -> e.command().contains("locale-gen"))
                .filter(e -> e.stdin() != null).findFirst().orElseThrow();
        assertThat(gen.stdinText()).isEqualTo(LOCALE_GEN.replace("# en_US.UTF-8 UTF-8", "en_US.UTF-8 UTF-8"));
    }

    @Test
    void aGeneratedLocaleIsNoChangeWhateverTheEncodingsSpellingAndCheckModeRunsNothing() throws Exception {
        probe("mode=debian\navail=" + b64(LOCALE_GEN) + "\npresent=" + b64("C\nen_US.utf8\n") + "\n");
        assertThat(ModuleHarness.run(host, "locale_gen", args("name", "en_US.UTF-8")).status())
                .isEqualTo(TaskStatus.OK);
        TaskOutcome checked = ModuleHarness.check(host, "locale_gen", args("name", "en_US.UTF-8", "state",
                "absent"));
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.commands()).hasSize(2);
        assertThat(LocaleGenModule.setLocale("en_US.UTF-8 UTF-8\n", "en_US.UTF-8", false))
                .isEqualTo("# en_US.UTF-8 UTF-8\n");
    }

    @Test
    void ubuntuUsesLocaleGenWithTheNameAndPurgesOnRemoval() throws Exception {
        probe("mode=ubuntu\nlocal=" + b64("en_US.UTF-8 UTF-8\nfr_FR.UTF-8 UTF-8\n") + "\navail="
                + b64("en_US.UTF-8 UTF-8\nfr_FR.UTF-8 UTF-8\n") + "\npresent=" + b64("C\nen_US.utf8\n") + "\n");
        assertThat(ModuleHarness.run(host, "locale_gen", args("name", "fr_FR.UTF-8")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(FakeFiles.scripts(host)).contains("locale-gen fr_FR.UTF-8");
        assertThat(ModuleHarness.run(host, "locale_gen", args("name", "en_US.UTF-8", "state", "absent")).status())
                .isEqualTo(TaskStatus.CHANGED);
        FakeHostSession.Exec purge = host.execs().stream().filter(e -> e.command().contains("--purge"))
                .findFirst().orElseThrow();
        assertThat(purge.stdinText()).isEqualTo("fr_FR.UTF-8 UTF-8\n");
    }

    @Test
    void errorsAreTheCollections() throws Exception {
        probe("mode=debian\navail=" + b64(LOCALE_GEN) + "\npresent=" + b64("C\n") + "\n");
        assertThat(ModuleHarness.run(host, "locale_gen", args("name", "xx_YY.UTF-8")).msg())
                .isEqualTo("The locale you've entered is not available on your system.");
        host.when(c -> c.contains("cat > /etc/locale.gen"), c -> FakeHostSession.result(3, "", "boom"));
        TaskOutcome failed = ModuleHarness.run(host, "locale_gen", args("name", "de_DE.UTF-8"));
        assertThat(failed.msg()).isEqualTo("[Errno 3] locale.gen failed to execute, it returned 3");
        assertThat(failed.data()).containsEntry("exitValue", 3);
        FakeHostSession none = new FakeHostSession("web2");
        none.on("mode=ubuntu", 0, "mode=none\n");
        assertThat(ModuleHarness.run(none, "locale_gen", args("name", "en_US.UTF-8")).msg())
                .startsWith("/etc/locale.gen and /var/lib/locales/supported.d/local are missing.");
        assertThat(ModuleHarness.rejection(host, "locale_gen", args("state", "present"))).contains("name");
        assertThat(ModuleHarness.rejection(host, "locale_gen", args("name", "a", "state", "on"))).contains("state");
    }
}
