package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code setup}: one fact-gathering command whose scripted {@code key=value} answer becomes Ansible's facts. */
class SetupHostFreeTest {
    private static final String UBUNTU = """
            hostname=web1.example.org
            fqdn=web1.example.org
            os_NAME="Ubuntu"
            os_VERSION_ID="24.04"
            os_ID=ubuntu
            os_ID_LIKE=debian
            os_VERSION_CODENAME=noble
            kernel=6.8.0-45-generic
            arch=x86_64
            nproc=4
            mem_MemTotal=8192000
            mem_MemFree=2048000
            mem_MemAvailable=6144000
            mem_SwapTotal=1048576
            mem_SwapFree=524288
            loadavg=0.15 0.10 0.05 1/234 5678
            df=/dev/sda1 ext4 30000000 10000000 20000000 34% /
            df=tmpfs tmpfs 100 0 100 0% /run
            df=/dev/sdb1 xfs 1000 10 990 1% /srv/my data
            svcmgr=systemd
            user=deploy
            epoch=1767225600
            iso=2026-01-01T02:03:04Z
            phpfpm=/lib/systemd/system/php8.1-fpm.service
            phpfpm=/lib/systemd/system/php8.3-fpm.service
            phppool=/etc/php/8.3/fpm/pool.d/www.conf /run/php/php8.3-fpm.sock
            phppool=/etc/php/8.1/fpm/pool.d/www.conf /run/php/php8.1-fpm.sock
            nginx=1
            """;

    private final FakeHostSession host = new FakeHostSession("web1");

    private void answer(String stdout) {
        host.when(c -> c.startsWith("sh -c"), c -> FakeHostSession.result(0, stdout, ""));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> facts(Object... kv) throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "setup", args(kv));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        return (Map<String, Object>) o.data().get("ansible_facts");
    }

    @Test
    void factsAreGatheredWithOneCommand() throws Exception {
        answer(UBUNTU);
        facts();
        assertThat(host.commands()).hasSize(1);
        assertThat(host.commands().get(0)).startsWith("sh -c ");
        assertThat(host.uploads()).isEmpty();
    }

    @Test
    void hostnameIsTheShortNameAndNodenameTheFullOne() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_hostname", "web1").containsEntry("ansible_nodename",
                "web1.example.org").containsEntry("ansible_fqdn", "web1.example.org");
    }

    @Test
    void osReleaseGivesDistributionFacts() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_distribution", "Ubuntu")
                .containsEntry("ansible_distribution_version", "24.04")
                .containsEntry("ansible_distribution_major_version", "24")
                .containsEntry("ansible_distribution_release", "noble").containsEntry("ansible_os_family", "Debian")
                .containsEntry("ansible_system", "Linux");
    }

    @Test
    void aRhelLikeDistributionIsOfTheRedHatFamily() throws Exception {
        answer("hostname=db1\nos_ID=\"rocky\"\nos_ID_LIKE=\"rhel centos fedora\"\nos_VERSION_ID=\"9.4\"\n");
        assertThat(facts()).containsEntry("ansible_distribution", "Rocky").containsEntry("ansible_os_family", "RedHat")
                .containsEntry("ansible_distribution_major_version", "9");
    }

    @Test
    void kernelArchitectureAndProcessors() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_kernel", "6.8.0-45-generic")
                .containsEntry("ansible_architecture", "x86_64").containsEntry("ansible_machine", "x86_64")
                .containsEntry("ansible_processor_vcpus", 4).containsEntry("ansible_processor_nproc", 4);
    }

    @Test
    void memoryIsReportedInMegabytes() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_memtotal_mb", 8000L).containsEntry("ansible_memfree_mb", 2000L)
                .containsEntry("ansible_swaptotal_mb", 1024L).containsEntry("ansible_swapfree_mb", 512L)
                .containsEntry("ansible_memory_mb", Map.of(
                        "real", Map.of("total", 8000L, "free", 2000L, "used", 6000L),
                        "nocache", Map.of("free", 6000L, "used", 2000L),
                        "swap", Map.of("total", 1024L, "free", 512L, "used", 512L)));
    }

    @Test
    void mountsListDisksButNotPseudoFilesystems() throws Exception {
        answer(UBUNTU);
        assertThat(facts().get("ansible_mounts")).isEqualTo(List.of(
                Map.of("mount", "/", "device", "/dev/sda1", "fstype", "ext4", "size_total", 30000000L * 1024,
                        "size_available", 20000000L * 1024, "block_size", 1024),
                Map.of("mount", "/srv/my data", "device", "/dev/sdb1", "fstype", "xfs", "size_total", 1000L * 1024,
                        "size_available", 990L * 1024, "block_size", 1024)));
    }

    @Test
    void loadAverageHasThreeNumbers() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_loadavg", Map.of("1m", 0.15, "5m", 0.10, "15m", 0.05));
    }

    @Test
    void serviceManagerAndUser() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("ansible_service_mgr", "systemd").containsEntry("ansible_user_id", "deploy");
    }

    @Test
    void dateTimeIsSplitIntoAnsiblesFields() throws Exception {
        answer(UBUNTU);
        @SuppressWarnings("unchecked")
        Map<String, Object> dt = (Map<String, Object>) facts().get("ansible_date_time");
        assertThat(dt).containsEntry("epoch", "1767225600").containsEntry("iso8601", "2026-01-01T02:03:04Z")
                .containsEntry("date", "2026-01-01").containsEntry("time", "02:03:04").containsEntry("year", "2026")
                .containsEntry("month", "01").containsEntry("day", "01").containsEntry("hour", "02")
                .containsEntry("minute", "03").containsEntry("second", "04");
    }

    @Test
    void theNewestPhpFpmAndItsPoolSocketAreFound() throws Exception {
        answer(UBUNTU);
        assertThat(facts()).containsEntry("php_fpm_service", "php8.3-fpm").containsEntry("php_fpm_version", "8.3")
                .containsEntry("php_fpm_pool_conf", "/etc/php/8.3/fpm/pool.d/www.conf")
                .containsEntry("php_fpm_socket", "/run/php/php8.3-fpm.sock").containsEntry("nginx_installed", true);
    }

    @Test
    void aHostWithoutPhpOrNginxHasEmptyFacts() throws Exception {
        answer("hostname=db1\nnginx=0\n");
        assertThat(facts()).containsEntry("php_fpm_service", "").containsEntry("php_fpm_socket", "")
                .containsEntry("nginx_installed", false);
    }

    @Test
    void missingToolsLeaveZerosAndEmptiesRatherThanFailing() throws Exception {
        answer("hostname=tiny\n");
        assertThat(facts()).containsEntry("ansible_memtotal_mb", 0L).containsEntry("ansible_processor_vcpus", 0)
                .containsEntry("ansible_distribution", "").containsEntry("ansible_mounts", List.of())
                .containsEntry("ansible_service_mgr", "sysvinit");
    }

    @Test
    void filterKeepsOnlyMatchingFacts() throws Exception {
        answer(UBUNTU);
        assertThat(facts("filter", "ansible_distribution*").keySet()).containsExactlyInAnyOrder(
                "ansible_distribution", "ansible_distribution_version", "ansible_distribution_major_version",
                "ansible_distribution_release");
    }

    @Test
    void filterMayBeAList() throws Exception {
        answer(UBUNTU);
        assertThat(facts("filter", List.of("ansible_hostname", "ansible_kernel")).keySet())
                .containsExactlyInAnyOrder("ansible_hostname", "ansible_kernel");
    }

    @Test
    void gatherSubsetIsAccepted() throws Exception {
        answer(UBUNTU);
        assertThat(facts("gather_subset", List.of("!all", "min"))).containsKey("ansible_hostname");
    }

    @Test
    void factsAreGatheredInCheckModeToo() throws Exception {
        answer(UBUNTU);
        TaskOutcome o = ModuleHarness.check(host, "setup", Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(o.data()).containsKey("ansible_facts");
    }

    @Test
    void aFailingFactScriptFailsTheTask() throws Exception {
        host.when(c -> c.startsWith("sh -c"), c -> FakeHostSession.result(126, "", "sh: permission denied"));
        TaskOutcome o = ModuleHarness.run(host, "setup", Map.of());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(126);
        assertThat(o.msg()).isEqualTo("could not gather facts: the fact script exited with 126");
    }

    @Test
    void anAnswerWithoutHostnameFailsTheTask() throws Exception {
        answer("garbage\n");
        assertThat(ModuleHarness.run(host, "setup", Map.of()).status()).isEqualTo(TaskStatus.FAILED);
    }

    @Test
    void anUnknownArgumentIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "setup", args("filters", "x")))
                .contains("unsupported argument 'filters'");
    }
}
