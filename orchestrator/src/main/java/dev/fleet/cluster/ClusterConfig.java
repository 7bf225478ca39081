package dev.fleet.cluster;

import dev.fleet.vault.VaultSecret;
import dev.fleet.yaml.ParseException;
import dev.fleet.yaml.SourcePosition;
import dev.fleet.yaml.YamlLoader;
import dev.fleet.yaml.YamlNode;
import dev.fleet.yaml.YamlNode.Mapping;
import dev.fleet.yaml.YamlNode.Scalar;
import dev.fleet.yaml.YamlNode.Sequence;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A cluster node's config file: the cluster section every node has (its own address, the members to join, its
 * TLS files) and, for a worker, the worker section (its id, site group and its own SSH key, known_hosts and vault
 * passwords); or a
 * coordinator's cluster section inside {@code fleet serve}'s config ({@link #section}). Relative paths are relative
 * to the file; errors name {@code file:line:column}.
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
        if (root == null) throw new ParseException(SourcePosition.of(file.toString()), "empty cluster config file");
        Mapping top = map(root, "the config file", TOP);
        if (!top.has("cluster")) throw new ParseException(top.position(), "missing 'cluster:' (name, address, "
                + "members, tls, ...)");
        Path base = file.toAbsolutePath().getParent();
        ClusterConfig c = cluster(top.get("cluster"), file, base);
        if (!present(top, "worker")) return c;
        return new ClusterConfig(c.file, c.name, c.address, c.port, c.busPort, c.members, c.tls,
                worker(top.get("worker"), base), c.replyGrace);
    }

    /**
     * A coordinator's {@code cluster:} section inside another config file ({@code fleet serve}'s): the same keys as
     * in a coordinator's own file, paths relative to {@code file}, errors at {@code file:line:column}.
     */
    public static ClusterConfig section(YamlNode cluster, Path file) throws ParseException {
        return cluster(cluster, file, file.toAbsolutePath().getParent());
    }

    private static ClusterConfig cluster(YamlNode node, Path file, Path base) throws ParseException {
        Mapping c = map(node, "cluster", CLUSTER);
        String address = string(c, "address", "cluster", null);
        if (address.equals("0.0.0.0") || address.equals("::")) {
            throw new ParseException(c.get("address").position(), "cluster.address must be one address of this "
                    + "machine, not " + address + ": the cluster ports bind to it only");
        }
        int port = integer(c, "port", "cluster", 5701);
        int busPort = integer(c, "bus_port", "cluster", port + 100);
        List<String> members = new ArrayList<>();
        if (!(c.get("members") instanceof Sequence list) || list.items().isEmpty()) {
            throw new ParseException(c.has("members") ? c.get("members").position() : c.position(),
                    "cluster.members must list the members to join as host:port (this node's own may be among "
                    + "them), e.g. [127.0.0.21:5701]");
        }
        for (YamlNode m : list.items()) {
            if (!(m instanceof Scalar s) || s.isNull() || !s.text().strip().matches("\\S+:\\d{1,5}")) {
                throw new ParseException(m.position(), "cluster.members entries must be host:port, e.g. "
                        + "127.0.0.21:5701");
            }
            members.add(s.text().strip());
        }
        if (!c.has("tls")) throw new ParseException(c.position(), "cluster.tls is missing: the event bus needs "
                + "{key: node.key, cert: node.crt, ca: ca.crt} (examples/cluster/certs.sh makes them)");
        Mapping t = map(c.get("tls"), "cluster.tls", TLS);
        Tls tls = new Tls(path(t, base, "key", "cluster.tls"), path(t, base, "cert", "cluster.tls"),
                path(t, base, "ca", "cluster.tls"));
        Duration grace = Duration.ofSeconds(integer(c, "reply_grace", "cluster", 10));
        return new ClusterConfig(file, string(c, "name", "cluster", "fleet"), address, port, busPort,
                List.copyOf(members), tls, null, grace);
    }

    private static Worker worker(YamlNode node, Path base) throws ParseException {
        Mapping w = map(node, "worker", WORKER);
        String id = string(w, "id", "worker", null);
        if (!id.matches("[A-Za-z0-9_.-]+")) {
            throw new ParseException(w.get("id").position(), "worker.id '" + id + "' may only contain letters, "
                    + "digits, '.', '_' and '-'");
        }
        return new Worker(id, string(w, "group", "worker", ""),
                present(w, "private_key") ? path(w, base, "private_key", "worker") : null,
                present(w, "known_hosts") ? path(w, base, "known_hosts", "worker") : null,
                present(w, "user") ? string(w, "user", "worker", null) : null,
                integer(w, "forks", "worker", 256),
                present(w, "work_dir") ? base.resolve(string(w, "work_dir", "worker", null))
                        : Path.of(System.getProperty("java.io.tmpdir"), "fleet-worker-" + id),
                vaultIds(w, base));
    }

    /** {@code vault_ids: [{id, file}]}, then {@code vault_password_file} as id {@code default}; ids unique. */
    private static List<VaultId> vaultIds(Mapping w, Path base) throws ParseException {
        List<VaultId> out = new ArrayList<>();
        List<YamlNode> at = new ArrayList<>();
        if (present(w, "vault_ids")) {
            if (!(w.get("vault_ids") instanceof Sequence ids)) {
                throw new ParseException(w.get("vault_ids").position(), "worker.vault_ids must be a list of "
                        + "{id: LABEL, file: PASSWORD_FILE}");
            }
            for (YamlNode entry : ids.items()) {
                Mapping m = map(entry, "worker.vault_ids entry", VAULT_ID);
                String id = string(m, "id", "worker.vault_ids entry", null);
                if (!id.matches("[A-Za-z0-9_.-]+")) {
                    throw new ParseException(m.get("id").position(), "worker.vault_ids: id '" + id + "' may only "
                            + "contain letters, digits, '.', '_' and '-'");
                }
                out.add(new VaultId(id, path(m, base, "file", "worker.vault_ids entry")));
                at.add(entry);
            }
        }
        if (present(w, "vault_password_file")) {
            out.add(new VaultId(VaultSecret.DEFAULT_ID, path(w, base, "vault_password_file", "worker")));
            at.add(w.get("vault_password_file"));
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (out.get(j).id().equals(out.get(i).id())) {
                    throw new ParseException(at.get(i).position(), "worker: vault id '" + out.get(i).id()
                            + "' is given twice (vault_password_file is id 'default'); give each id once");
                }
            }
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

    private static boolean present(Mapping m, String key) {
        return m.get(key) != null && !(m.get(key) instanceof Scalar s && s.isNull());
    }

    private static Mapping map(YamlNode v, String what, Set<String> allowed) throws ParseException {
        if (!(v instanceof Mapping m)) throw new ParseException(v.position(), what + " must be a mapping");
        for (String k : m.entries().keySet()) {
            if (!allowed.contains(k)) {
                throw new ParseException(m.keyPosition(k), "unknown key '" + k + "' in " + what + "; known: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return m;
    }

    private static String string(Mapping m, String key, String where, String dflt) throws ParseException {
        YamlNode v = m.get(key);
        if (v == null || v instanceof Scalar s && s.isNull()) {
            if (dflt != null) return dflt;
            throw new ParseException(v != null ? v.position() : m.position(), where + "." + key + " is missing");
        }
        if (!(v instanceof Scalar s) || s.text().isBlank()) {
            throw new ParseException(v.position(), where + "." + key + " must be a non-empty string");
        }
        return s.text().strip();
    }

    private static int integer(Mapping m, String key, String where, int dflt) throws ParseException {
        YamlNode v = m.get(key);
        if (!present(m, key)) return dflt;
        if (v instanceof Scalar s && s.value() instanceof Number n && n.intValue() >= 0 && n.intValue() <= 65535) {
            return n.intValue();
        }
        throw new ParseException(v.position(), where + "." + key + " must be a number from 0 to 65535, got '"
                + (v instanceof Scalar s ? s.text() : "a " + v.kind()) + "'");
    }

    private static Path path(Mapping m, Path base, String key, String where) throws ParseException {
        Path p = base.resolve(string(m, key, where, null));
        if (!Files.isReadable(p)) throw new ParseException(m.get(key).position(), where + "." + key
                + ": cannot read " + p);
        return p;
    }
}
