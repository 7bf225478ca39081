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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** package_facts against a real sshd on this machine: the packages are the ones dpkg lists here. */
class PackageFactsModuleTest {
    @TempDir
    static Path labDir;
    static ModuleHost host;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(dev.fleet.testing.SshdFixture.sshdAvailable(), "OpenSSH sshd not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-query")), "not a dpkg host");
        host = ModuleHost.start(labDir);
    }

    @AfterAll
    static void stop() {
        if (host != null) host.close();
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
        String listed = ModuleHost.local("sh", "-c", "dpkg-query -W -f '${db:Status-Abbrev} ${Package}\\n'"
                + " | awk '$1 !~ /^.[nc]/ { print $2 }'");
        TreeSet<String> names = new TreeSet<>(List.of(listed.split("\n")));
        assertThat(new TreeSet<>(packages.keySet().stream().map(k -> k.replaceAll(":.*", "")).toList()))
                .isEqualTo(names);
        Map<String, Object> bash = ((List<Map<String, Object>>) packages.get("bash")).get(0);
        assertThat(bash.get("version") + " " + bash.get("arch"))
                .isEqualTo(ModuleHost.local("dpkg-query", "-W", "-f", "${Version} ${Architecture}", "bash"));
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
