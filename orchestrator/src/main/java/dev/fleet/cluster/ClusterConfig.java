package dev.fleet.cluster;

import dev.fleet.vault.VaultSecret;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A cluster node's config file: the cluster section every node has (its own address, the members to join, its
 * TLS files) and, for a worker, the worker section (its id, site group and its own SSH key, known_hosts and vault
 * passwords).
 * Relative paths are relative to the file.
 *
 * @param address    the loopback or LAN address this node binds and advertises; never 0.0.0.0
 * @param port       Hazelcast's port (membership)
 * @param busPort    the event bus's port (all run traffic, TLS)
 * @param members    {@code host:port} of the Hazelcast ports to join (TCP/IP; no multicast)
 * @param worker     the worker section, or null for a coordinator
 * @param replyGrace beyond a task's own timeout, how long a coordinator waits for a worker's answer
 */
public record ClusterConfig(Path file, String name, String address, int port, int busPort, List<String> members,
        Tls tls, Worker worker, Duration replyGrace) {

    /** PEM files: this node's key and certificate, and the CA that signed every node's certificate. */
    public record Tls(Path key, Path cert, Path ca) {}

    /**
     * @param group      sites pin hosts to workers with the inventory variable {@code fleet_worker_group}
     * @param privateKey the SSH key this worker offers (the coordinator's never travels)
     * @param workDir    where shipped playbooks are unpacked
     * @param vaultIds   this worker's own vault password files or scripts ({@code vault_password_file} is id
     *                   {@code default}): the coordinator names the ids a run needs, never sends a password
     */
    public record Worker(String id, String group, Path privateKey, Path knownHosts, String user, int forks,
            Path workDir, List<VaultId> vaultIds) {
        public Worker {
            vaultIds = List.copyOf(vaultIds);
        }
    }

    /** A vault id and the file (password, or executable script printing it) on this machine that gives it. */
    public record VaultId(String id, Path file) {}

    private static final Set<String> TOP = Set.of("cluster", "worker");
    private static final Set<String> CLUSTER = Set.of("name", "address", "port", "bus_port", "members", "tls",
            "reply_grace");
    private static final Set<String> TLS = Set.of("key", "cert", "ca");
    private static final Set<String> WORKER = Set.of("id", "group", "private_key", "known_hosts", "user", "forks",
            "work_dir", "vault_password_file", "vault_ids");
    private static final Set<String> VAULT_ID = Set.of("id", "file");

    public static ClusterConfig load(Path file) throws ParseException {
        if (!Files.isRegularFile(file)) {
            throw new ParseException(SourcePosition.of(file.toString()), "cluster config file not found");
        }
        YamlNode root = YamlLoader.load(file);
        Object plain = root == null ? null : root.toPlain();
        Path base = file.toAbsolutePath().getParent();
        Map<?, ?> top = map(file, plain, "the config file", TOP);
        Map<?, ?> c = map(file, top.get("cluster"), "cluster", CLUSTER);
        String address = string(file, c, "address", "cluster", null);
        if (address.equals("0.0.0.0") || address.equals("::")) {
            throw fail(file, "cluster.address must be one address of this machine, not " + address
                    + ": the cluster ports bind to it only");
        }
        int port = integer(file, c, "port", "cluster", 5701);
        int busPort = integer(file, c, "bus_port", "cluster", port + 100);
        List<String> members = new ArrayList<>();
        if (!(c.get("members") instanceof List<?> list) || list.isEmpty()) {
            throw fail(file, "cluster.members must list the members to join as host:port (this node's own may be "
                    + "among them), e.g. [127.0.0.21:5701]");
        } else {
            for (Object m : list) members.add(String.valueOf(m));
        }
        Map<?, ?> t = map(file, c.get("tls"), "cluster.tls", TLS);
        Tls tls = new Tls(path(file, base, t, "key", "cluster.tls"), path(file, base, t, "cert", "cluster.tls"),
                path(file, base, t, "ca", "cluster.tls"));
        Duration grace = Duration.ofSeconds(integer(file, c, "reply_grace", "cluster", 10));
        Worker worker = null;
        if (top.get("worker") != null) {
            Map<?, ?> w = map(file, top.get("worker"), "worker", WORKER);
            String id = string(file, w, "id", "worker", null);
            if (!id.matches("[A-Za-z0-9_.-]+")) {
                throw fail(file, "worker.id '" + id + "' may only contain letters, digits, '.', '_' and '-'");
            }
            worker = new Worker(id, string(file, w, "group", "worker", ""),
                    w.get("private_key") == null ? null : path(file, base, w, "private_key", "worker"),
                    w.get("known_hosts") == null ? null : path(file, base, w, "known_hosts", "worker"),
                    w.get("user") == null ? null : String.valueOf(w.get("user")),
                    integer(file, w, "forks", "worker", 256),
                    w.get("work_dir") == null ? Path.of(System.getProperty("java.io.tmpdir"), "fleet-worker-" + id)
                            : base.resolve(String.valueOf(w.get("work_dir"))),
                    vaultIds(file, base, w));
        }
        return new ClusterConfig(file, string(file, c, "name", "cluster", "fleet"), address, port, busPort,
                List.copyOf(members), tls, worker, grace);
    }

    /** {@code vault_ids: [{id, file}]}, then {@code vault_password_file} as id {@code default}; ids unique. */
    private static List<VaultId> vaultIds(Path file, Path base, Map<?, ?> w) throws ParseException {
        List<VaultId> out = new ArrayList<>();
        Object ids = w.get("vault_ids");
        if (ids != null && !(ids instanceof List<?>)) {
            throw fail(file, "worker.vault_ids must be a list of {id: LABEL, file: PASSWORD_FILE}");
        }
        for (Object entry : ids == null ? List.of() : (List<?>) ids) {
            Map<?, ?> m = map(file, entry, "worker.vault_ids entry", VAULT_ID);
            String id = string(file, m, "id", "worker.vault_ids entry", null);
            if (!id.matches("[A-Za-z0-9_.-]+")) {
                throw fail(file, "worker.vault_ids: id '" + id + "' may only contain letters, digits, '.', '_' and "
                        + "'-'");
            }
            out.add(new VaultId(id, path(file, base, m, "file", "worker.vault_ids entry")));
        }
        if (w.get("vault_password_file") != null) {
            out.add(new VaultId(VaultSecret.DEFAULT_ID,
                    path(file, base, w, "vault_password_file", "worker")));
        }
        List<String> seen = new ArrayList<>();
        for (VaultId v : out) {
            if (seen.contains(v.id())) {
                throw fail(file, "worker: vault id '" + v.id() + "' is given twice (vault_password_file is id "
                        + "'default'); give each id once");
            }
            seen.add(v.id());
        }
        return out;
    }

    /** {@link #load}, or null after telling {@code err} what is wrong with the file (exit code: bad options). */
    static ClusterConfig loadReporting(Path file, PrintWriter err) {
        try {
            return load(file);
        } catch (ParseException e) {
            err.println("fleet: ERROR: " + e.getMessage());
            err.flush();
            return null;
        }
    }

    private static Map<?, ?> map(Path file, Object v, String what, Set<String> allowed) throws ParseException {
        if (!(v instanceof Map<?, ?> m)) throw fail(file, what + " must be a mapping");
        for (Object k : m.keySet()) {
            if (!allowed.contains(String.valueOf(k))) {
                throw fail(file, "unknown key '" + k + "' in " + what + "; known: " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
        return m;
    }

    private static String string(Path file, Map<?, ?> m, String key, String where, String dflt)
            throws ParseException {
        Object v = m.get(key);
        if (v == null) {
            if (dflt != null) return dflt;
            throw fail(file, where + "." + key + " is missing");
        }
        return String.valueOf(v);
    }

    private static int integer(Path file, Map<?, ?> m, String key, String where, int dflt) throws ParseException {
        Object v = m.get(key);
        if (v == null) return dflt;
        if (v instanceof Number n && n.intValue() >= 0 && n.intValue() <= 65535) return n.intValue();
        throw fail(file, where + "." + key + " must be a number from 0 to 65535, got '" + v + "'");
    }

    private static Path path(Path file, Path base, Map<?, ?> m, String key, String where) throws ParseException {
        Path p = base.resolve(string(file, m, key, where, null));
        if (!Files.isReadable(p)) throw fail(file, where + "." + key + ": cannot read " + p);
        return p;
    }

    private static ParseException fail(Path file, String problem) {
        return new ParseException(SourcePosition.of(file.toString()), problem);
    }
}
