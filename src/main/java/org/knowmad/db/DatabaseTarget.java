package org.knowmad.db;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Where the database is: parsed once from {@code DATABASE_URL}, handed to Flyway (JDBC) and the reactive pool. */
public record DatabaseTarget(String host, int port, String database, String user, String password) {

    /** Parses {@code postgresql://user:pass@host:port/db} (also {@code postgres://}). */
    public static DatabaseTarget parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DATABASE_URL is not a URL: expected postgresql://user:password@host:5432/database");
        }
        String scheme = uri.getScheme();
        if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
            throw new IllegalArgumentException("DATABASE_URL must start with postgresql:// (got '" + scheme + "')");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("DATABASE_URL has no host: expected postgresql://user:password@host:5432/database");
        }
        String user = "postgres";
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            if (parts.length > 1) password = decode(parts[1]);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String db = path.startsWith("/") ? path.substring(1) : path;
        if (db.isEmpty()) db = user;
        return new DatabaseTarget(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), db, user, password);
    }

    public DatabaseTarget withDatabase(String name) {
        return new DatabaseTarget(host, port, name, user, password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String url() {
        String auth = password == null ? user : user + ":" + password;
        return "postgresql://" + auth + "@" + host + ":" + port + "/" + database;
    }

    public PgConnectOptions connectOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host)
                .setPort(port)
                .setDatabase(database)
                .setUser(user)
                .setCachePreparedStatements(true)
                // The client keeps only statements up to 2,048 characters by default; longer ones (the pulse's counts,
                // the release job, a post's notifications) were parsed and planned again on every execution.
                .setPreparedStatementCacheSqlLimit(8_192)
                .setPipeliningLimit(256);
        if (password != null) options.setPassword(password);
        return options;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
