package org.knowmad.db;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database is out of reach, try again" (503) and which are bugs (500). */
class OutagesTest {

    private static PgException pg(String sqlState) {
        return new PgException("message", "FATAL", sqlState, null);
    }

    @Test
    void connectionProblemsAreOutages() {
        assertTrue(Outages.isDatabaseUnavailable(new ConnectException("Connection refused")));
        assertTrue(Outages.isDatabaseUnavailable(ClosedConnectionException.INSTANCE));
        assertTrue(Outages.isDatabaseUnavailable(new VertxException("Timeout waiting for connection", true)));
        assertTrue(Outages.isDatabaseUnavailable(new java.net.SocketException("Connection reset")));
        assertTrue(Outages.isDatabaseUnavailable(new IllegalStateException("wrapped", new ConnectException("refused"))));
    }

    @Test
    void serverShuttingDownOrNotReadyIsAnOutage() {
        assertTrue(Outages.isDatabaseUnavailable(pg("57P01")));
        assertTrue(Outages.isDatabaseUnavailable(pg("57P02")));
        assertTrue(Outages.isDatabaseUnavailable(pg("57P03")));
        assertTrue(Outages.isDatabaseUnavailable(pg("08006")));
        assertTrue(Outages.isDatabaseUnavailable(pg("08001")));
    }

    @Test
    void bugsAndBadStatementsAreNot() {
        assertFalse(Outages.isDatabaseUnavailable(null));
        assertFalse(Outages.isDatabaseUnavailable(pg("23505")));
        assertFalse(Outages.isDatabaseUnavailable(pg("42P01")));
        assertFalse(Outages.isDatabaseUnavailable(pg("57014"))); // a cancelled statement is not an outage
        assertFalse(Outages.isDatabaseUnavailable(new IllegalStateException("boom")));
        assertFalse(Outages.isDatabaseUnavailable(new VertxException("Timeout", true)));
    }
}
