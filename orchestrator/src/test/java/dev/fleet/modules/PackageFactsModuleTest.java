package dev.fleet.modules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** package_facts against a real sshd on this machine: the packages are the ones dpkg lists here. */
class PackageFactsModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.plain();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-query")), "not a dpkg host");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> packages(TaskOutcome o) {
        return (Map<String, Object>) ((Map<String, Object>) o.data().get("ansible_facts")).get("packages");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyInstalledPackageWithDpkgsVersionAndArchitecture() throws Exception {
        TaskOutcome o = host.run(new PackageFactsModule(), Map.of("manager", List.of("apt")));
        assertThat(o.status()).as(o.msg()).isEqualTo(TaskStatus.OK);
        Map<String, Object> packages = packages(o);
        String listed = ModuleLab.local("sh", "-c", "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n'"
                + " | awk '$1 !~ /^.[nc]/ { print $2 }'");
        TreeSet<String> names = new TreeSet<>(List.of(listed.split("\n")));
        assertThat(new TreeSet<>(packages.keySet().stream().map(k -> k.replaceAll(":.*", "")).toList()))
                .isEqualTo(names);
        Map<String, Object> bash = ((List<Map<String, Object>>) packages.get("bash")).get(0);
        assertThat(bash.get("version") + " " + bash.get("arch"))
                .isEqualTo(ModuleLab.local("dpkg-query", "-W", "-f", "${Version} ${Architecture}", "bash"));
        assertThat(bash).containsEntry("name", "bash").containsEntry("source", "apt")
                .containsKeys("category", "origin");
    }

    @Test
    void aManagerThisHostDoesNotHaveFails() throws Exception {
        TaskOutcome o = host.run(new PackageFactsModule(), Map.of("manager", List.of("pacman")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Could not detect a supported package manager");
    }
}
