package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** setup against a real sshd on this machine: the facts must match what the machine says about itself. */
class SetupModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> facts(Map<String, Object> args) throws Exception {
        TaskOutcome o = host.run(new SetupModule(), args);
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        return (Map<String, Object>) o.data().get("ansible_facts");
    }

    @Test
    @SuppressWarnings("unchecked")
    void factsDescribeThisMachine() throws Exception {
        Map<String, Object> f = facts(Map.of());
        Map<String, String> os = osRelease();
        assertThat(f.get("ansible_hostname")).isEqualTo(ModuleLab.local("hostname").split("\\.")[0]);
        assertThat((String) f.get("ansible_fqdn")).isNotEmpty();
        String id = os.getOrDefault("ID", "");
        if (id.equals("debian")) assertThat(f.get("ansible_distribution")).isEqualTo("Debian");
        if (id.equals("ubuntu")) assertThat(f.get("ansible_distribution")).isEqualTo("Ubuntu");
        assertThat(f.get("ansible_distribution_version")).isEqualTo(os.getOrDefault("VERSION_ID", ""));
        assertThat(f.get("ansible_distribution_release")).isEqualTo(os.getOrDefault("VERSION_CODENAME", ""));
        assertThat(f.get("ansible_distribution_major_version"))
                .isEqualTo(os.getOrDefault("VERSION_ID", "").split("\\.")[0]);
        if (id.equals("debian") || id.equals("ubuntu")) assertThat(f.get("ansible_os_family")).isEqualTo("Debian");
        assertThat(f.get("ansible_kernel")).isEqualTo(ModuleLab.local("uname", "-r"));
        assertThat(f.get("ansible_architecture")).isEqualTo(ModuleLab.local("uname", "-m"));
        assertThat(f.get("ansible_processor_vcpus")).isEqualTo(Integer.parseInt(ModuleLab.local("nproc")));
        assertThat((Long) f.get("ansible_memtotal_mb")).isPositive();
        assertThat((Long) f.get("ansible_memfree_mb")).isPositive()
                .isLessThanOrEqualTo((Long) f.get("ansible_memtotal_mb"));
        Map<String, Map<String, Long>> mem = (Map<String, Map<String, Long>>) f.get("ansible_memory_mb");
        assertThat(mem.get("real").get("total")).isEqualTo(f.get("ansible_memtotal_mb"));
        assertThat(mem.get("real").get("used") + mem.get("real").get("free")).isEqualTo(mem.get("real").get("total"));
        assertThat(mem.get("nocache").get("free")).isGreaterThanOrEqualTo(mem.get("real").get("free"));
        assertThat(f.get("ansible_swaptotal_mb")).isInstanceOf(Long.class);
        assertThat((Map<String, Object>) f.get("ansible_loadavg")).containsOnlyKeys("1m", "5m", "15m");
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) f.get("ansible_mounts");
        assertThat(mounts).isNotEmpty().anySatisfy(m -> assertThat(m.get("mount")).isEqualTo("/"));
        assertThat(mounts).allSatisfy(m -> {
            assertThat(m).containsKeys("mount", "device", "fstype", "size_total", "size_available");
            assertThat(m.get("fstype")).isNotIn("tmpfs", "devtmpfs");
            assertThat((Long) m.get("size_total")).isGreaterThanOrEqualTo((Long) m.get("size_available"));
        });
        assertThat(f.get("ansible_service_mgr"))
                .isEqualTo(Files.isDirectory(Path.of("/run/systemd/system")) ? "systemd" : "sysvinit");
        assertThat(f.get("ansible_user_id")).isEqualTo(System.getProperty("user.name"));
        Map<String, Object> dt = (Map<String, Object>) f.get("ansible_date_time");
        long epoch = Long.parseLong((String) dt.get("epoch"));
        assertThat(Math.abs(epoch - System.currentTimeMillis() / 1000)).isLessThan(60);
        assertThat((String) dt.get("iso8601")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(f.get("nginx_installed")).isEqualTo(Files.isExecutable(Path.of("/usr/sbin/nginx")));
    }

    @Test
    void phpFpmFactsFollowWhatIsInstalled() throws Exception {
        Map<String, Object> f = facts(Map.of());
        if (Files.exists(Path.of("/etc/init.d/php8.2-fpm")) && !Files.exists(Path.of("/etc/init.d/php8.3-fpm"))) {
            assertThat(f.get("php_fpm_service")).isEqualTo("php8.2-fpm");
            assertThat(f.get("php_fpm_version")).isEqualTo("8.2");
            Path pool = Path.of("/etc/php/8.2/fpm/pool.d/www.conf");
            if (Files.exists(pool)) {
                assertThat(f.get("php_fpm_pool_conf")).isEqualTo(pool.toString());
                assertThat(f.get("php_fpm_socket")).isEqualTo(Files.readAllLines(pool).stream()
                        .filter(l -> l.matches("\\s*listen\\s*=.*")).findFirst().orElseThrow()
                        .replaceFirst("\\s*listen\\s*=\\s*", "").strip());
            }
        } else if (ModuleLab.local("sh", "-c", "ls /etc/init.d/php*-fpm /usr/sbin/php-fpm* 2>/dev/null").isEmpty()) {
            assertThat(f.get("php_fpm_service")).isEqualTo("");
            assertThat(f.get("php_fpm_socket")).isEqualTo("");
        }
    }

    @Test
    void filterKeepsMatchingFactsOnly() throws Exception {
        Map<String, Object> f = facts(Map.of("filter", "ansible_distribution*"));
        assertThat(f.keySet()).isNotEmpty().allMatch(k -> k.startsWith("ansible_distribution"));
        assertThat(f).containsKeys("ansible_distribution", "ansible_distribution_version");
        assertThat(facts(Map.of("filter", List.of("php_fpm_service", "ansible_os_family"))))
                .containsOnlyKeys("php_fpm_service", "ansible_os_family");
    }

    @Test
    void parsePicksTheNewestPhpFpmAndItsSocketAndUbuntuNames() {
        String out = """
                hostname=web1.example.com
                fqdn=web1.example.com
                os_NAME="Ubuntu"
                os_ID=ubuntu
                os_ID_LIKE=debian
                os_VERSION_ID="24.04"
                os_VERSION_CODENAME=noble
                nproc=4
                mem_MemTotal=8000000
                mem_MemFree=1000000
                mem_MemAvailable=4000000
                mem_SwapTotal=0
                loadavg=0.50 0.25 0.10 1/100 1234
                df=/dev/sda1 ext4 1000 400 600 40% /
                df=tmpfs tmpfs 100 0 100 0% /run
                df=/dev/sdb1 xfs 2000 0 2000 0% /srv/my data
                svcmgr=systemd
                phpfpm=/lib/systemd/system/php8.1-fpm.service
                phpfpm=/lib/systemd/system/php8.3-fpm.service
                phpfpm=/usr/sbin/php-fpm8.3
                phpfpm=/usr/sbin/php-fpm7.4
                phppool=/etc/php/8.1/fpm/pool.d/www.conf /run/php/php8.1-fpm.sock
                phppool=/etc/php/8.3/fpm/pool.d/www.conf /run/php/php8.3-fpm.sock
                nginx=1
                """;
        Map<String, Object> f = SetupModule.parse(out);
        assertThat(f).containsEntry("ansible_hostname", "web1").containsEntry("ansible_distribution", "Ubuntu")
                .containsEntry("ansible_distribution_version", "24.04")
                .containsEntry("ansible_distribution_major_version", "24")
                .containsEntry("ansible_distribution_release", "noble").containsEntry("ansible_os_family", "Debian")
                .containsEntry("ansible_processor_vcpus", 4).containsEntry("ansible_memtotal_mb", 7812L)
                .containsEntry("ansible_service_mgr", "systemd").containsEntry("php_fpm_service", "php8.3-fpm")
                .containsEntry("php_fpm_version", "8.3")
                .containsEntry("php_fpm_pool_conf", "/etc/php/8.3/fpm/pool.d/www.conf")
                .containsEntry("php_fpm_socket", "/run/php/php8.3-fpm.sock").containsEntry("nginx_installed", true)
                .containsEntry("ansible_loadavg", Map.of("1m", 0.5, "5m", 0.25, "15m", 0.1));
        assertThat(f.get("ansible_mounts")).isEqualTo(List.of(
                Map.of("mount", "/", "device", "/dev/sda1", "fstype", "ext4", "size_total", 1024000L,
                        "size_available", 614400L, "block_size", 1024),
                Map.of("mount", "/srv/my data", "device", "/dev/sdb1", "fstype", "xfs", "size_total", 2048000L,
                        "size_available", 2048000L, "block_size", 1024)));
        assertThat(SetupModule.parse("hostname=x\nphpfpm=/etc/init.d/php8.10-fpm\nphpfpm=/etc/init.d/php8.9-fpm\n"))
                .containsEntry("php_fpm_service", "php8.10-fpm").containsEntry("php_fpm_pool_conf", "");
        assertThat(SetupModule.parse("hostname=x\n")).containsEntry("php_fpm_service", "")
                .containsEntry("nginx_installed", false);
    }

    private static Map<String, String> osRelease() throws Exception {
        Map<String, String> m = new java.util.HashMap<>();
        for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
            int eq = l.indexOf('=');
            if (eq > 0) m.put(l.substring(0, eq), l.substring(eq + 1).replaceAll("^\"|\"$", ""));
        }
        return m;
    }
}
