package org.knowmad.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.db.Migrations;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh, migrated database per test class on a real PostgreSQL server, found in this order:
 * {@code TEST_DATABASE_URL}; Testcontainers when a Docker engine answers; embedded PostgreSQL.
 * If none can start, the failure says what to provide.
 */
public final class TestDatabase {

    private static DatabaseTarget server;
    /**
     * The databases this JVM created on a server given by {@code TEST_DATABASE_URL}, dropped when it exits: that
     * server outlives the tests (a container or an embedded server is thrown away with its databases).
     */
    private static final java.util.List<String> created = new java.util.ArrayList<>();
    private static boolean shared;

    private TestDatabase() {
    }

    /** Creates a new empty database, migrated with the same Flyway call the server uses. */
    public static synchronized DatabaseTarget fresh() {
        DatabaseTarget admin = server();
        String name = "knowmad_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create a test database on " + admin.jdbcUrl() + ": " + e.getMessage(), e);
        }
        if (shared) {
            if (created.isEmpty()) Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropCreated, "drop-test-databases"));
            created.add(name);
        }
        DatabaseTarget target = admin.withDatabase(name);
        Migrations.migrate(target);
        return target;
    }

    /** At exit: each test class's database, with whatever connections a node left open (FORCE, PostgreSQL 13+). */
    private static synchronized void dropCreated() {
        DatabaseTarget admin = server;
        if (admin == null) return;
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement st = c.createStatement()) {
            for (String name : created) st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("test databases left behind on " + admin.jdbcUrl() + ": " + e.getMessage());
        }
    }

    private static DatabaseTarget server() {
        if (server != null) return server;
        String url = System.getenv("TEST_DATABASE_URL");
        if (url != null && !url.isBlank()) {
            server = DatabaseTarget.parse(url.trim());
            shared = true;
            return server;
        }
        StringBuilder why = new StringBuilder();
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer pg = new PostgreSQLContainer("postgres:16-alpine");
                pg.start();
                server = new DatabaseTarget(pg.getHost(), pg.getMappedPort(5432), pg.getDatabaseName(), pg.getUsername(), pg.getPassword());
                return server;
            }
            why.append("no Docker engine for Testcontainers; ");
        } catch (RuntimeException | Error e) {
            why.append("Testcontainers failed (").append(e.getMessage()).append("); ");
        }
        try {
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(Fixtures.tempDir("knowmad-test-pg"))
                    .setCleanDataDirectory(true)
                    .start();
            server = new DatabaseTarget("localhost", pg.getPort(), "postgres", "postgres", null);
            return server;
        } catch (Exception e) {
            why.append("embedded PostgreSQL failed (").append(e.getMessage()).append(")");
        }
        throw new IllegalStateException("No PostgreSQL for the tests: " + why
                + ". Set TEST_DATABASE_URL=postgresql://user:password@localhost:5432/postgres (a user allowed to CREATE DATABASE).");
    }
}
