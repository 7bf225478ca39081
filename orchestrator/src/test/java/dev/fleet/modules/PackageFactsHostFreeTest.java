package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code package_facts} against an in-memory host: one command whose sections are what dpkg-query,
 * {@code apt-get indextargets}, {@code apt-cache policy} and the package indexes print on a Debian host.
 */
class PackageFactsHostFreeTest {
    private static final String BOOKWORM = "http://deb.debian.org/debian bookworm/main amd64 Packages";
    private static final String SECURITY = "http://deb.debian.org/debian-security bookworm-security/main amd64"
            + " Packages";
    private static final String ANSWER = "@@ arch amd64\n"
            + "@@ installed\n"
            + "ii \tacl\tacl\tamd64\t2.3.1-3\tutils\n"
            + "ii \tjavascript-common\tjavascript-common\tall\t11+nmu1\tweb\n"
            + "ii \tlibssl3:amd64\tlibssl3\tamd64\t3.0.19-1~deb12u2\tlibs\n"
            + "ii \tlibc6:i386\tlibc6\ti386\t2.36-9+deb12u10\tlibs\n"
            + "rc \told-tool\told-tool\tamd64\t1.0-1\tutils\n"
            + "iU \thalf-done\thalf-done\tamd64\t0.1-1\tmisc\n"
            + "@@ sources\n"
            + BOOKWORM + "\tDebian\t/var/lib/apt/lists/bookworm_Packages.lz4\n"
            + SECURITY + "\tDebian\t/var/lib/apt/lists/security_Packages.lz4\n"
            + "@@ policy\n"
            + "acl:\n  Installed: 2.3.1-3\n  Candidate: 2.3.1-3\n  Version table:\n"
            + " *** 2.3.1-3 500\n        500 " + BOOKWORM + "\n        100 /var/lib/dpkg/status\n"
            + "javascript-common:\n  Installed: 11+nmu1\n  Candidate: 11+nmu1\n  Version table:\n"
            + " *** 11+nmu1 500\n        500 " + BOOKWORM + "\n        100 /var/lib/dpkg/status\n"
            + "libssl3:\n  Installed: 3.0.19-1~deb12u2\n  Candidate: 3.0.22-1~deb12u2\n  Version table:\n"
            + "     3.0.22-1~deb12u2 500\n        500 " + SECURITY + "\n"
            + " *** 3.0.19-1~deb12u2 100\n        100 /var/lib/dpkg/status\n"
            + "libc6:i386:\n  Installed: 2.36-9+deb12u10\n  Candidate: 2.36-9+deb12u10\n  Version table:\n"
            + " *** 2.36-9+deb12u10 500\n        500 " + SECURITY + "\n        100 /var/lib/dpkg/status\n"
            + "half-done:\n  Installed: 0.1-1\n  Candidate: 0.1-1\n  Version table:\n"
            + " *** 0.1-1 100\n        100 /var/lib/dpkg/status\n"
            + "@@ show\n"
            + "Package: acl\nArchitecture: amd64\nVersion: 2.3.1-3\nSection: utils\n\n"
            + "Package: javascript-common\nArchitecture: all\nVersion: 11+nmu1\nSection: javascript\n\n"
            + "Package: libc6\nArchitecture: i386\nVersion: 2.36-9+deb12u10\nSection: libs\n\n";

    private final FakeHostSession host = new FakeHostSession("web1");

    private static Map<String, Object> pkg(String name, String version, String arch, String category,
            String origin) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("name", name);
        m.put("version", version);
        m.put("arch", arch);
        m.put("category", category);
        m.put("origin", origin);
        m.put("source", "apt");
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> packages(TaskOutcome o) {
        return (Map<String, Object>) ((Map<String, Object>) o.data().get("ansible_facts")).get("packages");
    }

    private boolean isScript(String command) {
        return FakeFiles.script(command).contains("dpkg-query");
    }

    @Test
    void installedPackagesInAptsShape() throws Exception {
        host.when(this::isScript, c -> FakeHostSession.result(0, ANSWER, ""));
        TaskOutcome o = ModuleHarness.run(host, "package_facts", args());
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(packages(o)).containsExactly(
                Map.entry("acl", List.of(pkg("acl", "2.3.1-3", "amd64", "utils", "Debian"))),
                // the archive's section wins over dpkg's
                Map.entry("javascript-common",
                        List.of(pkg("javascript-common", "11+nmu1", "all", "javascript", "Debian"))),
                // a version only dpkg's status file has: no origin, dpkg's section
                Map.entry("libssl3", List.of(pkg("libssl3", "3.0.19-1~deb12u2", "amd64", "libs", ""))),
                // a foreign architecture is part of the name
                Map.entry("libc6:i386", List.of(pkg("libc6:i386", "2.36-9+deb12u10", "i386", "libs", "Debian"))),
                // unpacked but not configured is installed; config-files only (rc) is not
                Map.entry("half-done", List.of(pkg("half-done", "0.1-1", "amd64", "misc", ""))));
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void withoutAptCacheDpkgsDataIsUsed() throws Exception {
        host.when(this::isScript, c -> FakeHostSession.result(0, "@@ arch amd64\n@@ installed\n"
                + "ii \tjavascript-common\tjavascript-common\tall\t11+nmu1\tweb\n", ""));
        assertThat(packages(ModuleHarness.run(host, "package_facts", args("manager", List.of("apt")))))
                .containsExactly(Map.entry("javascript-common",
                        List.of(pkg("javascript-common", "11+nmu1", "all", "web", ""))));
    }

    @Test
    void aHostWithoutDpkgHasNoUsableManager() throws Exception {
        host.when(this::isScript, c -> FakeHostSession.result(0, "@@ none\n", ""));
        TaskOutcome o = ModuleHarness.run(host, "package_facts", args());
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Could not detect a supported package manager from the following list:"
                + " ['rpm', 'apt', 'pacman', 'pkg', 'portage', 'apk', 'pkg_info'], or the required Python library is"
                + " not installed. Check warnings for details.");
    }

    @Test
    void aKnownManagerFleetDoesNotReadIsUnusableWithAWarning() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "package_facts", args("manager", List.of("rpm")));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).startsWith("Could not detect a supported package manager from the following list:"
                + " ['rpm'],");
        assertThat(o.data().get("warnings")).isEqualTo(List.of("Requested package manager rpm was not usable by"
                + " this module: fleet reads apt (dpkg) hosts only"));
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void strategyFirstStopsAtTheFirstUsableManager() throws Exception {
        host.when(this::isScript, c -> FakeHostSession.result(0, ANSWER, ""));
        TaskOutcome o = ModuleHarness.run(host, "package_facts", args("manager", List.of("apt", "auto")));
        assertThat(o.status()).isEqualTo(TaskStatus.OK);
        assertThat(host.commands()).hasSize(1);
    }

    @Test
    void anUnknownManagerIsRefusedByName() throws Exception {
        TaskOutcome o = ModuleHarness.run(host, "package_facts", args("manager", "dpkg"));
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Unsupported package managers requested: dpkg");
        assertThat(host.commands()).isEmpty();
    }

    @Test
    void aBadStrategyIsRefused() throws Exception {
        assertThat(ModuleHarness.rejection(host, "package_facts", args("strategy", "last")))
                .contains("argument 'strategy' must be one of [first, all], got 'last'");
    }

    @Test
    void theOneCommandQuotesNothingFromTheTask() throws Exception {
        host.when(this::isScript, c -> FakeHostSession.result(0, ANSWER, ""));
        ModuleHarness.check(host, "package_facts", args());
        assertThat(FakeFiles.script(host.commands().get(0))).contains("dpkg-query -W", "apt-cache policy",
                "apt-get indextargets");
    }
}
