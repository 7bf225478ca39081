package dev.fleet.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {

    @Test
    void copiesTheDriversLibraryOnceAndRepairsAnIncompleteCopy(@TempDir Path root) throws Exception {
        byte[] original;
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                (resource.startsWith("/") ? "" : "/") + resource)) {
            assertThat(in).as("sqlite-jdbc bundles a library for this platform").isNotNull();
            original = in.readAllBytes();
        }
        Path lib = SqliteNativeLibrary.cachedCopy(root);
        assertThat(lib).isNotNull().startsWith(root);
        assertThat(lib.getParent().getFileName().toString()).startsWith("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion());
        assertThat(Files.readAllBytes(lib)).isEqualTo(original);

        // A second process finds it and does not write it again.
        FileTime old = FileTime.from(Instant.parse("2020-01-01T00:00:00Z"));
        Files.setLastModifiedTime(lib, old);
        assertThat(SqliteNativeLibrary.cachedCopy(root)).isEqualTo(lib);
        assertThat(Files.getLastModifiedTime(lib)).isEqualTo(old);

        // A copy cut short (a crash mid-write, a full disk) is replaced, not loaded.
        Files.write(lib, new byte[10]);
        assertThat(SqliteNativeLibrary.cachedCopy(root)).isEqualTo(lib);
        assertThat(Files.readAllBytes(lib)).isEqualTo(original);
        try (var files = Files.list(lib.getParent())) {
            assertThat(files).containsExactly(lib); // no temporary files left behind
        }
    }

    @Test
    void cacheRootFollowsXdgThenHome() {
        assertThat(SqliteNativeLibrary.cacheRoot(Map.of("XDG_CACHE_HOME", "/x/cache"), "/home/u"))
                .isEqualTo(Path.of("/x/cache/fleet"));
        assertThat(SqliteNativeLibrary.cacheRoot(Map.of("XDG_CACHE_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.cache/fleet"));
        assertThat(SqliteNativeLibrary.cacheRoot(Map.of(), "")).isNull();
    }

    @Test
    void storesOpenWithTheCachedLibrary(@TempDir Path dir) {
        try (SqliteRunStore store = new SqliteRunStore(dir.resolve("h.db"))) {
            assertThat(store.file()).exists();
        }
        String path = System.getProperty("org.sqlite.lib.path");
        if (path != null) { // unset only if the cache could not be written (then the driver extracted its own)
            assertThat(Path.of(path, System.getProperty("org.sqlite.lib.name"))).isRegularFile();
        }
    }
}
