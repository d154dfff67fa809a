package org.knowmad.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out between nodes: a transaction anywhere does {@code NOTIFY knowmad_events}; every node
 * LISTENs on one dedicated connection and republishes each event on its local event bus, where
 * server-sent-event streams pick them up. Reconnects with backoff if the connection drops.
 */
public final class LiveEvents {

    public static final String CHANNEL = "knowmad_events";
    private static final Logger LOG = LoggerFactory.getLogger(LiveEvents.class);

    private final Vertx vertx;
    private final PgConnectOptions options;
    private PgConnection connection;
    private boolean closed;

    public LiveEvents(Vertx vertx, PgConnectOptions options) {
        this.vertx = vertx;
        this.options = options;
    }

    /** Event-bus address for a cohort's events. */
    public static String cohortAddress(String courseId, String cohortId) {
        return "cohort:" + courseId + "/" + cohortId;
    }

    public Future<Void> start() {
        return PgConnection.connect(vertx, options).compose(conn -> {
            connection = conn;
            conn.notificationHandler(n -> {
                if (!CHANNEL.equals(n.getChannel())) return;
                try {
                    JsonObject event = new JsonObject(n.getPayload());
                    String course = event.getString("course");
                    String cohort = event.getString("cohort");
                    if (course != null && cohort != null) vertx.eventBus().publish(cohortAddress(course, cohort), event);
                } catch (RuntimeException e) {
                    LOG.warn("Ignoring malformed live event: {}", n.getPayload());
                }
            });
            conn.closeHandler(v -> {
                if (!closed) vertx.setTimer(2000, t -> start().onFailure(e -> LOG.warn("LISTEN reconnect failed: {}", e.toString())));
            });
            return conn.query("LISTEN " + CHANNEL).execute().<Void>mapEmpty();
        });
    }

    public Future<Void> close() {
        closed = true;
        return connection == null ? Future.succeededFuture() : connection.close();
    }
}
