package dev.fleet.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleSinkSymptomsTest {
    private static String console(Results.Run run, int verbosity) throws Exception {
        StringWriter sw = new StringWriter();
        run.feed(new ConsoleSink(new PrintWriter(sw), false, verbosity));
        return sw.toString();
    }

    @Test
    void manyFailingHostsAreGroupedBySymptomLargestFirst() throws Exception {
        String out = console(Results.sampleRun(30), 0);
        String verdict = out.substring(out.indexOf("30 hosts:"));
        assertThat(verdict).contains("symptoms (2 groups, largest first):")
                .contains("  9 hosts: Step 2 upstream socket: non-zero return code: <time> [crit] <pid>#<tid>: *<conn> connect() to unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory)")
                .contains("    failed at playbooks/nginx-502-recovery.yml:24:7 on web03, web06, web09, web12, web15, web18, web21, web24, ... (1 more)")
                .contains("  3 hosts: Gather facts: connect to <ip> (<host>) refused")
                .doesNotContain("failed: web03 at TASK");
        assertThat(verdict.indexOf("9 hosts:")).isLessThan(verdict.indexOf("3 hosts:"));
    }

    @Test
    void verboseShowsBothGroupsAndHostLines() throws Exception {
        String out = console(Results.sampleRun(30), 1);
        String verdict = out.substring(out.indexOf("30 hosts:"));
        assertThat(verdict).contains("symptoms (2 groups").contains("failed: web03 at TASK [Step 2 upstream socket]");
    }

    @Test
    void fewFailingHostsKeepTheirOwnLines() throws Exception {
        String out = console(Results.sampleRun(10), 0); // web03, web06, web09 failed, web07 unreachable
        assertThat(out).doesNotContain("symptoms (")
                .contains("  failed: web03 at TASK [Step 2 upstream socket] playbooks/nginx-502-recovery.yml:24:7: "
                        + "non-zero return code: 2026/11/25 12:56:03 [crit] 93#93: *9 connect()")
                .contains("  unreachable: web07 at TASK [Gather facts]");
    }

    @Test
    void moreThanTenGroupsEndWithACount() throws Exception {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 14; i++) hosts.add("h" + i);
        var run = new Results.Run("pb.yml", hosts);
        run.play("p", hosts);
        for (int i = 0; i < 14; i++) {
            run.result(Results.failed("h" + i, "task " + i, "", "distinct error number " + (char) ('a' + i)));
        }
        run.endPlay("p");
        String out = console(run, 0);
        assertThat(out).contains("symptoms (14 groups").contains("  ... 4 more groups (4 hosts)");
        assertThat(out.lines().filter(l -> l.startsWith("  1 host: task "))).hasSize(10);
    }
}
