package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code locale_gen} on an overlay host (Debian's /etc/locale.gen): generate, again, remove. */
class LocaleGenModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @Test
    void generatesALocaleOnceThenRemovesIt() throws Exception {
        LocaleGenModule m = new LocaleGenModule();
        assertThat(host.run(m, Map.of("name", "de_DE.UTF-8"), true, true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).doesNotContain("de_DE");

        TaskOutcome first = host.run(m, Map.of("name", "de_DE.UTF-8"), false, true);
        assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).contains("de_DE.utf8");
        assertThat(host.sh("grep -n '^de_DE.UTF-8 UTF-8$' /etc/locale.gen")).isNotEmpty();
        assertThat(host.run(m, Map.of("name", "de_DE.UTF-8"), false, true).status()).isEqualTo(TaskStatus.OK);

        assertThat(host.run(m, Map.of("name", "de_DE.UTF-8", "state", "absent"), false, true).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("locale -a")).doesNotContain("de_DE");
        assertThat(host.run(m, Map.of("name", "de_DE.UTF-8", "state", "absent"), false, true).status())
                .isEqualTo(TaskStatus.OK);
    }

    @Test
    void anUnknownLocaleAndABadStateAreErrors() throws Exception {
        LocaleGenModule m = new LocaleGenModule();
        assertThat(host.run(m, Map.of("name", "xx_YY.UTF-8"), false, true).msg()).contains("not available");
        assertThat(catchThrowable(() -> host.run(m, Map.of("name", "de_DE.UTF-8", "state", "on"), false, true)))
                .hasMessageContaining("state");
    }
}
