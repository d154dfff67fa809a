package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.TestDatabase;

/**
 * The server starts its database beside the rest (Main's {@code Database.openAside}): the node must not listen before
 * the database is there, must then serve pages from it, and must fail to start with the database's own message.
 */
class StartAsideTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.await(vertx.close());
    }

    private Future<App> start(Future<DatabaseTarget> database, String url) {
        Config config = new Config(url, 0, "http://localhost", Fixtures.coursesCopy(), null, "test-secret-shared-by-nodes",
                Fixtures.tempDir(), 3);
        return App.start(vertx, config, Clock.systemUTC(), database, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                App.Timers.NONE, Rules.standard());
    }

    @Test
    void theNodeListensOnlyOnceTheDatabaseIsReadyAndThenServesFromIt() throws Exception {
        DatabaseTarget db = TestDatabase.fresh();
        Promise<DatabaseTarget> database = Promise.promise();
        Future<App> starting = start(database.future(), db.url());
        Thread.sleep(1_500); // long enough to read the courses and compile the front page's templates
        assertFalse(starting.isComplete(), "started before its database was there");

        database.complete(db);
        App app = Await.await(starting);
        try {
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + app.port() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains("\"database\""), page.body());
            assertEquals(1L, Await.await(app.pool().query("SELECT 1").execute()).iterator().next().getInteger(0).longValue());
        } finally {
            Await.await(app.stop());
        }
    }

    @Test
    void aDatabaseThatCannotStartFailsTheStartWithItsOwnMessage() {
        Future<App> starting = start(Future.failedFuture(new IllegalStateException("Could not start the embedded PostgreSQL (disk full)")),
                "postgresql://nobody@localhost:1/none");
        Throwable failure = Await.awaitFailure(starting);
        assertEquals("Could not start the embedded PostgreSQL (disk full)", Main.rootMessage(failure));
    }
}
