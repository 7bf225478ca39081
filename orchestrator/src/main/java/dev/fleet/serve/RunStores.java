package dev.fleet.serve;

import dev.fleet.history.JdbcRunStore;
import dev.fleet.history.RunStore;

/** Opens the history store named by {@code history.db}: a {@code jdbc:} URL, or else a SQLite file. */
public final class RunStores {
    private RunStores() {}

    public static RunStore open(String db) {
        try {
            return JdbcRunStore.open(db);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot open history " + db + ": " + e.getMessage(), e);
        }
    }
}
