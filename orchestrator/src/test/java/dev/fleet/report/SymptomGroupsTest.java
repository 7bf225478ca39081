package dev.fleet.report;

import static dev.fleet.report.Results.failed;
import static dev.fleet.report.Results.result;
import static dev.fleet.report.Results.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskResult;
import dev.fleet.result.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SymptomGroupsTest {
    private static final String SOCKET_TASK = "Step 2 upstream socket";

    private static String nginxSocket(int pid, int conn, String time, String client, String host, String addr) {
        return time + " [crit] " + pid + "#" + pid + ": *" + conn + " connect() to unix:/run/php/php8.3-fpm.sock failed "
                + "(2: No such file or directory) while connecting to upstream, client: " + client + ", server: " + host
                + ".example.com, request: \"GET / HTTP/1.1\", upstream: \"fastcgi://unix:/run/php/php8.3-fpm.sock:\", "
                + "host: \"" + addr + "\"";
    }

    private static String norm(String s, String host) {
        return SymptomGroups.normalize(s, host, null);
    }

    @Test
    void nginxUpstreamErrorsDifferingOnlyInPidTimeAddressAndConnectionGroupTogether() {
        var a = failed("web01", SOCKET_TASK, "non-zero return code",
                nginxSocket(95, 23, "2026/11/25 12:56:53", "10.0.0.5", "web01", "10.0.1.11"));
        var b = failed("web02", SOCKET_TASK, "non-zero return code",
                nginxSocket(1021, 7, "2026/11/26 01:02:03", "192.168.7.200", "web02", "10.0.1.12"));
        List<SymptomGroups.Group> groups = SymptomGroups.of(List.of(a, b));
        assertThat(groups).hasSize(1);
        var g = groups.get(0);
        assertThat(g.hosts()).containsExactly("web01", "web02");
        assertThat(g.count()).isEqualTo(2);
        assertThat(g.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(g.task()).isEqualTo(SOCKET_TASK);
        assertThat(g.source()).isEqualTo(a.source());
        assertThat(g.message()).isEqualTo("non-zero return code: <time> [crit] <pid>#<tid>: *<conn> connect() to "
                + "unix:/run/php/php8.3-fpm.sock failed (2: No such file or directory) while connecting to upstream, "
                + "client: <ip>, server: <host>.example.com, request: \"GET / HTTP/1.1\", upstream: "
                + "\"fastcgi://unix:/run/php/php8.3-fpm.sock:\", host: \"<ip>\"");
        assertThat(g.example()).contains("95#95: *23").contains("10.0.0.5");
        assertThat(g.line()).startsWith("2 hosts: Step 2 upstream socket: non-zero return code: <time> [crit]");
    }

    @Test
    void differentErrorsDoNotGroup() {
        var noSocket = failed("web01", SOCKET_TASK, "", nginxSocket(95, 23, "2026/11/25 12:56:53", "10.0.0.5", "web01", "10.0.1.11"));
        var denied = failed("web02", SOCKET_TASK, "", "2026/11/25 12:56:53 [crit] 96#96: *24 connect() to "
                + "unix:/run/php/php8.3-fpm.sock failed (13: Permission denied) while connecting to upstream, client: 10.0.0.6");
        var otherSocket = failed("web03", SOCKET_TASK, "", nginxSocket(97, 25, "2026/11/25 12:56:54", "10.0.0.7", "web03", "10.0.1.13")
                .replace("php8.3", "php8.2"));
        var otherTask = failed("web04", "Step 3 php-fpm running", "", nginxSocket(98, 26, "2026/11/25 12:56:55", "10.0.0.8", "web04", "10.0.1.14"));
        assertThat(SymptomGroups.of(List.of(noSocket, denied, otherSocket, otherTask))).hasSize(4)
                .allSatisfy(g -> assertThat(g.count()).isEqualTo(1));
    }

    @Test
    void nginxConfigErrorsOnDifferentLinesAreDifferentSymptoms() {
        String emerg = "nginx: [emerg] unknown directive \"fastcgi_pas\" in /etc/nginx/sites-enabled/default:%d\n"
                + "nginx: configuration file /etc/nginx/nginx.conf test failed\n";
        var a = failed("web01", "nginx config is valid", "non-zero return code", emerg.formatted(12));
        var b = failed("web02", "nginx config is valid", "non-zero return code", emerg.formatted(12));
        var c = failed("web03", "nginx config is valid", "non-zero return code", emerg.formatted(14));
        var groups = SymptomGroups.of(List.of(a, b, c));
        assertThat(groups).extracting(SymptomGroups.Group::count).containsExactly(2, 1);
        // the first error-looking line of stderr, not the trailing summary
        assertThat(groups.get(0).message()).isEqualTo("non-zero return code: nginx: [emerg] unknown directive "
                + "\"fastcgi_pas\" in /etc/nginx/sites-enabled/default:12");
    }

    @Test
    void sshjUnreachableMessagesGroupAcrossAddressesAndPorts() {
        var a = unreachable("host02", "Gathering Facts", "connect to 127.0.0.12:22 (host02) refused: nothing listens there; "
                + "is sshd running and is ansible_port right?");
        var b = unreachable("host03", "Gathering Facts", "connect to 127.0.0.13:2222 (host03) refused: nothing listens there; "
                + "is sshd running and is ansible_port right?");
        var c = unreachable("db01", "Gathering Facts", "connect to 2001:db8::17:22 (db01) refused: nothing listens there; "
                + "is sshd running and is ansible_port right?");
        var timeout = unreachable("host04", "Gathering Facts", "connect to 127.0.0.14:22 (host04) timed out after 10s");
        var groups = SymptomGroups.of(List.of(a, b, c, timeout));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).hosts()).containsExactly("db01", "host02", "host03");
        assertThat(groups.get(0).status()).isEqualTo(TaskStatus.UNREACHABLE);
        assertThat(groups.get(0).message()).isEqualTo("connect to <ip> (<host>) refused: nothing listens there; "
                + "is sshd running and is ansible_port right?");
        assertThat(groups.get(1).message()).isEqualTo("connect to <ip> (<host>) timed out after <n>s");
    }

    @Test
    void sshHandshakeAndBannerMessages() {
        assertThat(norm("SSH handshake with 10.20.30.40:22 (web07, SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5) did not "
                + "complete within 10s", "web07"))
                .isEqualTo("SSH handshake with <ip> (<host>, SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.5) did not "
                        + "complete within <n>s");
        assertThat(norm("no SSH banner from [fe80::1%eth0]:22 (web08) within 1500ms: the port accepts connections",
                "web08")).isEqualTo("no SSH banner from <ip> (<host>) within <n>ms: the port accepts connections");
        assertThat(norm("cannot resolve web09.internal (host web09); check ansible_host in the inventory", "web09"))
                .isEqualTo("cannot resolve <host>.internal (host <host>); check ansible_host in the inventory");
        assertThat(norm("no answer from the host within 620s; connection abandoned", "x1"))
                .isEqualTo("no answer from the host within <n>s; connection abandoned");
    }

    @Test
    void hostsOwnNameAndAddressAreNormalized() {
        String a = SymptomGroups.normalize("curl: (7) Failed to connect to shop-eu-3.example.net port 443: "
                + "Connection refused (shop-eu-3)", "shop-eu-3", "shop-eu-3.example.net");
        String b = SymptomGroups.normalize("curl: (7) Failed to connect to shop-us-12.example.net port 443: "
                + "Connection refused (shop-us-12)", "shop-us-12", "shop-us-12.example.net");
        assertThat(a).isEqualTo(b).isEqualTo("curl: (7) Failed to connect to <addr> port 443: Connection refused (<host>)");
        // a name is replaced only as a whole word: host "web1" must not eat "web10"
        assertThat(norm("web1 cannot reach web10", "web1")).isEqualTo("<host> cannot reach web10");
    }

    @Test
    void timestampsInTheCommonFormats() {
        assertThat(norm("2026/11/25 12:56:53 [error] boom", "h")).isEqualTo("<time> [error] boom");
        assertThat(norm("2026-11-25T12:56:53.123Z ERROR boom", "h")).isEqualTo("<time> ERROR boom");
        assertThat(norm("2026-11-25T12:56:53+01:00 ERROR boom", "h")).isEqualTo("<time> ERROR boom");
        assertThat(norm("2026-11-25 12:56:53,789 ERROR boom", "h")).isEqualTo("<time> ERROR boom");
        assertThat(norm("[25-Nov-2026 12:56:53] WARNING: [pool www] server reached pm.max_children setting (5), "
                + "consider raising it", "h")).isEqualTo("[<time>] WARNING: [pool www] server reached "
                + "pm.max_children setting (5), consider raising it");
        assertThat(norm("Nov 25 12:56:53 web01 php-fpm[1234]: [WARNING] child 4321 exited on signal 9 (SIGKILL)", "web01"))
                .isEqualTo(norm("Nov  5 01:02:03 web02 php-fpm[99]: [WARNING] child 17 exited on signal 9 (SIGKILL)", "web02"))
                .isEqualTo("<time> <host> php-fpm[<pid>]: [WARNING] child <pid> exited on signal 9 (SIGKILL)");
        assertThat(norm("Active: failed (Result: exit-code) since Tue 2026-11-25 12:56:53 UTC; 3min ago", "h"))
                .isEqualTo("Active: failed (Result: exit-code) since <time>; <n>min ago");
    }

    @Test
    void pidsInTheirUsualShapes() {
        assertThat(norm("Main PID: 4321 (code=exited, status=1/FAILURE)", "h"))
                .isEqualTo("Main PID: <pid> (code=exited, status=1/FAILURE)");
        assertThat(norm("ERROR: unable to bind listening socket (pid 1234)", "h"))
                .isEqualTo("ERROR: unable to bind listening socket (pid <pid>)");
        assertThat(norm("nginx: [emerg] still could not bind() (pid=77)", "h"))
                .isEqualTo("nginx: [emerg] still could not bind() (pid=<pid>)");
        assertThat(norm("sshd[123456]: error: kex_exchange_identification", "h"))
                .isEqualTo("sshd[<pid>]: error: kex_exchange_identification");
        assertThat(norm("timed out after 2s; KILL sent to its process group 27873 on root@10.0.0.5:22", "h"))
                .isEqualTo("timed out after <n>s; KILL sent to its process group <pid> on root@<ip>");
        assertThat(norm("kill failed; process group 27873 may still be running", "h"))
                .isEqualTo(norm("kill failed; process group 4411 may still be running", "h"));
        assertThat(norm("pgid 12, sid=13, session 14, process id 15", "h"))
                .isEqualTo("pgid <pid>, sid=<pid>, session <pid>, process id <pid>");
        // small bracketed numbers are not pids; config values stay
        assertThat(norm("pm.max_children [5] reached", "h")).isEqualTo("pm.max_children [5] reached");
    }

    @Test
    void hexIdsTempFilesAndSizes() {
        assertThat(norm("container 3f9a1c2b7d4e failed", "h")).isEqualTo("container <hex> failed");
        assertThat(norm("request 0b7e1f3c-4a5d-4e6f-8a9b-0c1d2e3f4a5b failed", "h")).isEqualTo("request <uuid> failed");
        assertThat(norm("segfault at 0x7ffd5e8c ip", "h")).isEqualTo("segfault at <hex> ip");
        assertThat(norm("cannot write /tmp/tmp.Xy12AbCd9: No space left on device", "h"))
                .isEqualTo(norm("cannot write /tmp/tmp.Q8zzPLm2a: No space left on device", "h"))
                .isEqualTo("cannot write /tmp/<tmp>: No space left on device");
        assertThat(norm("mv: cannot move '/etc/nginx/.fleet-8431.tmp' to '/etc/nginx/nginx.conf'", "h"))
                .isEqualTo("mv: cannot move '/etc/nginx/<tmp>' to '/etc/nginx/nginx.conf'");
        assertThat(norm("/dev/sda1 is 93% full (1.2G free)", "h")).isEqualTo(norm("/dev/sda1 is 97% full (310M free)", "h"))
                .isEqualTo("/dev/sda1 is <n>% full (<size> free)");
        // words that merely look like hex stay, and versions are not sizes
        assertThat(norm("deadbeef accepted by php8.3-fpm", "h")).isEqualTo("deadbeef accepted by php8.3-fpm");
    }

    @Test
    void ansiColourIsStrippedAndWhitespaceCollapsed() {
        assertThat(norm("\u001b[31mERROR\u001b[0m   boom\n  again", "h")).isEqualTo("ERROR boom again");
    }

    @Test
    void rawMessagePrefersTheFirstErrorLineOfStderrThenStdout() {
        var r = failed("web01", "t", "non-zero return code",
                "Warning: Permanently added 'x' (ED25519) to the list of known hosts.\n\n"
                        + "+ systemctl restart php8.3-fpm\n"
                        + "Job for php8.3-fpm.service failed because the control process exited with error code.\n"
                        + "See \"systemctl status php8.3-fpm.service\" for details.\n");
        assertThat(SymptomGroups.rawMessage(r)).isEqualTo("non-zero return code: Job for php8.3-fpm.service failed "
                + "because the control process exited with error code.");
        var stdoutOnly = result("web01", "t", TaskStatus.FAILED, 22, "HTTP/1.1 502 Bad Gateway\nServer: nginx", "",
                "non-zero return code");
        assertThat(SymptomGroups.rawMessage(stdoutOnly)).isEqualTo("non-zero return code: HTTP/1.1 502 Bad Gateway");
        var msgOnly = failed("web01", "t", "Status code was 502 and not [200]: HTTP Error 502: Bad Gateway", "");
        assertThat(SymptomGroups.rawMessage(msgOnly)).isEqualTo("Status code was 502 and not [200]: HTTP Error 502: Bad Gateway");
        var nothing = result("web01", "t", TaskStatus.FAILED, 3, "", "", "");
        assertThat(SymptomGroups.rawMessage(nothing)).isEqualTo("rc=3");
    }

    @Test
    void largestGroupFirstThenTaskOrder() {
        List<TaskResult> rs = new ArrayList<>();
        // task order: A (seen first, ok everywhere), B, C
        rs.add(result("h0", "A", TaskStatus.OK, 0, "", "", ""));
        for (int i = 1; i <= 2; i++) rs.add(failed("c" + i, "C", "", "C broke"));
        for (int i = 1; i <= 2; i++) rs.add(failed("b" + i, "B", "", "B broke"));
        for (int i = 1; i <= 3; i++) rs.add(failed("x" + i, "C", "", "C broke differently at " + i + "0ms"));
        var groups = SymptomGroups.of(rs);
        // 3-host group first; the two 2-host groups by task order (B was seen after C here, so C first)
        assertThat(groups).extracting(SymptomGroups.Group::line).containsExactly(
                "3 hosts: C: C broke differently at <n>ms", "2 hosts: C: C broke", "2 hosts: B: B broke");
    }

    @Test
    void hostsSortedNaturallyAndEachHostCountsOnceWithItsLastFailure() {
        List<TaskResult> rs = new ArrayList<>();
        rs.add(failed("web10", "t", "", "boom"));
        rs.add(failed("web9", "t", "", "boom"));
        rs.add(failed("web2", "first", "", "earlier, ignored later"));
        rs.add(failed("web2", "t", "", "boom"));
        var groups = SymptomGroups.of(rs);
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).hosts()).containsExactly("web2", "web9", "web10");
    }

    @Test
    void ignoredAndRescuedFailuresAreNoSymptom() {
        var g = new SymptomGroups();
        g.add(Results.result("web01", "p", "t", "s:1:1", TaskStatus.FAILED, 1, "", "boom", "", true, 0, 1));
        g.add(failed("web02", "t", "", "boom"));
        g.add(failed("web03", "t", "", "boom"));
        assertThat(g.failingHosts()).isEqualTo(2);
        assertThat(g.groups()).singleElement().satisfies(x -> assertThat(x.hosts()).containsExactly("web02", "web03"));
        // web03's failure was rescued: the recap no longer counts it
        var stats = Map.of("web02", new HostStats(0, 0, 0, 1, 0, 0, 0), "web03", new HostStats(1, 0, 0, 0, 0, 1, 0));
        assertThat(g.groups(stats)).singleElement().satisfies(x -> assertThat(x.hosts()).containsExactly("web02"));
    }

    @Test
    void describeShowsTopGroupsThenTheRest() {
        List<TaskResult> rs = new ArrayList<>();
        for (int k = 0; k < 12; k++) {
            for (int i = 0; i <= 12 - k; i++) rs.add(failed("h" + k + "-" + i, "task" + k, "", "error " + k));
        }
        var lines = SymptomGroups.describe(SymptomGroups.of(rs), 10, 3);
        assertThat(lines).hasSize(21);
        assertThat(lines.get(0)).isEqualTo("13 hosts: task0: error 0");
        assertThat(lines.get(1)).startsWith("    failed at ").endsWith(" on h0-0, h0-1, h0-2, ... (10 more)");
        assertThat(lines.get(20)).isEqualTo("... 2 more groups (5 hosts)");
    }
}
