package dev.fleet.serve;

import com.cronutils.model.Cron;
import dev.fleet.cluster.ClusterConfig;
import dev.fleet.engine.RunOptions;
import dev.fleet.history.Retention;
import dev.fleet.transport.HostKeyChecking;
import dev.fleet.transport.SshSettings;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code fleet serve --config fleet.yml} file, validated with {@code file:line:column} errors like playbooks.
 * Relative paths in it are resolved against the directory of the config file.
 *
 * @param tokens        bearer tokens accepted on {@code /api}, each with a name and a scope (see {@link TokenConfig})
 * @param tls           the certificate and key {@code fleet serve} answers HTTPS with; null: plain HTTP, which
 *                      needs a loopback {@code listen.host} or {@code listen.allow_plain_http: true}
 * @param maxBodyBytes  largest request body accepted (413 beyond)
 * @param maxConcurrentRuns runs executing at once; later ones wait as {@code queued}
 * @param maxQueuedRuns runs waiting at most; a run beyond that is refused with 429
 * @param sseStallTimeout how long an event stream client may leave its buffer full (not reading) before it is
 *                      dropped
 * @param shutdownGrace how long a SIGTERM waits for running runs to finish before cancelling them
 * @param cluster       the {@code cluster:} section (a coordinator's keys, as in examples/cluster/coordinator.yml):
 *                      every run goes to that cluster's workers; null: runs connect to hosts from this JVM. Only
 *                      read when present, so a serve without it loads no cluster class
 */
public record ServeConfig(Path file, String host, int port, Tls tls, List<ApiToken> tokens, List<Path> playbookDirs,
        List<Path> inventoryDirs, History history, Ssh ssh, List<Schedule> schedules, int maxBodyBytes,
        int maxConcurrentRuns, Duration shutdownGrace, int maxQueuedRuns, Duration sseStallTimeout,
        ClusterConfig cluster) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;
    public static final int MIN_TOKEN_LENGTH = TokenConfig.MIN_TOKEN_LENGTH;

    public ServeConfig {
        tokens = List.copyOf(tokens);
        playbookDirs = List.copyOf(playbookDirs);
        inventoryDirs = List.copyOf(inventoryDirs);
        schedules = List.copyOf(schedules);
    }

    /** PEM files: the certificate (chain, leaf first) and its private key (PKCS#8, or PKCS#1 RSA). */
    public record Tls(Path cert, Path key) {}

    /** @param db history database file (or JDBC URL, as the RunStore implementation understands it) */
    public record History(String db, Retention retention) {}

    public record Ssh(Path knownHosts, HostKeyChecking hostKeyChecking, Path privateKey, String user, int forks,
            Duration connectTimeout, Duration taskTimeout) {

        public SshSettings settings() {
            SshSettings s = SshSettings.defaults().withHostKeyChecking(hostKeyChecking).withCommandTimeout(taskTimeout);
            if (knownHosts != null) s = s.withKnownHosts(knownHosts);
            return privateKey != null ? s.withFirstKey(privateKey) : s;
        }
    }

    /**
     * @param cron     5 fields (UNIX cron), or 6 with a leading seconds field
     * @param position where the schedule is defined, for messages
     */
    public record Schedule(String name, String cron, Cron parsedCron, ZoneId timeZone, String playbook,
            String inventory, String limit, Map<String, Object> extraVars, boolean check, SourcePosition position) {
        public Schedule {
            extraVars = extraVars == null ? Map.of()
                    : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
        }

        public String trigger() {
            return "schedule:" + name;
        }
    }

    /** Loads and validates the file; {@code env} resolves {@code token_env}. */
    public static ServeConfig load(Path file, Function<String, String> env) throws ParseException {
        YamlNode root = YamlLoader.load(file);
        if (root == null) throw new ParseException(SourcePosition.of(file.toString()), "empty config file; "
                + "it needs at least tokens (or token_env), playbook_dirs and inventory_dirs");
        return parse(root, file, env);
    }

    public static ServeConfig parse(String yaml, Path file, Function<String, String> env) throws ParseException {
        YamlNode root = YamlLoader.load(yaml, file.toString());
        if (root == null) throw new ParseException(SourcePosition.of(file.toString()), "empty config file");
        return parse(root, file, env);
    }

    private static final Set<String> TOP = new LinkedHashSet<>(List.of("listen", "tokens", "token_env",
            "playbook_dirs", "inventory_dirs", "history", "ssh", "schedules", "limits", "shutdown_grace", "cluster"));

    private static ServeConfig parse(YamlNode root, Path file, Function<String, String> env) throws ParseException {
        Path base = file.toAbsolutePath().getParent();
        Mapping top = mapping(root, "the config file");
        keys(top, TOP, "the config file");

        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        Tls tls = null;
        boolean allowPlainHttp = false;
        if (top.has("listen")) {
            Mapping l = mapping(top.get("listen"), "listen");
            keys(l, ordered("host", "port", "tls", "allow_plain_http"), "listen");
            if (l.has("host")) host = string(l.get("host"), "listen.host");
            if (l.has("port")) {
                port = integer(l.get("port"), "listen.port");
                if (port < 0 || port > 65535) throw new ParseException(l.get("port").position(),
                        "listen.port must be between 0 and 65535, got " + port);
            }
            if (l.has("tls")) tls = ListenChecks.tls(l.get("tls"), base);
            if (l.has("allow_plain_http")) {
                if (!(l.get("allow_plain_http") instanceof Scalar sc && sc.value() instanceof Boolean b)) {
                    throw new ParseException(l.get("allow_plain_http").position(),
                            "listen.allow_plain_http must be true or false");
                }
                allowPlainHttp = b;
            }
        }
        if (tls == null && !allowPlainHttp && !ListenChecks.isLoopback(host)) {
            // only a listen.host in the file can be other than the loopback default
            SourcePosition at = ((Mapping) top.get("listen")).get("host").position();
            throw new ParseException(at, "listen.host " + host + " is not a loopback "
                    + "address and listen.tls is not set: API tokens would cross the network in clear text. Add "
                    + "'tls: {cert: server.crt, key: server.key}' under listen, or set 'allow_plain_http: true' "
                    + "under listen if a TLS-terminating proxy on this host is the only way in");
        }

        List<ApiToken> tokens = TokenConfig.parse(top, file, env);

        List<Path> playbookDirs = dirs(top, "playbook_dirs", base);
        List<Path> inventoryDirs = dirs(top, "inventory_dirs", base);

        History history = new History(base.resolve("fleet-history.db").toString(), Retention.KEEP_ALL);
        if (top.has("history")) {
            Mapping h = mapping(top.get("history"), "history");
            keys(h, ordered("db", "retention"), "history");
            String db = history.db();
            if (h.has("db")) {
                db = string(h.get("db"), "history.db");
                if (!db.startsWith("jdbc:") && !db.equals(":memory:")) db = base.resolve(db).normalize().toString();
            }
            Retention retention = Retention.KEEP_ALL;
            if (h.has("retention")) {
                Mapping r = mapping(h.get("retention"), "history.retention");
                keys(r, ordered("max_runs", "max_age"), "history.retention");
                Integer maxRuns = r.has("max_runs") ? positive(r.get("max_runs"), "history.retention.max_runs") : null;
                Duration maxAge = r.has("max_age") ? duration(r.get("max_age"), "history.retention.max_age") : null;
                retention = new Retention(maxRuns, maxAge);
            }
            history = new History(db, retention);
        }

        Ssh ssh = new Ssh(null, HostKeyChecking.STRICT, null, null, RunOptions.DEFAULT_FORKS, Duration.ofSeconds(10),
                Duration.ofMinutes(10));
        if (top.has("ssh")) {
            Mapping s = mapping(top.get("ssh"), "ssh");
            keys(s, ordered("known_hosts", "host_key_checking", "private_key", "user", "forks", "connect_timeout",
                    "task_timeout"), "ssh");
            Path known = s.has("known_hosts") ? base.resolve(string(s.get("known_hosts"), "ssh.known_hosts")) : null;
            HostKeyChecking checking = HostKeyChecking.STRICT;
            if (s.has("host_key_checking")) {
                YamlNode n = s.get("host_key_checking");
                Object v = n instanceof Scalar sc ? sc.value() : null;
                String text = v instanceof Boolean b ? (b ? "strict" : "off") : string(n, "ssh.host_key_checking");
                try {
                    checking = HostKeyChecking.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new ParseException(n.position(), e.getMessage());
                }
            }
            Path key = s.has("private_key") ? base.resolve(string(s.get("private_key"), "ssh.private_key")) : null;
            String user = s.has("user") ? string(s.get("user"), "ssh.user") : null;
            int forks = s.has("forks") ? positive(s.get("forks"), "ssh.forks") : RunOptions.DEFAULT_FORKS;
            Duration connect = s.has("connect_timeout") ? duration(s.get("connect_timeout"), "ssh.connect_timeout")
                    : ssh.connectTimeout();
            Duration task = s.has("task_timeout") ? duration(s.get("task_timeout"), "ssh.task_timeout")
                    : ssh.taskTimeout();
            ssh = new Ssh(known, checking, key, user, forks, connect, task);
        }

        int maxBody = 64 * 1024;
        int maxConcurrent = 4;
        int maxQueued = 100;
        Duration stall = Duration.ofSeconds(30);
        if (top.has("limits")) {
            Mapping l = mapping(top.get("limits"), "limits");
            keys(l, ordered("max_body_bytes", "max_concurrent_runs", "max_queued_runs", "sse_stall_timeout"),
                    "limits");
            if (l.has("max_queued_runs")) maxQueued = positive(l.get("max_queued_runs"), "limits.max_queued_runs");
            if (l.has("sse_stall_timeout")) stall = duration(l.get("sse_stall_timeout"), "limits.sse_stall_timeout");
            if (l.has("max_body_bytes")) maxBody = positive(l.get("max_body_bytes"), "limits.max_body_bytes");
            if (l.has("max_concurrent_runs")) {
                maxConcurrent = positive(l.get("max_concurrent_runs"), "limits.max_concurrent_runs");
            }
        }
        Duration grace = top.has("shutdown_grace") ? duration(top.get("shutdown_grace"), "shutdown_grace")
                : Duration.ZERO;

        List<Schedule> schedules = new ArrayList<>();
        if (top.has("schedules")) {
            Map<String, SourcePosition> names = new LinkedHashMap<>();
            for (YamlNode n : sequence(top.get("schedules"), "schedules")) {
                Schedule s = schedule(n);
                SourcePosition first = names.putIfAbsent(s.name(), s.position());
                if (first != null) throw new ParseException(s.position(), "duplicate schedule name '" + s.name()
                        + "' (first defined at line " + first.line() + ")");
                schedules.add(s);
            }
        }
        ClusterConfig cluster = top.has("cluster") ? ClusterConfig.section(top.get("cluster"), file) : null;
        return new ServeConfig(file, host, port, tls, tokens, playbookDirs, inventoryDirs, history, ssh, schedules,
                maxBody, maxConcurrent, grace, maxQueued, stall, cluster);
    }

    private static final Set<String> SCHEDULE_KEYS = new LinkedHashSet<>(List.of("name", "cron", "time_zone",
            "playbook", "inventory", "limit", "extra_vars", "check"));
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    @SuppressWarnings("unchecked")
    private static Schedule schedule(YamlNode n) throws ParseException {
        Mapping m = mapping(n, "a schedule");
        keys(m, SCHEDULE_KEYS, "a schedule");
        for (String required : List.of("name", "cron", "playbook", "inventory")) {
            if (!m.has(required)) throw new ParseException(m.position(), "schedule is missing '" + required
                    + "'; a schedule needs name, cron, playbook and inventory");
        }
        String name = string(m.get("name"), "schedule name");
        if (!NAME.matcher(name).matches()) throw new ParseException(m.get("name").position(), "schedule name '"
                + name + "' must be letters, digits, '.', '_' or '-' (at most 64)");
        String cron = string(m.get("cron"), "cron");
        Cron parsed;
        try {
            parsed = CronSupport.parse(cron);
        } catch (IllegalArgumentException e) {
            throw new ParseException(m.get("cron").position(), "invalid cron '" + cron + "': " + e.getMessage());
        }
        ZoneId zone = ZoneId.systemDefault();
        if (m.has("time_zone")) {
            String z = string(m.get("time_zone"), "time_zone");
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                throw new ParseException(m.get("time_zone").position(), "unknown time zone '" + z
                        + "'; use an IANA name like Europe/Berlin or UTC");
            }
        }
        String limit = m.has("limit") ? string(m.get("limit"), "limit") : null;
        Map<String, Object> extra = Map.of();
        if (m.has("extra_vars")) extra = (Map<String, Object>) mapping(m.get("extra_vars"), "extra_vars").toPlain();
        boolean check = false;
        if (m.has("check")) {
            if (!(m.get("check") instanceof Scalar sc && sc.value() instanceof Boolean b)) {
                throw new ParseException(m.get("check").position(), "check must be true or false");
            }
            check = b;
        }
        return new Schedule(name, cron, parsed, zone, relative(m.get("playbook"), "playbook"),
                relative(m.get("inventory"), "inventory"), limit, extra, check, m.position());
    }

    private static String relative(YamlNode n, String what) throws ParseException {
        String s = string(n, what);
        try {
            PathGuard.checkRelative(s, what);
        } catch (ApiError e) {
            throw new ParseException(n.position(), e.getMessage());
        }
        return s;
    }

    private static List<Path> dirs(Mapping top, String key, Path base) throws ParseException {
        if (!top.has(key)) throw new ParseException(top.position(), "missing '" + key
                + "': the directories requests may name files in");
        List<Path> out = new ArrayList<>();
        for (YamlNode n : sequence(top.get(key), key)) {
            Path p = base.resolve(string(n, key + " entry")).normalize();
            if (!Files.isDirectory(p)) {
                throw new ParseException(n.position(), key + ": " + p + " is not a directory");
            }
            try {
                out.add(p.toRealPath());
            } catch (IOException e) {
                throw new ParseException(n.position(), key + ": cannot resolve " + p + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) throw new ParseException(top.get(key).position(), key + " must name at least one directory");
        return out;
    }

    // ---- small typed accessors with positions ----

    static Mapping mapping(YamlNode n, String what) throws ParseException {
        if (n instanceof Mapping m) return m;
        throw new ParseException(n.position(), what + " must be a mapping, found a " + n.kind());
    }

    static List<YamlNode> sequence(YamlNode n, String what) throws ParseException {
        if (n instanceof Sequence s) return s.items();
        throw new ParseException(n.position(), what + " must be a list, found a " + n.kind());
    }

    static String string(YamlNode n, String what) throws ParseException {
        if (n instanceof Scalar s && s.value() != null && !(s.value() instanceof Boolean)) {
            String v = s.text().strip();
            if (!v.isEmpty()) return v;
        }
        throw new ParseException(n.position(), what + " must be a non-empty string, found a " + n.kind());
    }

    static int integer(YamlNode n, String what) throws ParseException {
        if (n instanceof Scalar s && s.value() instanceof Integer i) return i;
        throw new ParseException(n.position(), what + " must be an integer");
    }

    static int positive(YamlNode n, String what) throws ParseException {
        int v = integer(n, what);
        if (v < 1) throw new ParseException(n.position(), what + " must be at least 1, got " + v);
        return v;
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    /** {@code 30s}, {@code 10m}, {@code 24h}, {@code 90d}, {@code 500ms}, or a number of seconds. */
    static Duration duration(YamlNode n, String what) throws ParseException {
        String text = n instanceof Scalar s && s.value() != null ? s.text().strip() : "";
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) throw new ParseException(n.position(), what + " must be a duration like 30s, 10m, 24h "
                + "or 90d, found '" + text + "'");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "s" -> v * 1000;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 86_400_000;
        };
        return Duration.ofMillis((long) ms);
    }

    static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    static void keys(Mapping m, Set<String> allowed, String what) throws ParseException {
        for (String k : m.entries().keySet()) {
            if (!allowed.contains(k)) throw new ParseException(m.keyPosition(k), "unknown key '" + k + "' in "
                    + what + "; expected one of: " + String.join(", ", allowed));
        }
    }
}
