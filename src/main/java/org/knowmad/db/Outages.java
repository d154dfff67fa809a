package org.knowmad.db;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.util.Set;

/**
 * Tells a database that cannot be reached right now (restarting, failing over, network cut) from a bug or a
 * bad statement: the first deserves "503, try again in a moment", the second a logged 500.
 */
public final class Outages {

    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server is going down or not up yet. */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");
    /** What the Vert.x SQL pool fails a request with after waiting its connection timeout for a connection. */
    private static final String POOL_TIMEOUT = "Timeout waiting for connection";

    private Outages() {
    }

    /**
     * A statement that lost a deadlock (40P01) or a serialization conflict (40001): nothing was written, and the same
     * statement run again is expected to succeed.
     */
    public static boolean isTransientConflict(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof PgException pg) return "40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState());
        }
        return false;
    }

    public static boolean isDatabaseUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state));
            }
            // Refused, or timed out connecting (Netty's ConnectTimeoutException is a ConnectException too).
            if (t instanceof java.net.ConnectException) return true;
            if (t instanceof ClosedConnectionException) return true;
            if (t instanceof java.nio.channels.ClosedChannelException) return true;
            if (t instanceof java.net.SocketException) return true; // connection reset in the middle of a query
            if (POOL_TIMEOUT.equals(t.getMessage())) return true;
        }
        return false;
    }
}
