package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.fleet.result.TaskStatus;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportSinkTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String XSS = "<script>alert(1)</script>";

    @TempDir
    Path dir;

    private Path sample(int hosts) throws Exception {
        Path out = dir.resolve("report.html");
        var run = Results.sampleRun(hosts);
        run.feed(new HtmlReportSink(out));
        return out;
    }

    private static JsonObject data(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"fleet-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).isTrue();
        return new JsonObject(m.group(1));
    }

    @Test
    void headerSymptomsMatrixAndData() throws Exception {
        String html = Files.readString(sample(30));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<span id=\"playbook\">playbooks/nginx-502-recovery.yml</span>")
                .contains("start 2026-11-25T12:00:00Z");
        // 30 hosts: 3 unreachable (7, 17, 27), 9 failed (multiples of 3 not unreachable), the rest by the restart
        assertThat(html).contains("<b>30 hosts</b>", "3 unreachable</span>", "9 failed</span>");
        // symptom groups, largest first: the 9 socket failures, then the 3 unreachable
        int socket = html.indexOf("<td class=\"n\">9</td>");
        int unreach = html.indexOf("<td class=\"n\">3</td>");
        assertThat(socket).isPositive().isLessThan(unreach);
        assertThat(html).contains("connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory)")
                .contains("connect to &lt;ip&gt; (&lt;host&gt;) refused");
        // matrix: all tasks as columns, all hosts as rows, one cell each
        assertThat(html).contains("<span>Gather facts</span>", "<span>nginx config is valid</span>",
                "<span>Step 2 upstream socket</span>", "<span>Restart php-fpm</span>");
        String matrix = html.substring(html.indexOf("<table id=\"matrix\">"), html.indexOf("<div id=\"detail\""));
        assertThat(count(matrix, "<tr")).isEqualTo(31);
        assertThat(count(matrix, "<td")).isEqualTo(30 * 4);
        assertThat(matrix).contains("<tr class=bad><th>web03</th><td class=o></td><td class=o></td><td class=f></td><td></td></tr>")
                .contains("<tr class=bad><th>web07</th><td class=u></td><td></td><td></td><td></td></tr>")
                .contains("<tr><th>web05</th><td class=o></td><td class=o></td><td class=s></td><td class=o></td></tr>")
                .contains("<tr><th>web04</th><td class=o></td><td class=o></td><td class=o></td><td class=c></td></tr>");
        JsonObject d = data(html);
        assertThat(d.getJsonArray("hosts")).hasSize(30);
        assertThat(d.getJsonArray("tasks")).hasSize(4);
        var web03 = d.getJsonArray("results").getJsonArray(2);
        assertThat(web03.getJsonArray(2).getString(1)).isEqualTo("f");
        assertThat(web03.getJsonArray(2).getInteger(4)).isEqualTo(1);
        assertThat(web03.getJsonArray(2).getString(7)).contains("[crit] 93#93: *9 connect()");
        // no external resource of any kind
        assertThat(html).doesNotContain("http://", "https://", "src=", "href=");
    }

    @Test
    void everythingIsEscaped() throws Exception {
        Path out = dir.resolve("x.html");
        String host = "evil\"<b>";
        var run = new Results.Run("pb" + XSS + ".yml", List.of(host));
        run.play("play " + XSS, List.of(host));
        run.task("play " + XSS, "task " + XSS, "pb.yml:1:1", 1);
        run.result(Results.result(host, "play " + XSS, "task " + XSS, "pb.yml:1:1", TaskStatus.FAILED, 1,
                "out " + XSS + " </script><!-- &amp;", "err " + XSS, "msg " + XSS, false, 0, 10));
        run.endPlay("play " + XSS, "any_errors_fatal " + XSS);
        run.feed(new HtmlReportSink(out));
        String html = Files.readString(out);
        // the only script elements are fleet's own two
        assertThat(count(html, "<script")).isEqualTo(2);
        assertThat(count(html, "</script>")).isEqualTo(2);
        assertThat(html).doesNotContain("alert(1)</script>").doesNotContain("evil\"<b>").doesNotContain("<!--");
        assertThat(html).contains("<p class=\"warn\">play play &lt;script&gt;alert(1)&lt;/script&gt; aborted: "
                + "any_errors_fatal &lt;script&gt;alert(1)&lt;/script&gt;</p>");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("<th>evil&quot;&lt;b&gt;</th>")
                .contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e");
        // and the blob still decodes to the real text
        JsonObject d = data(html);
        var r = d.getJsonArray("results").getJsonArray(0).getJsonArray(0);
        assertThat(r.getString(6)).isEqualTo("out " + XSS + " </script><!-- &amp;");
        assertThat(d.getJsonArray("hosts").getString(0)).isEqualTo(host);
    }

    @Test
    void thousandHostsTimesTwentyTasksStaysSmall() throws Exception {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) hosts.add("host-" + i + ".dc1.example.com");
        var run = new Results.Run("big.yml", hosts);
        run.play("Big", hosts);
        for (int t = 0; t < 20; t++) {
            String task = "Task number " + t + " doing something useful";
            run.task("Big", task, "big.yml:" + (t * 5 + 3) + ":7", 1000);
            for (int h = 0; h < 1000; h++) {
                TaskStatus st = t == 19 && h % 10 == 0 ? TaskStatus.FAILED : t % 3 == 0 ? TaskStatus.CHANGED : TaskStatus.OK;
                run.result(Results.result(hosts.get(h), "Big", task, "big.yml:" + (t * 5 + 3) + ":7", st,
                        st == TaskStatus.FAILED ? 1 : 0, "some output line for " + hosts.get(h),
                        st == TaskStatus.FAILED ? "error: disk full on /dev/sda" + (h % 3) : "", "", false,
                        t * 1000L + h, 50 + (h % 200)));
            }
        }
        run.endPlay("Big");
        Path out = dir.resolve("big.html");
        long t0 = System.nanoTime();
        run.feed(new HtmlReportSink(out));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        long size = Files.size(out);
        System.out.println("1000x20 report: " + size + " bytes in " + ms + " ms");
        assertThat(size).as("bytes").isLessThan(4_000_000);
        assertThat(ms).as("ms to write").isLessThan(10_000);
        String html = Files.readString(out);
        assertThat(count(html, "<td")).isEqualTo(20_000 + 3 * 4); // + the symptom table's cells
        assertThat(html).contains("<td class=\"n\">34</td>"); // 100 failures in 3 symptoms: 34, 33, 33
    }

    @Test
    void rendersInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed");
        Path out = sample(30);
        // #r=2.2 opens web03's failed socket task, as a click on its cell would
        String dom = dumpDom(out.toUri() + "#r=2.2");
        assertThat(dom).contains("data-rendered=\"1\"");
        assertThat(dom).contains("<td class=\"f sel\"></td>");
        assertThat(count(dom, "<td class=\"o\"")).isGreaterThan(50);
        assertThat(count(dom, "class=\"bar ")).isEqualTo(30 + 27 + 27 + 18);
        String detail = dom.substring(dom.indexOf("<div id=\"detail\""));
        assertThat(detail).contains("web03 · Step 2 upstream socket").contains(">failed</span>")
                .contains("rc=1").contains("[crit] 93#93: *9 connect() to unix:/run/php/php8.3-fpm.sock failed");
        // restart output with markup shows as text, not as a script element
        dom = dumpDom(out.toUri() + "#r=3.3");
        assertThat(dom).contains("restarted &lt;script&gt;alert(1)&lt;/script&gt; &amp; done");
        assertThat(count(dom, "<script")).isEqualTo(2);
    }

    private String dumpDom(String url) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--dump-dom", url)
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish");
        }
        String dom = new String(out, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dom).as("chromium output; stderr: " + Files.readString(dir.resolve("chromium.err"))).contains("<table");
        return dom;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
        return n;
    }
}
