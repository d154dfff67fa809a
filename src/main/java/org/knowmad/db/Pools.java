package org.knowmad.db;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.impl.PgPoolOptions;
import io.vertx.sqlclient.Pool;

/** Builds the reactive pool the whole app shares. */
public final class Pools {

    private Pools() {
    }

    /** The pool for transactions and everything else. */
    public static Pool create(Vertx vertx, DatabaseTarget target, int maxSize) {
        return build(vertx, target, maxSize, false);
    }

    /**
     * A pipelined pool for the single-statement reads every page makes (who is signed in, are they
     * enrolled). Pipelining was the largest single throughput setting measured here (ARCHITECTURE.md),
     * but a pipelined pool refuses {@code withTransaction}, so writes keep the ordinary pool.
     */
    public static Pool createForReads(Vertx vertx, DatabaseTarget target, int maxSize) {
        return build(vertx, target, maxSize, true);
    }

    private static Pool build(Vertx vertx, DatabaseTarget target, int maxSize, boolean pipelined) {
        // The switch only exists on the impl options class, so it is set here and nowhere else.
        PgPoolOptions options = new PgPoolOptions().setPipelined(pipelined);
        options.setMaxSize(maxSize);
        options.setName(pipelined ? "knowmad-reads" : "knowmad");
        options.setShared(false);
        return PgBuilder.pool()
                .with(options)
                .connectingTo(target.connectOptions())
                .using(vertx)
                .build();
    }
}
