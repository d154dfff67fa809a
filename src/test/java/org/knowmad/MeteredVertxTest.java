package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Await;
import org.slf4j.LoggerFactory;

/** The server's metered Vert.x: no "Gauge already registered" noise at start, right connection counts, our gauges still checked. */
class MeteredVertxTest {

    @Test
    void connectionsAreCountedWithoutTheRepeatedGaugeWarning() {
        Logger meterLog = (Logger) LoggerFactory.getLogger("io.micrometer.core.instrument.MeterRegistry");
        Level before = meterLog.getLevel();
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        // Debug too: Micrometer warns at the first repeat in a JVM and logs later ones at debug level.
        meterLog.setLevel(Level.DEBUG);
        meterLog.addAppender(seen);
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Main.meteredVertx(metrics);
        try {
            NetServer server = Await.await(vertx.createNetServer().connectHandler(s -> { }).listen(0, "127.0.0.1"));
            var client = vertx.createNetClient();
            List<NetSocket> sockets = List.of(
                    Await.await(client.connect(server.actualPort(), "127.0.0.1")),
                    Await.await(client.connect(server.actualPort(), "127.0.0.1")),
                    Await.await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1")));
            assertEquals(3, sockets.size());
            assertEquals(3.0, metrics.get("vertx.net.client.active.connections").gauge().value(), "every connection counted");
            assertEquals(List.of(), repeats(seen), "Vert.x's repeated gauges are not reported");

            // A repeat of one of our own gauges is a real mistake and still reported.
            AtomicLong one = new AtomicLong(1);
            Gauge.builder("knowmad.test.repeated", one, AtomicLong::get).register(metrics);
            Gauge.builder("knowmad.test.repeated", new AtomicLong(2), AtomicLong::get).register(metrics);
            assertEquals(1, repeats(seen).size(), repeats(seen).toString());
            assertTrue(repeats(seen).get(0).contains("knowmad.test.repeated"));
        } finally {
            meterLog.detachAppender(seen);
            meterLog.setLevel(before);
            Await.await(vertx.close());
        }
    }

    private static List<String> repeats(ListAppender<ILoggingEvent> seen) {
        return seen.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains("already registered")).toList();
    }
}
