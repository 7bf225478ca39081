package dev.fleet.history;

import java.util.ArrayList;
import java.util.List;

/**
 * One step of the history schema. Applied in version order, each pending step in one transaction with its row in
 * {@code schema_version}; a step is never edited once released, later changes are new steps. The SQL sticks to
 * what SQLite and PostgreSQL both accept (TEXT, INTEGER, BIGINT; timestamps are epoch milliseconds).
 */
public record Migration(int version, String description, String sql) {

    /** Every migration fleet knows, oldest first. */
    public static final List<Migration> ALL = List.of(
            new Migration(1, "runs, host_results, task_results", """
                    CREATE TABLE runs (
                        id TEXT PRIMARY KEY,
                        playbook TEXT NOT NULL,
                        inventory TEXT,
                        limit_pattern TEXT,
                        "trigger" TEXT NOT NULL,
                        check_mode INTEGER NOT NULL DEFAULT 0,
                        status TEXT NOT NULL,
                        owner TEXT,
                        start_ts BIGINT NOT NULL,
                        end_ts BIGINT,
                        host_count INTEGER NOT NULL DEFAULT 0,
                        failed_hosts INTEGER NOT NULL DEFAULT 0,
                        unreachable_hosts INTEGER NOT NULL DEFAULT 0,
                        ok INTEGER NOT NULL DEFAULT 0,
                        changed INTEGER NOT NULL DEFAULT 0,
                        unreachable INTEGER NOT NULL DEFAULT 0,
                        failed INTEGER NOT NULL DEFAULT 0,
                        skipped INTEGER NOT NULL DEFAULT 0,
                        rescued INTEGER NOT NULL DEFAULT 0,
                        ignored INTEGER NOT NULL DEFAULT 0
                    );
                    CREATE INDEX runs_start_ts ON runs (start_ts);
                    CREATE INDEX runs_status ON runs (status);
                    CREATE TABLE host_results (
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        host TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        ok INTEGER NOT NULL,
                        changed INTEGER NOT NULL,
                        unreachable INTEGER NOT NULL,
                        failed INTEGER NOT NULL,
                        skipped INTEGER NOT NULL,
                        rescued INTEGER NOT NULL,
                        ignored INTEGER NOT NULL,
                        PRIMARY KEY (run_id, host)
                    );
                    CREATE INDEX host_results_status ON host_results (run_id, status);
                    CREATE TABLE task_results (
                        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                        host TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        play TEXT,
                        task TEXT,
                        module TEXT,
                        source TEXT,
                        status TEXT NOT NULL,
                        ignored INTEGER NOT NULL DEFAULT 0,
                        rc INTEGER,
                        msg TEXT,
                        stdout TEXT,
                        stderr TEXT,
                        start_ts BIGINT,
                        end_ts BIGINT,
                        PRIMARY KEY (run_id, host, seq)
                    );
                    CREATE INDEX task_results_status ON task_results (run_id, status);
                    """),
            // JSON (RunArgs): what 'fleet run --retry-failed/--retry-unreachable' needs to start a run again
            new Migration(2, "runs.run_args", "ALTER TABLE runs ADD COLUMN run_args TEXT;"),
            // no foreign key to runs: the audit outlives the runs retention deletes
            new Migration(3, "audit", """
                    CREATE TABLE audit (
                        ts BIGINT NOT NULL,
                        token TEXT,
                        action TEXT NOT NULL,
                        run_id TEXT,
                        schedule TEXT,
                        client TEXT,
                        status INTEGER NOT NULL,
                        outcome TEXT NOT NULL
                    );
                    CREATE INDEX audit_ts ON audit (ts);
                    """));

    public Migration {
        if (version < 1) throw new IllegalArgumentException("migration versions start at 1");
    }

    /** The script split into statements (at a {@code ;} ending a line; no procedural SQL here). */
    public List<String> statements() {
        List<String> out = new ArrayList<>();
        for (String s : sql.split(";\\s*(\\R|$)")) {
            if (!s.isBlank()) out.add(s.strip());
        }
        return out;
    }
}
