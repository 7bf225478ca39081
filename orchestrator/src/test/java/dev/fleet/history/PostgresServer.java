package dev.fleet.history;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server of the test's own: {@code initdb} into a temporary directory, started with
 * {@code pg_ctl} on 127.0.0.1 and a free port, unix socket in the same directory, trust authentication. Never the
 * cluster a Debian package may have started. As root it runs as the {@code postgres} OS user (PostgreSQL refuses
 * root).
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final boolean asPostgres;
    private int port;
    private boolean running;

    private PostgresServer(Path bin, Path dir, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("postgres.log");
        this.asPostgres = asPostgres;
    }

    /** The newest /usr/lib/postgresql/N/bin holding initdb and pg_ctl, if PostgreSQL is installed. */
    public static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return Optional.empty();
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(PostgresServer::version));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int version(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Why no server can be started here, or empty if one can. */
    public static Optional<String> unavailable() {
        if (binaries().isEmpty()) {
            return Optional.of("PostgreSQL server binaries not installed (/usr/lib/postgresql/*/bin)");
        }
        if (isRoot()) {
            if (!Files.isExecutable(Path.of("/usr/sbin/runuser")) && !Files.isExecutable(Path.of("/sbin/runuser"))
                    && !Files.isExecutable(Path.of("/usr/bin/runuser"))) {
                return Optional.of("running as root without runuser");
            }
            try {
                if (Files.readAllLines(Path.of("/etc/passwd")).stream().noneMatch(l -> l.startsWith("postgres:"))) {
                    return Optional.of("running as root and there is no postgres OS user");
                }
            } catch (IOException e) {
                return Optional.of("cannot read /etc/passwd: " + e);
            }
        }
        return Optional.empty();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** initdb + start; {@code dir} must be empty and is made readable to the postgres user. */
    public static PostgresServer start(Path dir) throws Exception {
        Path bin = binaries().orElseThrow(() -> new IllegalStateException("PostgreSQL not installed"));
        PostgresServer s = new PostgresServer(bin, dir, isRoot());
        s.initdb();
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) { // a free port can be taken between choosing and binding
            s.port = freePort();
            try {
                s.pgCtl(60, "-D", s.data.toString(), "-l", s.log.toString(), "-w", "-t", "45", "-o",
                        "-c listen_addresses=127.0.0.1 -p " + s.port + " -c unix_socket_directories=" + dir
                                + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start");
                s.running = true;
                Runtime.getRuntime().addShutdownHook(new Thread(s::stopQuietly));
                return s;
            } catch (IllegalStateException e) {
                last = e;
                s.stopQuietly();
            }
        }
        throw last;
    }

    private void initdb() throws Exception {
        // The temp dir (and the JUnit root above it) is 0700 to root: the postgres user must get through it.
        for (Path p = dir; p != null && p.startsWith(System.getProperty("java.io.tmpdir")); p = p.getParent()) {
            if (p.equals(Path.of(System.getProperty("java.io.tmpdir")))) break;
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // socket + log
        Files.createDirectories(data);
        if (asPostgres) run(30, List.of("chown", "postgres:postgres", data.toString(), dir.toString()));
        run(120, command(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--locale=C", "--no-sync"));
        // trust only over the socket in our own directory and from 127.0.0.1
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host  all all 127.0.0.1/32 trust
                """);
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private void pgCtl(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin.resolve("pg_ctl").toString());
        cmd.addAll(List.of(args));
        run(timeoutSeconds, command(cmd.toArray(String[]::new)));
    }

    private void run(int timeoutSeconds, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("fleet-pg", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": timed out after " + timeoutSeconds
                        + "s\n" + Files.readString(out) + serverLog());
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": exit " + p.exitValue() + "\n"
                        + Files.readString(out) + serverLog());
            }
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private String serverLog() {
        try {
            return Files.exists(log) ? "\n--- server log ---\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** The JDBC URL of {@code database} on this server, as the postgres superuser. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Drops (disconnecting anyone) and creates {@code database}: every test starts from an empty one. */
    public void recreate(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres")); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
    }

    /** pg_ctl stop -m immediate, waiting at most 30 s. */
    @Override
    public void close() throws Exception {
        if (!running) return;
        running = false;
        pgCtl(30, "-D", data.toString(), "-m", "immediate", "-w", "-t", "20", "stop");
    }

    private void stopQuietly() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                running = true;
                close();
            }
        } catch (Exception ignored) {
            // best effort
        }
    }
}
