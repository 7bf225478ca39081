package dev.fleet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.yaml.ParseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeConfigTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void dirs() throws Exception {
        Files.createDirectories(dir.resolve("pb"));
        Files.createDirectories(dir.resolve("inv"));
        file = dir.resolve("fleet.yml");
    }

    ServeConfig load(String yaml, Map<String, String> env) throws ParseException {
        return ServeConfig.parse(yaml, file, env::get);
    }

    static final String BASE = "tokens: [abcdefghijklmnopqrstuvwxyz]\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n";

    @Test
    void defaultsAndAFullConfig() throws Exception {
        ServeConfig c = load(BASE, Map.of());
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(8470);
        assertThat(c.playbookDirs()).containsExactly(dir.resolve("pb").toRealPath());
        c = load("""
                listen: {host: 127.0.0.2, port: 9000}
                token_env: FLEET_TOKEN
                playbook_dirs: [pb]
                inventory_dirs: [inv]
                history: {db: state/h.db, retention: {max_runs: 500, max_age: 90d}}
                ssh: {known_hosts: kh, host_key_checking: accept-new, forks: 20, connect_timeout: 5s, task_timeout: 30m}
                shutdown_grace: 2m
                schedules:
                  - name: nightly-health
                    cron: "0 2 * * *"
                    time_zone: Europe/Berlin
                    playbook: health.yml
                    inventory: prod.ini
                    limit: web
                    extra_vars: {level: 2}
                """, Map.of("FLEET_TOKEN", "0123456789abcdef0123"));
        assertThat(c.tokens()).extracting(ApiToken::secret).containsExactly("0123456789abcdef0123");
        assertThat(c.history().db()).isEqualTo(dir.resolve("state/h.db").toString());
        assertThat(c.history().retention().maxAge()).isEqualTo(Duration.ofDays(90));
        assertThat(c.ssh().forks()).isEqualTo(20);
        assertThat(c.ssh().taskTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofMinutes(2));
        var s = c.schedules().get(0);
        assertThat(s.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(s.extraVars()).containsEntry("level", 2);
        assertThat(s.trigger()).isEqualTo("schedule:nightly-health");
    }

    @Test
    void errorsNameFileLineAndColumn() {
        String f = file.toString();
        assertThatThrownBy(() -> load(BASE + "listen: {hots: x}\n", Map.of())).hasMessage(f
                + ":4:10: unknown key 'hots' in listen; expected one of: host, port, tls, allow_plain_http");
        assertThatThrownBy(() -> load("playbook_dirs: [pb]\ninventory_dirs: [inv]\n", Map.of()))
                .hasMessageContaining("no API token configured");
        assertThatThrownBy(() -> load("token_env: FLEET_TOKEN\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n", Map.of()))
                .hasMessage(f + ":1:12: token_env: environment variable FLEET_TOKEN is not set or empty; set it to "
                        + "the API token (e.g. openssl rand -hex 32)");
        assertThatThrownBy(() -> load("tokens: [short]\nplaybook_dirs: [pb]\ninventory_dirs: [inv]\n", Map.of()))
                .hasMessageContaining(":1:10: API tokens must be at least 16 characters");
        assertThatThrownBy(() -> load(BASE + "playbook_dirs: [pb]\n", Map.of())).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> load(BASE.replace("[pb]", "[nope]"), Map.of()))
                .hasMessageContaining(":2:17: playbook_dirs: ").hasMessageContaining("is not a directory");
        String sched = BASE + "schedules:\n  - name: n\n    cron: \"%s\"\n    time_zone: %s\n    playbook: %s\n"
                + "    inventory: i.ini\n";
        assertThatThrownBy(() -> load(sched.formatted("61 * * * *", "UTC", "p.yml"), Map.of()))
                .hasMessageStartingWith(f + ":6:11: invalid cron '61 * * * *'");
        assertThatThrownBy(() -> load(sched.formatted("* * *", "UTC", "p.yml"), Map.of()))
                .hasMessageContaining("expected 5 fields");
        assertThatThrownBy(() -> load(sched.formatted("0 2 * * *", "Mars/Olympus", "p.yml"), Map.of()))
                .hasMessage(f + ":7:16: unknown time zone 'Mars/Olympus'; use an IANA name like Europe/Berlin or UTC");
        assertThatThrownBy(() -> load(sched.formatted("0 2 * * *", "UTC", "../p.yml"), Map.of()))
                .hasMessageContaining(":8:15: playbook '../p.yml': '..' is not allowed");
        assertThatThrownBy(() -> load(BASE + "shutdown_grace: soon\n", Map.of()))
                .hasMessageContaining(":4:17: shutdown_grace must be a duration like 30s");
        assertThatThrownBy(() -> load(BASE + "schedules:\n  - {name: a, cron: '* * * * *'}\n", Map.of()))
                .hasMessageContaining(":5:5: schedule is missing 'playbook'");
    }

    @Test
    void namedTokensWithScopesAndTheirErrors() throws Exception {
        String dirs = "playbook_dirs: [pb]\ninventory_dirs: [inv]\n";
        Path tokenFile = dir.resolve("viewer.token");
        Files.writeString(tokenFile, "viewer-0123456789abcdef\nignored second line\n");
        Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        ServeConfig c = load("tokens:\n  - {name: ci, env: CI_TOKEN, scope: run}\n"
                + "  - {name: viewer, file: viewer.token, scope: read}\n" + dirs,
                Map.of("CI_TOKEN", "ci-0123456789abcdef"));
        assertThat(c.tokens()).containsExactly(new ApiToken("ci", "ci-0123456789abcdef", ApiToken.Scope.RUN),
                new ApiToken("viewer", "viewer-0123456789abcdef", ApiToken.Scope.READ));
        String f = file.toString();
        Map<String, String> env = Map.of("A", "aaaaaaaaaaaaaaaaaaaa", "B", "aaaaaaaaaaaaaaaaaaaa");
        assertThatThrownBy(() -> load("tokens:\n  - {name: ci, env: A, scope: admin}\n" + dirs, env))
                .hasMessage(f + ":2:31: unknown scope 'admin' for token 'ci'; expected read (GET only) or run "
                        + "(also start and cancel runs)");
        assertThatThrownBy(() -> load("tokens:\n  - {name: ci, env: A}\n" + dirs, env))
                .hasMessageContaining(":2:5: token is missing 'scope'");
        assertThatThrownBy(() -> load("tokens:\n  - {name: ci, env: A, file: viewer.token, scope: run}\n" + dirs,
                env)).hasMessageContaining("needs exactly one of 'env'");
        assertThatThrownBy(() -> load("tokens:\n  - {name: ci, env: A, scope: run}\n"
                + "  - {name: ci, file: viewer.token, scope: read}\n" + dirs, env))
                .hasMessageContaining(":3:5: duplicate token name 'ci' (first at line 2)");
        assertThatThrownBy(() -> load("tokens:\n  - {name: a, env: A, scope: run}\n"
                + "  - {name: b, env: B, scope: read}\n" + dirs, env))
                .hasMessageContaining("token 'b' has the same value as token 'a'")
                .hasMessageNotContaining("aaaaaaaaaaaaaaaa");
        assertThatThrownBy(() -> load("tokens:\n  - {name: ci, env: NOPE, scope: run}\n" + dirs, env))
                .hasMessage(f + ":2:21: token 'ci' env: environment variable NOPE is not set or empty; set it to the "
                        + "API token (e.g. openssl rand -hex 32)");
        assertThatThrownBy(() -> load("tokens:\n  - {name: 'a b', env: A, scope: run}\n" + dirs, env))
                .hasMessageContaining("token name 'a b' must be letters");
        Files.setPosixFilePermissions(tokenFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> load("tokens:\n  - {name: v, file: viewer.token, scope: read}\n" + dirs, env))
                .hasMessageContaining("is readable by other users; chmod 600 it");
        assertThatThrownBy(() -> load("tokens:\n  - {name: v, file: missing.token, scope: read}\n" + dirs, env))
                .hasMessageContaining(":2:21: token 'v': cannot read " + dir.resolve("missing.token")
                        + " (NoSuchFileException)");
        // the older forms: scope run, named by position or variable
        c = load("tokens: [abcdefghijklmnopqrstuvwxyz]\ntoken_env: T\n" + dirs,
                Map.of("T", "0123456789abcdef0123, 0123456789abcdef0124"));
        assertThat(c.tokens()).extracting(ApiToken::toString).containsExactly("ApiToken[name=token#1, scope=run]",
                "ApiToken[name=T#1, scope=run]", "ApiToken[name=T#2, scope=run]");
    }

    @Test
    void cronNextAndLastInTheScheduleTimeZone() {
        var cron = CronSupport.parse("0 2 * * *");
        var berlin = ZoneId.of("Europe/Berlin");
        var now = java.time.ZonedDateTime.of(2025, 3, 29, 12, 0, 0, 0, berlin);
        // 2025-03-30 has no 02:00 in Berlin (clocks jump to 03:00): cron-utils skips that day; documented
        assertThat(CronSupport.next(cron, now).orElseThrow().toString())
                .isEqualTo("2025-03-31T02:00+02:00[Europe/Berlin]");
        var winter = java.time.ZonedDateTime.of(2025, 1, 10, 12, 0, 0, 0, berlin);
        assertThat(CronSupport.next(cron, winter).orElseThrow().toString())
                .isEqualTo("2025-01-11T02:00+01:00[Europe/Berlin]");
        assertThat(CronSupport.last(cron, now).orElseThrow().toLocalDateTime().toString())
                .isEqualTo("2025-03-29T02:00");
        assertThat(CronSupport.parse("*/5 * * * * *")).isNotNull(); // seconds form
    }

    @Test
    void loadLimitsHaveDefaultsAndAreChecked() throws Exception {
        ServeConfig c = load(BASE, Map.of());
        assertThat(c.maxQueuedRuns()).isEqualTo(100);
        assertThat(c.sseStallTimeout()).isEqualTo(Duration.ofSeconds(30));
        c = load(BASE + "limits: {max_concurrent_runs: 2, max_queued_runs: 5, sse_stall_timeout: 2m}\n", Map.of());
        assertThat(c.maxConcurrentRuns()).isEqualTo(2);
        assertThat(c.maxQueuedRuns()).isEqualTo(5);
        assertThat(c.sseStallTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> load(BASE + "limits: {max_queued_runs: 0}\n", Map.of()))
                .hasMessageContaining("limits.max_queued_runs");
        assertThatThrownBy(() -> load(BASE + "limits: {sse_stall_timeout: soon}\n", Map.of()))
                .hasMessageContaining("limits.sse_stall_timeout must be a duration");
    }

    @Test
    void aClusterSectionHasTheCoordinatorsKeysAndItsErrorsTheirPlace() throws Exception {
        for (String f : new String[] {"c.key", "c.crt", "ca.crt"}) Files.writeString(dir.resolve(f), "pem");
        String cluster = """
                cluster:
                  name: dc1
                  address: 127.0.0.2
                  members: [127.0.0.2:5701, 127.0.0.3:5701]
                  reply_grace: 20
                  tls: {key: c.key, cert: c.crt, ca: ca.crt}
                """;
        assertThat(load(BASE, Map.of()).cluster()).isNull();
        var c = load(BASE + cluster, Map.of()).cluster();
        assertThat(c.name()).isEqualTo("dc1");
        assertThat(c.address()).isEqualTo("127.0.0.2");
        assertThat(c.port()).isEqualTo(5701);
        assertThat(c.busPort()).isEqualTo(5801);
        assertThat(c.members()).containsExactly("127.0.0.2:5701", "127.0.0.3:5701");
        assertThat(c.replyGrace()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.tls().ca()).isEqualTo(dir.resolve("ca.crt")); // relative to the serve config
        assertThat(c.worker()).isNull();
        String f = file.toString();
        assertThatThrownBy(() -> load(BASE + cluster.replace("  name: dc1\n", "  nmae: dc1\n"), Map.of()))
                .hasMessage(f + ":5:3: unknown key 'nmae' in cluster; known: address, bus_port, members, name, port, "
                        + "reply_grace, tls");
        assertThatThrownBy(() -> load(BASE + cluster.replace("127.0.0.2\n", "0.0.0.0\n"), Map.of()))
                .hasMessageStartingWith(f + ":6:12: cluster.address must be one address of this machine, not 0.0.0.0");
        assertThatThrownBy(() -> load(BASE + cluster.replace("127.0.0.3:5701]", "127.0.0.3]"), Map.of()))
                .hasMessage(f + ":7:29: cluster.members entries must be host:port, e.g. 127.0.0.21:5701");
        assertThatThrownBy(() -> load(BASE + cluster.replace("reply_grace: 20", "reply_grace: soon"), Map.of()))
                .hasMessage(f + ":8:16: cluster.reply_grace must be a number from 0 to 65535, got 'soon'");
        assertThatThrownBy(() -> load(BASE + cluster.replace("ca: ca.crt", "ca: no.crt"), Map.of()))
                .hasMessage(f + ":9:38: cluster.tls.ca: cannot read " + dir.resolve("no.crt"));
        assertThatThrownBy(() -> load(BASE + cluster.replace("  tls: {key: c.key, cert: c.crt, ca: ca.crt}\n", ""),
                Map.of())).hasMessageStartingWith(f + ":5:3: cluster.tls is missing");
        assertThatThrownBy(() -> load(BASE + "cluster: coordinator.yml\n", Map.of()))
                .hasMessage(f + ":4:10: cluster must be a mapping");
        // a worker's section has no place in a coordinator's
        assertThatThrownBy(() -> load(BASE + cluster + "  worker: {id: w}\n", Map.of()))
                .hasMessageContaining(":10:3: unknown key 'worker' in cluster");
    }
}
