package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.SshdLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code locale_gen} on an overlay host (Debian's /etc/locale.gen): generate, again, remove. */
class LocaleGenModuleTest {
    @RegisterExtension
    static final SshdLab lab = SshdLab.overlay(1);

    static SettingsLabHost host;

    @BeforeAll
    static void connect() throws Exception {
        host = new SettingsLabHost(lab, "host1");
    }

    @AfterAll
    static void disconnect() {
        if (host != null) host.close();
    }

    @Test
    void generatesALocaleOnceThenRemovesIt() throws Exception {
        LocaleGenModule m = new LocaleGenModule();
        assertThat(host.run(m, true, "name", "de_DE.UTF-8").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).doesNotContain("de_DE");

        TaskOutcome first = host.run(m, false, "name", "de_DE.UTF-8");
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).contains("de_DE.utf8");
        assertThat(host.sh("grep -n '^de_DE.UTF-8 UTF-8$' /etc/locale.gen")).isNotEmpty();
        assertThat(host.run(m, false, "name", "de_DE.UTF-8").status()).isEqualTo(TaskStatus.OK);

        assertThat(host.run(m, false, "name", "de_DE.UTF-8", "state", "absent").status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).doesNotContain("de_DE");
        assertThat(host.run(m, false, "name", "de_DE.UTF-8", "state", "absent").status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void anUnknownLocaleAndABadStateAreErrors() throws Exception {
        LocaleGenModule m = new LocaleGenModule();
        assertThat(host.run(m, false, "name", "xx_YY.UTF-8").msg()).contains("not available");
        assertThat(catchThrowable(() -> host.run(m, false, "name", "de_DE.UTF-8", "state", "on")))
                .hasMessageContaining("state");
    }
}
