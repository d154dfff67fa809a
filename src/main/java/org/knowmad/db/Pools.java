package org.knowmad.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.impl.PgPoolOptions;
import io.vertx.sqlclient.Pool;

/** Builds the reactive pool the whole app shares. */
public final class Pools {

    private Pools() {
    }

    public static Pool create(Vertx vertx, DatabaseTarget target, int maxSize) {
        // Pipelining was the largest single throughput setting measured here (ARCHITECTURE.md), but a
        // pipelined pool refuses pool.withTransaction ("Cannot acquire a connection on a pipelined
        // pool"), and every user action here is one transaction. A separate pipelined pool for
        // read-only pages is the next step once a benchmark shows it matters.
        PgPoolOptions options = new PgPoolOptions().setPipelined(false);
        options.setMaxSize(maxSize);
        options.setShared(false);
        return PgBuilder.pool()
                .with(options)
                .connectingTo(target.connectOptions())
                .using(vertx)
                .build();
    }
}
