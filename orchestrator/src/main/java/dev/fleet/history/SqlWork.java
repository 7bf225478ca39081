package dev.fleet.history;

import java.sql.Connection;
import java.sql.SQLException;

/** Database work on a connection the caller owns (and commits or rolls back). */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection c) throws SQLException;
}
