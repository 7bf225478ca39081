package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** cron on an overlay host: real crontab -l / crontab - and /etc/cron.d files. */
class CronModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @BeforeAll
    static void prepare() throws Exception {
        host.exec("useradd crontester");
    }

    private final CronModule cron = new CronModule();

    @Test
    @SuppressWarnings("unchecked")
    void addsUpdatesAndRemovesAJobInAUsersCrontab() throws Exception {
        Map<String, Object> args = Map.of("name", "backup", "job", "/usr/bin/true backup", "hour", "3",
                "user", "crontester");
        assertThat(host.check(cron, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("crontab -u crontester -l 2>/dev/null").stdout().stripTrailing()).isEmpty();
        TaskOutcome o = host.run(cron, args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("jobs", List.of("backup"));
        assertThat(host.sh("crontab -u crontester -l").stripTrailing())
                .isEqualTo("#Ansible: backup\n* 3 * * * /usr/bin/true backup");
        assertThat(host.run(cron, args).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome moved = host.run(cron, Map.of("name", "backup", "job", "/usr/bin/true backup", "hour", "4",
                "user", "crontester"), false, true);
        assertThat(moved.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat((Map<String, Object>) moved.data().get("diff")).containsEntry("after",
                "#Ansible: backup\n* 4 * * * /usr/bin/true backup\n")
                .containsEntry("before_header", "crontab for user \"crontester\"");

        Map<String, Object> absent = Map.of("name", "backup", "state", "absent", "user", "crontester");
        assertThat(host.run(cron, absent).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.exec("crontab -u crontester -l").stdout().stripTrailing()).isEmpty();
        assertThat(host.run(cron, absent).status()).isEqualTo(TaskStatus.OK);
    }

    @Test
    void aCronFileGoesWithItsLastJob() throws Exception {
        Map<String, Object> args = Map.of("name", "sweep", "job", "/bin/true", "cron_file", "fleet-sweep",
                "user", "root", "special_time", "hourly");
        assertThat(host.run(cron, args).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("cat /etc/cron.d/fleet-sweep; stat -c %a /etc/cron.d/fleet-sweep").stripTrailing())
                .isEqualTo("#Ansible: sweep\n@hourly root /bin/true\n644");
        assertThat(host.run(cron, args).status()).isEqualTo(TaskStatus.OK);
        TaskOutcome gone = host.run(cron, Map.of("name", "sweep", "cron_file", "fleet-sweep", "state", "absent"));
        assertThat(gone.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.sh("test -e /etc/cron.d/fleet-sweep || echo gone").stripTrailing()).isEqualTo("gone");
    }

    @Test
    void badArgumentsAreClearErrors() throws Exception {
        assertThatThrownBy(() -> host.run(cron, Map.of("name", "x", "job", "y", "special_time", "sometimes")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("special_time");
        TaskOutcome both = host.run(cron, Map.of("name", "x", "job", "y", "special_time", "daily", "hour", "1"));
        assertThat(both.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(both.msg()).isEqualTo("You must specify time and date fields or special time.");
        TaskOutcome noJob = host.run(cron, Map.of("name", "x"));
        assertThat(noJob.msg()).isEqualTo("You must specify 'job' to install a new cron job or variable");
    }
}
