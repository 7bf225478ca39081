package dev.fleet.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleet.result.HostStats;
import dev.fleet.result.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link RunStoreContract} scenarios against SQLite, plus the file handling and helpers only it has. */
class JdbcRunStoreTest extends RunStoreContract {
    @TempDir
    Path dir;

    /** Below directories that do not exist yet: the store must make them. */
    Path db() {
        return dir.resolve("sub/dir/history.db");
    }

    @Override
    SqliteRunStore open() {
        return new SqliteRunStore(db());
    }

    @Override
    SqliteRunStore open(List<Migration> migrations, String owner) {
        return new SqliteRunStore(db(), migrations, owner);
    }

    @Override
    Connection connect() throws SQLException {
        var props = new Properties();
        props.setProperty("foreign_keys", "true"); // off by default in SQLite: the cascade test needs it
        return DriverManager.getConnection("jdbc:sqlite:" + db(), props);
    }

    @Override
    @Test // again: JUnit runs an overriding method only if it is a @Test itself
    void recordsARunAndReadsItBack() throws Exception {
        assertThat(db()).doesNotExist();
        super.recordsARunAndReadsItBack();
        assertThat(db()).exists(); // the store made the file, and the directories above it
    }

    @Test
    void statusRules() {
        var ok = HostStats.EMPTY.plus(TaskStatus.OK, false);
        var changed = ok.plus(TaskStatus.CHANGED, false);
        var failed = ok.plus(TaskStatus.FAILED, false);
        var unreachable = ok.plus(TaskStatus.UNREACHABLE, false);
        assertThat(RunStatus.run(Map.of("a", ok), false)).isEqualTo("ok");
        assertThat(RunStatus.run(Map.of("a", ok, "b", changed), false)).isEqualTo("changed");
        assertThat(RunStatus.run(Map.of("a", changed, "b", unreachable), false)).isEqualTo("unreachable");
        assertThat(RunStatus.run(Map.of("a", failed, "b", unreachable), false)).isEqualTo("failed");
        assertThat(RunStatus.run(Map.of("a", failed), true)).isEqualTo("interrupted");
    }

    @Test
    void defaultPathFollowsXdgAndTheOverride() {
        assertThat(SqliteRunStore.defaultPath(Map.of(), "/home/u"))
                .isEqualTo(Path.of("/home/u/.local/share/fleet/history.db"));
        assertThat(SqliteRunStore.defaultPath(Map.of("XDG_DATA_HOME", "/data"), "/home/u"))
                .isEqualTo(Path.of("/data/fleet/history.db"));
        assertThat(SqliteRunStore.defaultPath(Map.of("XDG_DATA_HOME", "relative"), "/home/u"))
                .isEqualTo(Path.of("/home/u/.local/share/fleet/history.db"));
        assertThat(SqliteRunStore.defaultPath(Map.of("XDG_DATA_HOME", "/data", "FLEET_HISTORY_DB", "/tmp/h.db"), "/h"))
                .isEqualTo(Path.of("/tmp/h.db"));
    }

    @Test
    void aFileThatIsNotADatabaseIsAClearError() throws Exception {
        Files.createDirectories(db().getParent());
        Files.writeString(db(), "this is not sqlite ".repeat(100));
        assertThatThrownBy(() -> new SqliteRunStore(db())).isInstanceOf(RunStoreException.class)
                .hasMessageContaining(db().toString());
    }

    @Test
    void clipKeepsWholeCharacters() {
        String s = "é".repeat(40_000); // 80000 bytes
        String c = SqlValues.clip(s);
        assertThat(c.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SqlValues.MAX_OUTPUT_BYTES);
        assertThat(c).doesNotContain("\uFFFD").contains("truncated, 80000 bytes");
        assertThat(SqlValues.clip("a\0b")).isEqualTo("ab");
    }

    /**
     * Some errors make SQLite roll the transaction back by itself (a full disk; here a trigger's RAISE(ROLLBACK)).
     * The writer used to keep that connection, whose driver then failed every later commit ("cannot commit - no
     * transaction is active"): nothing was recorded again until a restart.
     */
    @Test
    void aWriteThatSqliteRolledBackItselfDoesNotStopLaterRecording() throws Exception {
        try (SqliteRunStore store = open()) {
            try (Connection c = connect(); var st = c.createStatement()) {
                st.execute("CREATE TRIGGER refuse_bad BEFORE INSERT ON task_results WHEN NEW.host = 'bad' "
                        + "BEGIN SELECT RAISE(ROLLBACK, 'no room for bad'); END");
            }
            RunRecorder broken = store.recorder("r-broken", META);
            new SyntheticRun(Instant.now(), "bad").ok("bad", "a").ok("bad", "b").playInto(broken);
            assertThat(broken.failure()).hasValueSatisfying(f -> assertThat(f).contains("no room for bad")
                    .contains("2 task result(s) not recorded"));

            RunRecorder fine = store.recorder("r-fine", META);
            new SyntheticRun(Instant.now(), "h1").ok("h1", "a").playInto(fine);
            assertThat(fine.failure()).isEmpty();
            assertThat(store.find("r-fine").orElseThrow().hosts().get("h1").tasks()).hasSize(1);
        }
    }
}
