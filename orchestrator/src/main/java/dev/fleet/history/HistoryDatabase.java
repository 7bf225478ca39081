package dev.fleet.history;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the run history lives, decided the same way for every command: an explicit file or JDBC URL, else
 * {@code $FLEET_HISTORY_DB} when it is a URL, else the default SQLite file ({@link SqliteRunStore#defaultPath()},
 * which itself honours {@code $FLEET_HISTORY_DB} as a file).
 */
public final class HistoryDatabase {
    private HistoryDatabase() {}

    /** The database to use: {@code explicit} (from {@code --db}/{@code --history-db}) when given. */
    public static String locate(String explicit) {
        if (explicit != null && !explicit.isBlank()) return explicit;
        String env = System.getenv("FLEET_HISTORY_DB");
        if (env != null && isUrl(env.strip())) return env.strip();
        return SqliteRunStore.defaultPath().toString();
    }

    public static boolean isUrl(String db) {
        return db.startsWith("jdbc:");
    }

    /** A SQLite file not created yet: nothing was ever recorded there. A URL is always opened. */
    public static boolean missing(String db) {
        return !isUrl(db) && !Files.exists(Path.of(db));
    }

    /** The database for messages: a URL's password masked. */
    public static String describe(String db) {
        return isUrl(db) ? db.replaceAll("password=[^&]*", "password=***") : db;
    }
}
