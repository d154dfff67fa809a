package org.knowmad.account;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import org.knowmad.App;
import org.knowmad.Config;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.TestDatabase;
import org.knowmad.web.TrustedProxies;

/** A test node with the security settings a test chooses (TestNode always uses the defaults). */
final class ConfiguredNode {

    private ConfiguredNode() {
    }

    static App start(Vertx vertx, Clock clock, String metricsToken, String trustedProxies) {
        DatabaseTarget db = TestDatabase.fresh();
        Config config = new Config(db.url(), 0, "http://localhost", Fixtures.coursesCopy(), null, "test-secret-shared-by-nodes",
                Fixtures.tempDir(), 3, metricsToken, TrustedProxies.parse(trustedProxies));
        return Await.await(App.start(vertx, config, clock, db, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), App.Timers.NONE));
    }
}
