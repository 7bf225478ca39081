package dev.fleet.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The default run store: one SQLite file, {@code ~/.local/share/fleet/history.db} ({@code $XDG_DATA_HOME}
 * honoured, {@code $FLEET_HISTORY_DB} overrides). WAL journal (readers never block the writer), a busy timeout
 * (several fleet processes may record at once) and enforced foreign keys.
 */
public final class SqliteRunStore extends JdbcRunStore {
    private final Path file;

    /** Opens (creating the directories, the file and the schema as needed) the database at {@code file}. */
    public SqliteRunStore(Path file) {
        this(file, Migration.ALL, RunOwner.current());
    }

    public SqliteRunStore(Path file, List<Migration> migrations, String owner) {
        super("jdbc:sqlite:" + prepare(file), migrations, owner);
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public static Path defaultPath() {
        return defaultPath(System.getenv(), System.getProperty("user.home"));
    }

    static Path defaultPath(Map<String, String> env, String home) {
        String explicit = env.get("FLEET_HISTORY_DB");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        String xdg = env.get("XDG_DATA_HOME");
        // the XDG spec: a relative XDG_DATA_HOME is invalid and ignored
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
                : Path.of(home, ".local", "share");
        return base.resolve("fleet").resolve("history.db");
    }

    private static Path prepare(Path file) {
        Path abs = file.toAbsolutePath();
        try {
            if (abs.getParent() != null) Files.createDirectories(abs.getParent());
        } catch (IOException e) {
            throw new RunStoreException("cannot create " + abs.getParent() + ": " + e, e);
        }
        if (Files.isDirectory(abs)) throw new RunStoreException(abs + " is a directory");
        return abs;
    }
}
