package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import dev.fleet.testing.FakeHostSession;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code apt} and {@code package} against an in-memory host: the probe (dpkg-query + apt-cache policy) is
 * scripted, and the tests look at which apt-get commands run and what the results say.
 */
class AptHostFreeTest {
    private final FakeHostSession host = new FakeHostSession("web1");

    /** The probe's answer for one package: dpkg status line (or none) and apt-cache policy's output. */
    private static String pkg(String name, String status, String installed, String candidate, String... versions) {
        StringBuilder s = new StringBuilder("@@pkg " + name + "\n");
        if (status != null) s.append("@@status ").append(status).append(' ').append(installed).append('\n');
        if (versions.length == 0) return s.toString();
        s.append(name).append(":\n  Installed: ").append(installed == null || !"installed".equals(status)
                ? "(none)" : installed).append("\n  Candidate: ").append(candidate == null ? "(none)" : candidate)
                .append("\n  Version table:\n");
        for (String v : versions) {
            s.append(v.equals(installed) && "installed".equals(status) ? " *** " : "     ").append(v).append(" 500\n")
                    .append("        500 file:/srv/fleet-repo ./ Packages\n");
        }
        return s.toString();
    }

    private void probe(String... packages) {
        host.when(c -> c.contains("@@pkg"), c -> FakeHostSession.result(0, String.join("", packages), ""));
    }

    /** The lists were updated {@code age} seconds before the host's clock. */
    private void cacheAge(long age) {
        host.when(c -> c.contains("update-success-stamp"), c -> FakeHostSession.result(0,
                (1_000_000 - age) + ".5\n1000000.5\n", ""));
    }

    private List<String> aptGet() {
        return host.commands().stream().filter(c -> c.contains("apt-get ") || c.contains("apt-mark "))
                .map(c -> c.substring(c.indexOf(":/sbin\"; ") + 9)).toList();
    }

    private TaskOutcome apt(Object... kv) throws Exception {
        return ModuleHarness.run(host, "apt", args(kv));
    }

    private static final String OPTS = "-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold";

    @Test
    void installsAPackageThatIsNotInstalledAndMarksItManual() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0", "1.0"));
        TaskOutcome o = apt("name", "fleet-a");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).containsExactly("apt-get -y " + OPTS + " install fleet-a=2.0",
                "apt-mark manual fleet-a");
        assertThat(o.data()).containsEntry("cache_updated", false).containsEntry("cache_update_time", 999_990L);
        assertThat(host.commandsContaining("apt-get")).allMatch(c -> c.startsWith("export DEBIAN_FRONTEND="
                + "noninteractive DEBIAN_PRIORITY=critical LANG=C LC_ALL=C"));
    }

    @Test
    void anInstalledPackageIsLeftAloneByPresentAndUpgradedByLatest() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", "installed", "1.0", "2.0", "2.0", "1.0"));
        TaskOutcome present = apt("name", "fleet-a");
        assertThat(present.status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).containsExactly("apt-mark manual fleet-a");
        TaskOutcome latest = apt("name", "fleet-a", "state", "latest");
        assertThat(latest.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).contains("apt-get -y " + OPTS + " install fleet-a=2.0");
    }

    @Test
    void aVersionPatternPicksTheNewestMatchingVersion() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0", "1.5", "1.0"));
        apt("name", "fleet-a=1.*");
        assertThat(aptGet()).first().isEqualTo("apt-get -y " + OPTS + " install fleet-a=1.5");
    }

    @Test
    void atLeastAVersionIsSatisfiedByANewerInstalledOne() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", "installed", "2.0", "2.0", "2.0", "1.0"));
        assertThat(apt("name", "fleet-a>=1.5").status()).isEqualTo(TaskStatus.OK);
        probe(pkg("fleet-a", "installed", "1.0", "2.0", "2.0", "1.0"));
        assertThat(apt("name", "fleet-a>=1.5").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).contains("apt-get -y " + OPTS + " install fleet-a=2.0");
    }

    @Test
    void aDowngradeIsPassedToAptGetWhichRefusesItWithoutAllowDowngrade() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", "installed", "2.0", "2.0", "2.0", "1.0"));
        host.on("install fleet-a=1.0", 100, "The following packages will be DOWNGRADED:\n",
                "E: Packages were downgraded and -y was used without --allow-downgrades.\n");
        TaskOutcome o = apt("name", "fleet-a=1.0");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.rc()).isEqualTo(100);
        assertThat(o.msg()).isEqualTo("'apt-get -y " + OPTS + " install fleet-a=1.0' failed: E: Packages were"
                + " downgraded and -y was used without --allow-downgrades.\n");
        host.on("--allow-downgrades", 0, "1 downgraded\n");
        assertThat(apt("name", "fleet-a=1.0", "allow_downgrade", true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).contains("apt-get -y " + OPTS + " install fleet-a=1.0 --allow-downgrades");
    }

    @Test
    void checkModeSimulatesAndMarksNothing() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0"));
        TaskOutcome o = ModuleHarness.check(host, "apt", args("name", "fleet-a"));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).containsExactly("apt-get -y " + OPTS + " --simulate install fleet-a=2.0");
    }

    @Test
    void aPackageNoRepositoryHasIsAnError() throws Exception {
        cacheAge(10);
        probe("@@pkg fleet-nope\n");
        TaskOutcome o = apt("name", "fleet-nope");
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("No package matching 'fleet-nope' is available");
        assertThat(aptGet()).isEmpty();
    }

    @Test
    void aVersionNoRepositoryHasHasNoCandidate() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0", "1.0"));
        assertThat(apt("name", "fleet-a=9.9").msg()).isEqualTo("no available installation candidate for fleet-a=9.9");
    }

    @Test
    void nameWildcardsExpandToTheKnownPackages() throws Exception {
        cacheAge(10);
        host.on("apt-cache pkgnames", 0, "fleet-b\nfleet-a\nother\nfleet-a:i386\n");
        probe(pkg("fleet-a", "installed", "2.0", "2.0", "2.0"), pkg("fleet-b", null, null, "1.0", "1.0"));
        apt("name", "fleet-*");
        assertThat(aptGet()).first().isEqualTo("apt-get -y " + OPTS + " install fleet-b=1.0");
        host.on("apt-cache pkgnames", 0, "other\n");
        assertThat(apt("name", "fleet-*").msg()).isEqualTo("No package(s) matching 'fleet-*' available");
    }

    @Test
    void absentRemovesWhatIsInstalledAndPurgesLeftoverConfiguration() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", "installed", "2.0", "2.0", "2.0"), pkg("fleet-b", "config-files", "1.0", "1.0", "1.0"),
                "@@pkg fleet-nope\n");
        TaskOutcome o = apt("name", List.of("fleet-a", "fleet-b", "fleet-nope"), "state", "absent");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).doesNotContainKey("cache_updated");
        assertThat(aptGet()).containsExactly("apt-get -q -y " + OPTS + " remove fleet-a");
        apt("name", List.of("fleet-a", "fleet-b"), "state", "absent", "purge", true);
        assertThat(aptGet()).contains("apt-get -q -y " + OPTS + " --purge remove fleet-a fleet-b");
    }

    @Test
    void absentOfAPackageThatIsNotInstalledChangesNothing() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0"));
        assertThat(apt("name", "fleet-a", "state", "absent").status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).isEmpty();
    }

    @Test
    void updateCacheRunsWhenTheListsAreOlderThanCacheValidTime() throws Exception {
        cacheAge(7200);
        TaskOutcome stale = apt("update_cache", true, "cache_valid_time", 3600);
        assertThat(aptGet()).containsExactly("apt-get update -q");
        // The fake's clock does not move, so the lists' mtime is the same afterwards: not updated.
        assertThat(stale.data()).containsEntry("cache_updated", false).containsEntry("cache_update_time", 992_800L);
        cacheAge(60);
        TaskOutcome fresh = apt("update_cache", true, "cache_valid_time", 3600);
        assertThat(fresh.status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).containsExactly("apt-get update -q");
    }

    @Test
    void updateCacheInCheckModeReportsAnUpdateAndRunsNone() throws Exception {
        cacheAge(1);
        TaskOutcome o = ModuleHarness.check(host, "apt", args("update_cache", true));
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(o.data()).containsEntry("cache_updated", true);
        assertThat(aptGet()).isEmpty();
    }

    @Test
    void aFailedUpdateIsRetriedThenReported() throws Exception {
        cacheAge(7200);
        host.on("apt-get update", 100, "", "E: Failed to fetch http://127.0.0.1:1/./InRelease\n");
        TaskOutcome o = apt("update_cache", true, "update_cache_retries", 2, "update_cache_retry_max_delay", 0);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).isEqualTo("Failed to update apt cache: E: Failed to fetch http://127.0.0.1:1/./InRelease");
        assertThat(aptGet()).hasSize(2);
    }

    @Test
    void aHeldLockIsWaitedForUpToLockTimeout() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0"));
        AtomicInteger attempts = new AtomicInteger();
        host.when(c -> c.contains(" install fleet-a"), c -> attempts.incrementAndGet() < 3
                ? FakeHostSession.result(100, "", "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by"
                        + " process 42 (apt-get)\n")
                : FakeHostSession.result(0, "1 newly installed\n", ""));
        assertThat(apt("name", "fleet-a", "lock_timeout", 10).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(attempts).hasValue(3);

        attempts.set(0);
        TaskOutcome o = apt("name", "fleet-a", "lock_timeout", 0);
        assertThat(o.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(o.msg()).contains("Could not get lock");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void policyRcDIsInPlaceWhilePackagesChange() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0"));
        apt("name", "fleet-a", "policy_rc_d", 101);
        String install = host.commandsContaining(" install fleet-a").get(0);
        assertThat(install).contains("p=/usr/sbin/policy-rc.d", "exit 101", "mv \"$b/policy-rc.d\" \"$p\"");
    }

    @Test
    void upgradeDistAndAllLatestUseAptGet() throws Exception {
        cacheAge(10);
        host.on("dist-upgrade", 0, "Reading state information...\n1 upgraded, 0 newly installed, 0 to remove\n");
        TaskOutcome o = apt("upgrade", "dist");
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).containsExactly("apt-get -y " + OPTS + " dist-upgrade");
        host.on("upgrade --with-new-pkgs", 0, "Reading state information...\n0 upgraded, 0 newly installed\n");
        assertThat(apt("name", "*", "state", "latest").status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).contains("apt-get -y " + OPTS + " upgrade --with-new-pkgs");
    }

    @Test
    void autoremoveAloneIsChangedOnlyWhenSomethingIsRemoved() throws Exception {
        cacheAge(10);
        host.on("autoremove", 0, "The following packages will be REMOVED:\n  fleet-lib\n");
        assertThat(apt("autoremove", true).status()).isEqualTo(TaskStatus.CHANGED);
        host.on("autoremove", 0, "0 upgraded, 0 newly installed, 0 to remove\n");
        assertThat(apt("autoremove", true).status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).containsExactly("apt-get -y " + OPTS + " autoremove",
                "apt-get -y " + OPTS + " autoremove");
    }

    @Test
    void debInstallsAFileUnlessTheSameVersionIsInstalled() throws Exception {
        cacheAge(10);
        host.on("dpkg-deb -f", 0, "Package: fleet-a\nVersion: 1.0\nArchitecture: all\n");
        host.on("dpkg-query -W", 0, "installed 1.0");
        assertThat(apt("deb", "/srv/fleet-a_1.0_all.deb").status()).isEqualTo(TaskStatus.OK);
        assertThat(aptGet()).isEmpty();
        host.on("dpkg-query -W", 0, "installed 2.0");
        TaskOutcome down = apt("deb", "/srv/fleet-a_1.0_all.deb");
        assertThat(down.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(down.msg()).contains("A later version is already installed");
        host.on("dpkg-query -W", 1, "");
        assertThat(apt("deb", "/srv/fleet-a_1.0_all.deb").status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).containsExactly("apt-get -y " + OPTS + " install /srv/fleet-a_1.0_all.deb");
        assertThat(apt("deb", "/srv/fleet-a_1.0_all.deb", "state", "absent").msg())
                .isEqualTo("deb only supports state=present");
    }

    @Test
    void argumentErrorsNameTheArgument() throws Exception {
        assertThat(ModuleHarness.rejection(host, "apt", args("name", "fleet-a", "deb", "/x.deb")))
                .contains("mutually exclusive").contains("deb").contains("package");
        assertThat(ModuleHarness.rejection(host, "apt", args("name", "fleet-a", "state", "installed")))
                .contains("state").contains("installed");
        assertThat(ModuleHarness.rejection(host, "apt", args("upgrade", "everything"))).contains("upgrade");
        assertThat(ModuleHarness.rejection(host, "apt", args("name", "fleet-a", "lock_timeout", "soon")))
                .contains("lock_timeout");
        cacheAge(10);
        assertThat(apt("name", "fleet-a=1=2").msg()).isEqualTo("invalid package spec: fleet-a=1=2");
    }

    @Test
    void packageHandsItsArgumentsToApt() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", null, null, "2.0", "2.0"));
        TaskOutcome o = ModuleHarness.task("package", args("name", "fleet-a", "state", "present"))
                .vars(Map.of("ansible_facts", Map.of("pkg_mgr", "apt"))).on(host);
        assertThat(o.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(aptGet()).first().isEqualTo("apt-get -y " + OPTS + " install fleet-a=2.0");
        assertThat(host.commandsContaining("command -v apt-get")).isEmpty();
    }

    @Test
    void packageDetectsAptWithoutFactsAndRefusesOtherManagers() throws Exception {
        cacheAge(10);
        probe(pkg("fleet-a", "installed", "2.0", "2.0", "2.0"));
        host.on("command -v apt-get", 0, "apt\n");
        assertThat(ModuleHarness.run(host, "package", args("name", "fleet-a", "state", "present")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(ModuleHarness.run(host, "package", args("name", "fleet-a", "use", "dnf")).msg())
                .isEqualTo("Could not find a module for dnf.");
        host.on("command -v apt-get", 1, "");
        assertThat(ModuleHarness.run(host, "package", args("name", "fleet-a")).msg())
                .startsWith("Could not detect which package manager to use");
    }

    @Test
    void policyOutputIsParsed() {
        Map<String, AptPackages.State> s = AptPackages.parse(pkg("fleet-a", "installed", "1.0", "2.0", "2.0", "1.0")
                + "@@pkg virtual\nvirtual:\n  Installed: (none)\n  Candidate: (none)\n  Version table:\n");
        assertThat(s.get("fleet-a").versions()).containsExactly("2.0", "1.0");
        assertThat(s.get("fleet-a").installed()).isEqualTo("1.0");
        assertThat(s.get("fleet-a").candidate()).isEqualTo("2.0");
        assertThat(s.get("virtual").known()).isFalse();
    }

    @Test
    void debianVersionsCompareAsDpkgDoes() {
        assertThat(DebianVersion.compare("1.0", "1.0")).isZero();
        assertThat(DebianVersion.compare("2.0", "1.10")).isPositive();
        assertThat(DebianVersion.compare("1.10", "1.9")).isPositive();
        assertThat(DebianVersion.compare("1.0~rc1", "1.0")).isNegative();
        assertThat(DebianVersion.compare("1:0.1", "9.9")).isPositive();
        assertThat(DebianVersion.compare("1.0-2", "1.0-10")).isNegative();
        assertThat(DebianVersion.compare("1.0a", "1.0+")).isNegative();
        assertThat(DebianVersion.compare("1.0", "1.0-0")).isZero();
    }

    @Test
    void theDiffIsAptGetsReport() {
        assertThat(AptModule.prepared("Reading package lists...\nReading state information...\nThe following NEW"
                + " packages will be installed:\n  fleet-a\n0 upgraded, 1 newly installed, 0 to remove\nGet:1 x\n"))
                .isEqualTo("The following NEW packages will be installed:\n  fleet-a\n0 upgraded, 1 newly installed,"
                        + " 0 to remove");
    }
}
