package org.knowmad.db;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.impl.PgPoolOptions;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Builds the reactive pool the whole app shares. */
public final class Pools {

    static final int ACQUIRE_TIMEOUT_SECONDS = 30;
    static final int CONNECT_TIMEOUT_MILLIS = 3_000;

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
        // While the database is out of reach a request must fail (503, try again) rather than hang. A refused
        // connection fails at once; opening one to a server that does not answer at all gives up after
        // CONNECT_TIMEOUT_MILLIS (the default was a minute). Waiting for a free connection stays bounded at
        // ACQUIRE_TIMEOUT_SECONDS: not shorter, because a burst (2,000 meetup registrations at once) legitimately
        // queues for several seconds on a busy machine.
        options.setConnectionTimeout(ACQUIRE_TIMEOUT_SECONDS);
        options.setConnectionTimeoutUnit(TimeUnit.SECONDS);
        return PgBuilder.pool()
                .with(options)
                .with(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MILLIS))
                .connectingTo(target.connectOptions())
                .using(vertx)
                .build();
    }
}
