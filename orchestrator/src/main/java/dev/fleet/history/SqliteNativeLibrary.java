package dev.fleet.history;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Points sqlite-jdbc at a cached copy of its native library instead of a fresh one per process.
 *
 * <p>Why: by default the driver extracts {@code libsqlitejdbc.so} (1 MiB) from the jar into {@code java.io.tmpdir}
 * on every start and then reads both copies back to compare them: about 100 ms of every {@code fleet run} and
 * {@code fleet history} (the first connection took 220 ms, 110 ms with the cached copy). The copy is made once
 * per library build, under {@code $XDG_CACHE_HOME/fleet} (else {@code ~/.cache/fleet}), in a directory named by
 * the driver version and the jar entry's CRC, so a different library never matches a stale copy; it is written
 * to a temporary file and moved into place, so concurrent fleet processes never load a half-written one.
 *
 * <p>Best effort: if anything goes wrong (no home directory, read-only file system, a platform without a
 * bundled library) nothing is set and the driver does what it always does.
 */
final class SqliteNativeLibrary {
    private static boolean attempted; // guarded by the class lock

    private SqliteNativeLibrary() {}

    /** Once per JVM, before the first SQLite connection. */
    static synchronized void useCachedCopy() {
        if (attempted) return;
        attempted = true;
        Path root = cacheRoot(System.getenv(), System.getProperty("user.home"));
        if (root != null) useCachedCopy(root);
    }

    /** Sets the driver's library properties to a copy under {@code root}; returns the library, or null if not. */
    static Path useCachedCopy(Path root) {
        if (System.getProperty("org.sqlite.lib.path") != null) return null; // the user chose one
        Path lib = cachedCopy(root);
        if (lib != null) {
            System.setProperty("org.sqlite.lib.path", lib.getParent().toString());
            System.setProperty("org.sqlite.lib.name", lib.getFileName().toString());
        }
        return lib;
    }

    /** The library's copy under {@code root}, made now if it is missing or incomplete; null if it cannot be. */
    static Path cachedCopy(Path root) {
        try {
            String folder = LibraryLoaderUtil.getNativeLibResourcePath();
            String name = LibraryLoaderUtil.getNativeLibName();
            URL url = SQLiteJDBCLoader.class.getResource((folder.startsWith("/") ? "" : "/") + folder + "/" + name);
            if (url == null) return null;
            URLConnection conn = url.openConnection();
            long size = conn.getContentLengthLong();
            String crc = conn instanceof JarURLConnection jar && jar.getJarEntry() != null
                    ? Long.toHexString(jar.getJarEntry().getCrc()) : "nocrc";
            Path dir = root.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-" + crc);
            Path lib = dir.resolve(name);
            if (!Files.isRegularFile(lib) || size < 0 || Files.size(lib) != size) {
                createPrivateDirectories(dir);
                Path tmp = Files.createTempFile(dir, name, ".tmp");
                try (InputStream in = conn.getInputStream()) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return lib;
        } catch (IOException | RuntimeException e) {
            return null; // the driver extracts its own copy, as without this class
        }
    }

    static Path cacheRoot(Map<String, String> env, String home) {
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) return Path.of(xdg, "fleet");
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "fleet");
    }

    /** The library will be loaded into fleet: only its owner may write where it lives. */
    private static void createPrivateDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }
}
