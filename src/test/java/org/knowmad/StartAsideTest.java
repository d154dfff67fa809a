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
 * The server migrates its database beside the rest (Main's {@code Database.migrateAside}): the node must not listen
 * before the schema is there, must then serve pages from it, and must fail to start with the migration's own message.
 */
class StartAsideTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        Await.await(vertx.close());
    }

    private Future<App> start(DatabaseTarget database, Future<?> migrated) {
        Config config = new Config(database.url(), 0, "http://localhost", Fixtures.coursesCopy(), null, "test-secret-shared-by-nodes",
                Fixtures.tempDir(), 3);
        return App.start(vertx, config, Clock.systemUTC(), database, migrated, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                App.Timers.NONE, Rules.standard());
    }

    @Test
    void theNodeListensOnlyOnceItsDatabaseIsMigratedAndThenServesFromIt() throws Exception {
        DatabaseTarget db = TestDatabase.fresh();
        Promise<Void> migrated = Promise.promise();
        Future<App> starting = start(db, migrated.future());
        Thread.sleep(1_500); // long enough to read the courses and compile the front page's templates
        assertFalse(starting.isComplete(), "started before its database was migrated");

        migrated.complete();
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
    void aMigrationThatFailsFailsTheStartWithItsOwnMessage() {
        Future<App> starting = start(TestDatabase.fresh(), Future.failedFuture(new IllegalStateException("Migration V099__broken.sql failed")));
        Throwable failure = Await.awaitFailure(starting);
        assertEquals("Migration V099__broken.sql failed", Main.rootMessage(failure));
    }
}
