package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.history.RunMeta;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard, rendered by a real headless Chromium (skipped where /usr/bin/chromium is missing). */
class DashboardChromiumTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void theDashboardIsSelfContained() throws Exception {
        Path root = dir.resolve("srv");
        setUp(root);
        try (ServeHarness s = new ServeHarness(root, new MemoryRunStore(), "")) {
            HttpResponse<String> page = s.send("GET", "/", null, null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .contains("default-src 'none'");
            // no external URLs: nothing loaded from anywhere but this server (the SVG namespace is an identifier)
            assertThat(page.body().replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://")
                    .doesNotContain("https://").doesNotContain("//cdn");
            assertThat(page.body()).contains("sessionStorage").contains("access_token=").contains("EventSource");
        }
    }

    @Test
    void headlessChromiumRendersRunsAndTheScheduleTrend() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium not installed");
        Path root = dir.resolve("srv");
        setUp(root);
        MemoryRunStore store = new MemoryRunStore();
        Instant t = Instant.now().minus(Duration.ofDays(3));
        store.add("20250101T010000Z-aaaaaaa1", new RunMeta("ok.yml", "lab.ini", null, "schedule:nightly", false),
                "failed", t, 2);
        store.add("20250102T010000Z-aaaaaaa2", new RunMeta("ok.yml", "lab.ini", null, "schedule:nightly", false),
                "ok", t.plus(Duration.ofDays(1)), 0);
        store.add("20250103T010000Z-aaaaaaa3", new RunMeta("ok.yml", "lab.ini", "web", "api", false),
                "failed", t.plus(Duration.ofDays(2)), 1);
        try (ServeHarness s = new ServeHarness(root, store, """
                schedules:
                  - {name: nightly, cron: "0 2 * * *", time_zone: Europe/Berlin, playbook: ok.yml, inventory: lab.ini}
                """)) {
            Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
            List<String> cmd = List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                    "http://127.0.0.1:" + s.port + "/#token=" + ServeHarness.TOKEN);
            Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String dom = new String(out, StandardCharsets.UTF_8);
            assertThat(dom).as(Files.readString(dir.resolve("chromium.err")))
                    .contains("data-id=\"20250103T010000Z-aaaaaaa3\"");
            assertThat(dom).contains("data-id=\"20250101T010000Z-aaaaaaa1\"").contains("schedule:nightly");
            assertThat(dom).contains("id=\"conn\" class=\"muted\">connected<");
            // the health trend: one bar per run of the schedule, the failed one red
            assertThat(dom).contains("data-name=\"nightly\"").contains("data-run=\"20250101T010000Z-aaaaaaa1\"")
                    .contains("fill=\"#c62828\"").contains("data-run=\"20250102T010000Z-aaaaaaa2\"");
            // the token went to sessionStorage, not into the URL the page kept
            assertThat(dom).doesNotContain(ServeHarness.TOKEN);
        }
    }

    static void setUp(Path root) throws Exception {
        Files.createDirectories(root.resolve("playbooks"));
        Files.createDirectories(root.resolve("inventory"));
        Files.writeString(root.resolve("playbooks/ok.yml"),
                "- hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n");
        Files.writeString(root.resolve("inventory/lab.ini"), "[lab]\n");
    }
}
