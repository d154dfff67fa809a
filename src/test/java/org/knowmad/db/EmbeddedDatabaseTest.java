package org.knowmad.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Fixtures;

/**
 * The embedded PostgreSQL a new user gets without DATABASE_URL (README, first command): started from the jar's
 * binaries into an empty folder, with the knowmad database created once; a second start on the same folder while
 * the first runs (knowmad signin-link beside a serving node) uses the running server; after a stop the data is kept.
 */
class EmbeddedDatabaseTest {

    @Test
    void startsOnAnEmptyFolderSharesARunningServerAndKeepsItsDataAcrossRestarts() throws Exception {
        Path dir = Fixtures.tempDir("embedded");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(dir)) {
            execute(first.target(), "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
            try (EmbeddedDatabase second = EmbeddedDatabase.start(dir)) {
                assertEquals(first.target(), second.target(), "a second start uses the running server");
                assertEquals(42, count(second.target(), "SELECT n FROM kept"));
            }
            assertEquals(42, count(first.target(), "SELECT n FROM kept"), "closing the borrowed server stopped nothing");
        }
        try (EmbeddedDatabase restarted = EmbeddedDatabase.start(dir)) {
            assertEquals(42, count(restarted.target(), "SELECT n FROM kept"));
            assertEquals(1, count(restarted.target(), "SELECT count(*) FROM pg_database WHERE datname = 'knowmad'"));
        }
    }

    private static void execute(DatabaseTarget target, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
            c.createStatement().execute(sql);
        }
    }

    private static int count(DatabaseTarget target, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password());
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
