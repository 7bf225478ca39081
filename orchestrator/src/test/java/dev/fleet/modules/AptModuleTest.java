package dev.fleet.modules;

import static dev.fleet.modules.ModuleHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.fleet.result.TaskOutcome;
import dev.fleet.result.TaskStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * apt on an overlay lab host (the machine's root, written to an overlay): tiny packages built here with
 * dpkg-deb (fleet-a 1.0 and 2.0 with a conffile, fleet-lib, fleet-b depending on fleet-lib), a flat repository
 * copied into the host and its sources replaced by it alone, so apt never reaches the network.
 */
class AptModuleTest {
    @RegisterExtension
    static final ModuleLab host = ModuleLab.overlay();

    @TempDir
    static Path work;

    private final AptModule apt = new AptModule();

    @BeforeAll
    static void buildRepository() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-scanpackages")), "dpkg-dev (dpkg-scanpackages) needed");
        String script = """
                set -e
                package() {
                  root=build/$1_$2; mkdir -p "$root/DEBIAN" "$root/usr/share/$1"
                  echo "$1 $2" > "$root/usr/share/$1/version"
                  printf 'Package: %s\\nVersion: %s\\nArchitecture: all\\nMaintainer: fleet <f@example.invalid>\\n' \
                    "$1" "$2" > "$root/DEBIAN/control"
                  [ -z "$3" ] || echo "Depends: $3" >> "$root/DEBIAN/control"
                  echo "Description: fleet test package" >> "$root/DEBIAN/control"
                  if [ -n "$4" ]; then mkdir -p "$root/etc"; echo "setting=$2" > "$root/etc/$1.conf"
                    echo "/etc/$1.conf" > "$root/DEBIAN/conffiles"; fi
                  dpkg-deb --root-owner-group -Zgzip --build "$root" "repo/$1_$2_all.deb" > /dev/null
                }
                mkdir -p repo build
                package fleet-a 1.0 "" conffile
                package fleet-a 2.0 "" conffile
                package fleet-lib 1.0
                package fleet-b 1.0 fleet-lib
                cd repo && dpkg-scanpackages -m . > Packages 2>/dev/null && xz -k Packages
                """;
        Process p = new ProcessBuilder("sh", "-c", script).directory(work.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("repository built: " + out).isTrue();
    }

    /** A fresh host whose only apt source is the repository, in /srv (apt's _apt user cannot read /tmp dirs). */
    @BeforeEach
    void freshHost() throws Exception {
        host.reset();
        pointAptAt("file:/srv/fleet-repo");
        assertThat(host.exec("cp -r " + work.resolve("repo") + " /srv/fleet-repo").exitCode()).isZero();
    }

    private void pointAptAt(String uri) throws Exception {
        assertThat(host.exec("rm -f /etc/apt/sources.list.d/* /var/lib/apt/periodic/update-success-stamp && echo 'deb"
                + " [trusted=yes] " + uri + " ./' > /etc/apt/sources.list").exitCode()).isZero();
    }

    private String status(String pkg) throws Exception {
        return host.exec("dpkg-query -W -f='${db:Status-Status} ${Version}' " + pkg + " 2>/dev/null || echo none")
                .stdout().strip();
    }

    @Test
    void installsUpgradesRefusesADowngradeAndRemoves() throws Exception {
        assertThat(host.run(apt, args("update_cache", true)).status()).isEqualTo(TaskStatus.CHANGED);

        TaskOutcome checked = host.run(apt, args("name", "fleet-b"), true);
        assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(checked.stdout()).contains("Inst fleet-b");
        assertThat(status("fleet-b")).isEqualTo("none");

        TaskOutcome installed = host.run(apt, args("name", "fleet-b"));
        assertThat(installed.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(installed.data()).containsEntry("cache_updated", false).containsKey("cache_update_time");
        assertThat(status("fleet-b")).isEqualTo("installed 1.0");
        assertThat(status("fleet-lib")).isEqualTo("installed 1.0");
        assertThat(host.run(apt, args("name", "fleet-b")).status()).isEqualTo(TaskStatus.OK);

        assertThat(host.run(apt, args("name", "fleet-a=1.0")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(apt, args("name", "fleet-a")).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(apt, args("name", "fleet-a", "state", "latest")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-a")).isEqualTo("installed 2.0");
        assertThat(host.run(apt, args("name", "fleet-a", "state", "latest")).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome refused = host.run(apt, args("name", "fleet-a=1.0"));
        assertThat(refused.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(refused.msg()).contains("downgraded", "--allow-downgrades");
        assertThat(status("fleet-a")).isEqualTo("installed 2.0");
        assertThat(host.run(apt, args("name", "fleet-a=1.0", "allow_downgrade", true)).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-a")).isEqualTo("installed 1.0");

        assertThat(host.run(apt, args("name", "fleet-a", "state", "absent"), true).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-a")).isEqualTo("installed 1.0");
        assertThat(host.run(apt, args("name", "fleet-a", "state", "absent")).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-a")).isEqualTo("config-files 1.0");
        assertThat(host.run(apt, args("name", "fleet-a", "state", "absent")).status()).isEqualTo(TaskStatus.OK);
        assertThat(host.run(apt, args("name", "fleet-a", "state", "absent", "purge", true)).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-a")).isEqualTo("none");
        assertThat(host.exec("test -e /etc/fleet-a.conf").exitCode()).isNotZero();
    }

    @Test
    void autoremovesALeftoverDependencyAndNamesAMissingPackage() throws Exception {
        host.run(apt, args("update_cache", true, "name", "fleet-b"));
        host.run(apt, args("name", "fleet-b", "state", "absent"));
        assertThat(status("fleet-lib")).isEqualTo("installed 1.0");
        assertThat(host.run(apt, args("autoremove", true), true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-lib")).isEqualTo("installed 1.0");
        assertThat(host.run(apt, args("autoremove", true)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-lib")).isEqualTo("none");
        assertThat(host.run(apt, args("autoremove", true)).status()).isEqualTo(TaskStatus.OK);

        TaskOutcome missing = host.run(apt, args("name", "fleet-nonexistent"));
        assertThat(missing.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(missing.msg()).isEqualTo("No package matching 'fleet-nonexistent' is available");
        assertThatThrownBy(() -> host.run(apt, args("name", "fleet-a", "state", "installed")))
                .isInstanceOf(ModuleException.class).hasMessageContaining("state");
    }

    @Test
    void updatesTheCacheOverHttpUnlessItIsYoungerThanCacheValidTime() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Path f = work.resolve("repo").resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            byte[] body = f.startsWith(work.resolve("repo")) && Files.isRegularFile(f) ? Files.readAllBytes(f) : null;
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            pointAptAt("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            host.exec("touch -d '2 days ago' /var/lib/apt/lists");
            TaskOutcome first = host.run(apt, args("update_cache", true, "cache_valid_time", 3600));
            assertThat(first.status()).isEqualTo(TaskStatus.CHANGED);
            assertThat(first.data()).containsEntry("cache_updated", true);
            long time = ((Number) first.data().get("cache_update_time")).longValue();
            assertThat(time).isGreaterThan(System.currentTimeMillis() / 1000 - 600);

            TaskOutcome fresh = host.run(apt, args("update_cache", true, "cache_valid_time", 3600));
            assertThat(fresh.status()).isEqualTo(TaskStatus.OK);
            assertThat(fresh.data()).containsEntry("cache_updated", false).containsEntry("cache_update_time", time);

            TaskOutcome checked = host.run(apt, args("update_cache", true), true);
            assertThat(checked.status()).isEqualTo(TaskStatus.CHANGED);
            assertThat(host.exec("stat -c %Y /var/lib/apt/lists").stdout().strip()).isEqualTo(String.valueOf(time));

            assertThat(host.run(apt, args("name", "fleet-lib")).status()).isEqualTo(TaskStatus.CHANGED);
        } finally {
            server.stop(0);
        }
        TaskOutcome down = host.run(apt, args("update_cache", true, "update_cache_retries", 1));
        assertThat(down.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(down.msg()).startsWith("Failed to update apt cache: ");
    }

    @Test
    void installsADebFileOnce() throws Exception {
        host.run(apt, args("update_cache", true));
        String deb = "/srv/fleet-repo/fleet-b_1.0_all.deb";
        assertThat(host.run(apt, args("deb", deb), true).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-b")).isEqualTo("none");
        assertThat(host.run(apt, args("deb", deb)).status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(status("fleet-b")).isEqualTo("installed 1.0");
        assertThat(status("fleet-lib")).isEqualTo("installed 1.0");
        assertThat(host.run(apt, args("deb", deb)).status()).isEqualTo(TaskStatus.OK);

        host.run(apt, args("deb", "/srv/fleet-repo/fleet-a_2.0_all.deb"));
        TaskOutcome down = host.run(apt, args("deb", "/srv/fleet-repo/fleet-a_1.0_all.deb"));
        assertThat(down.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(down.msg()).contains("A later version is already installed");
    }

    @Test
    void waitsForAHeldDpkgLockUpToLockTimeout() throws Exception {
        host.run(apt, args("update_cache", true));
        Path locked = work.resolve("locked-" + System.nanoTime());
        String hold = "nohup python3 -c 'import fcntl, sys, time; f = open(\"/var/lib/dpkg/lock-frontend\", \"w\");"
                + " fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[1], \"w\").close(); time.sleep(float(sys.argv[2]))' "
                + locked + " %s > /dev/null 2>&1 < /dev/null & echo $!";
        String holder = host.exec(String.format(hold, "30")).stdout().strip();
        waitFor(locked);
        TaskOutcome refused = host.run(apt, args("name", "fleet-lib", "lock_timeout", 0));
        assertThat(refused.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(refused.msg()).contains("Could not get lock /var/lib/dpkg/lock-frontend");
        host.exec("kill " + holder + " || true"); // the holder this test started, by its id
        Files.delete(locked);

        host.exec(String.format(hold, "4"));
        waitFor(locked);
        long start = System.nanoTime();
        TaskOutcome waited = host.run(apt, args("name", "fleet-lib", "lock_timeout", 60));
        assertThat(waited.status()).isEqualTo(TaskStatus.CHANGED);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isGreaterThanOrEqualTo(2);
        assertThat(status("fleet-lib")).isEqualTo("installed 1.0");
    }

    private static void waitFor(Path file) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(file); i++) Thread.sleep(100);
        assertThat(file).exists();
    }

    @Test
    void packageInstallsThroughApt() throws Exception {
        host.run(apt, args("update_cache", true));
        PackageModule pkg = new PackageModule(apt);
        assertThat(host.run(pkg, args("name", List.of("fleet-a"), "state", "present")).status())
                .isEqualTo(TaskStatus.CHANGED);
        assertThat(host.run(pkg, args("name", List.of("fleet-a"), "state", "present")).status())
                .isEqualTo(TaskStatus.OK);
        assertThat(status("fleet-a")).isEqualTo("installed 2.0");
    }
}
