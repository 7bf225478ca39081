package dev.fleet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code fleet worker} JVMs for a clustered-run test, started as a user starts them: certificates from
 * {@code examples/cluster/certs.sh}, one {@code fleet worker --config FILE} process per worker, each on its own
 * loopback address. Node 1 ({@code prefix + 1}) is the coordinator, which the test runs in its own JVM with
 * {@link #coordinatorConfig()}; workers take the nodes the test gives them. Each test class takes a prefix of its
 * own (127.0.2xx.), so two classes can run at once on a shared machine. {@link #close} stops every worker, a frozen
 * one included.
 */
public final class WorkerCluster implements AutoCloseable {
    private static final Path CERTS_RECIPE = Path.of("..", "examples", "cluster", "certs.sh").toAbsolutePath()
            .normalize();

    private final Path dir;
    private final Path certs;
    private final String prefix;
    private final String name;
    private final int size;
    private final Path knownHosts;
    private final Map<String, Integer> nodes;
    private final Map<String, Process> running = new LinkedHashMap<>();

    private WorkerCluster(Path dir, String prefix, String name, int size, Path knownHosts,
            Map<String, Integer> nodes) {
        this.dir = dir;
        this.certs = dir.resolve("certs");
        this.prefix = prefix;
        this.name = name;
        this.size = size;
        this.knownHosts = knownHosts;
        this.nodes = new LinkedHashMap<>(nodes);
    }

    /** Whether openssl, which the certificate recipe needs, is installed (tests assume it). */
    public static boolean opensslInstalled() throws IOException, InterruptedException {
        return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
    }

    /**
     * Makes the certificates of the coordinator (node 1) and of every worker in {@code workers} (id to node) and
     * writes the coordinator's config; starts nothing. The cluster's members are nodes 1 to {@code size}; the
     * workers connect to the lab with {@code knownHosts}.
     */
    public static WorkerCluster create(Path dir, String prefix, String name, int size, Path knownHosts,
            Map<String, Integer> workers) throws Exception {
        WorkerCluster c = new WorkerCluster(dir, prefix, name, size, knownHosts, workers);
        List<String> cmd = new ArrayList<>(List.of(CERTS_RECIPE.toString(), c.certs.toString(),
                "coordinator=" + prefix + 1));
        workers.forEach((id, node) -> cmd.add(id + "=" + prefix + node));
        run(cmd.toArray(String[]::new));
        Files.writeString(c.coordinatorConfig(), c.clusterSection(1, c.certs, "coordinator"));
        return c;
    }

    /** Certificates from a CA of their own, which the cluster does not trust, for {@code id} at {@code node}. */
    public Path foreignCertificates(String id, int node) throws Exception {
        Path foreign = dir.resolve("foreign-certs-" + id);
        run(CERTS_RECIPE.toString(), foreign.toString(), id + "=" + prefix + node);
        return foreign;
    }

    public Path coordinatorConfig() {
        return dir.resolve("coordinator.yml");
    }

    /** The {@code cluster:} section of node {@code node} with the certificate {@code certName} from {@code certs}. */
    public String clusterSection(int node, Path certs, String certName) {
        StringBuilder members = new StringBuilder();
        for (int i = 1; i <= size; i++) members.append(i > 1 ? ", " : "").append(prefix).append(i).append(":5701");
        return """
                cluster:
                  name: %s
                  address: %s
                  members: [%s]
                  reply_grace: 5
                  tls: {key: %s, cert: %s, ca: %s}
                """.formatted(name, prefix + node, members, certs.resolve(certName + ".key"),
                certs.resolve(certName + ".crt"), certs.resolve("ca.crt"));
    }

    /** The {@code cluster:} section of another coordinator of this cluster, e.g. a serve's, at {@code node}. */
    public String coordinatorSection(int node) {
        return clusterSection(node, certs, "coordinator");
    }

    /**
     * Starts worker {@code id} (its certificate and node made by {@link #create}) with its cluster section, its
     * worker section (id, the lab's known_hosts, a work directory of its own) and {@code extraWorkerKeys}, lines
     * indented under {@code worker:}; does not wait for it.
     */
    public Process start(String id, String extraWorkerKeys) throws IOException {
        return start(id, clusterSection(nodes.get(id), certs, id), extraWorkerKeys);
    }

    /** As {@link #start(String, String)} with a cluster section of the caller's (a worker with foreign certs). */
    public Process start(String id, String clusterSection, String extraWorkerKeys) throws IOException {
        Path cfg = dir.resolve(id + ".yml");
        Files.writeString(cfg, clusterSection + """
                worker:
                  id: %s
                  known_hosts: %s
                  work_dir: %s
                """.formatted(id, knownHosts, dir.resolve("work-" + id)) + extraWorkerKeys);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.fleet.cli.Main", "worker", "--config",
                cfg.toString()).redirectErrorStream(true).redirectOutput(log(id).toFile());
        pb.environment().put("FLEET_CLUSTER_LOG", "jdk"); // Hazelcast's membership lines in the log, for failures
        Process p = pb.start();
        running.put(id, p);
        return p;
    }

    /** Starts every worker {@link #create} was given, with no extra keys, and waits until each is ready. */
    public WorkerCluster startAll() throws Exception {
        for (String id : nodes.keySet()) start(id, "");
        for (String id : nodes.keySet()) awaitReady(id);
        return this;
    }

    /** Waits (up to 90 s) until worker {@code id} says it is ready; fails with its log if it dies or takes longer. */
    public void awaitReady(String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        Process p = running.get(id);
        while (!readLog(log(id)).contains(": ready")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("worker " + id + " did not start; its log:\n" + readLog(log(id)));
            }
            Thread.sleep(200);
        }
    }

    public Process process(String id) {
        return running.get(id);
    }

    public Path log(String id) {
        return dir.resolve(id + ".log");
    }

    /** Every started worker's log, for assertion messages. */
    public String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String id : running.keySet()) sb.append("\n--- ").append(id).append(".log:\n").append(readLog(log(id)));
        return sb.toString();
    }

    public static String readLog(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Sends {@code signal} (STOP, CONT, ...) to a worker. */
    public static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor(10, TimeUnit.SECONDS);
    }

    /** Stops every worker: a frozen one is continued, each is asked first and killed if not gone within 15 s. */
    @Override
    public void close() throws Exception {
        for (Process p : running.values()) {
            if (p.isAlive()) signal(p, "CONT");
            p.destroy();
        }
        for (Process p : running.values()) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
    }
}
