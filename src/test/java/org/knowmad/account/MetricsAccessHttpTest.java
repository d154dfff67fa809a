package org.knowmad.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.App;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;

/** /metrics answers a scraper on this machine, or anyone with METRICS_TOKEN; nobody else. */
@ExtendWith(VertxExtension.class)
class MetricsAccessHttpTest {

    private static Optional<InetAddress> lanAddress() throws Exception {
        return Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .filter(i -> {
                    try {
                        return i.isUp() && !i.isLoopback();
                    } catch (java.net.SocketException e) {
                        return false;
                    }
                })
                .flatMap(i -> Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst();
    }

    private static HttpResponse<Buffer> get(WebClient client, String host, int port, String bearer) {
        var request = client.get(port, host, "/metrics");
        if (bearer != null) request.bearerTokenAuthentication(bearer);
        return Await.await(request.send());
    }

    @Test
    void withoutATokenOnlyThisMachineReadsMetrics(Vertx vertx) throws Exception {
        App app = ConfiguredNode.start(vertx, new MutableClock(Fixtures.SPRING_DAY_2), null, null);
        WebClient local = WebClient.create(vertx);
        try {
            HttpResponse<Buffer> ok = get(local, "127.0.0.1", app.port(), null);
            assertEquals(200, ok.statusCode());
            assertTrue(ok.bodyAsString().contains("# TYPE"), "Prometheus text");
            Optional<InetAddress> lan = lanAddress();
            Assumptions.assumeTrue(lan.isPresent(), "no non-loopback address on this machine to call from");
            WebClient remote = WebClient.create(vertx, new WebClientOptions().setLocalAddress(lan.get().getHostAddress()));
            try {
                HttpResponse<Buffer> refused = get(remote, lan.get().getHostAddress(), app.port(), null);
                assertEquals(403, refused.statusCode(), "from the network: no metrics");
                assertFalse(refused.bodyAsString().contains("# TYPE"));
                assertTrue(refused.bodyAsString().contains("METRICS_TOKEN"), "the operator is told what to set");
                assertEquals(403, get(remote, lan.get().getHostAddress(), app.port(), "anything").statusCode(),
                        "no token is configured, so none opens it");
                HttpResponse<Buffer> spoofed = Await.await(remote.get(app.port(), lan.get().getHostAddress(), "/metrics")
                        .putHeader("X-Forwarded-For", "127.0.0.1").send());
                assertEquals(403, spoofed.statusCode(), "a header does not make anyone local");
            } finally {
                remote.close();
            }
        } finally {
            local.close();
            Await.await(app.stop());
        }
    }

    @Test
    void withATokenEveryoneNeedsIt(Vertx vertx) throws Exception {
        App app = ConfiguredNode.start(vertx, new MutableClock(Fixtures.SPRING_DAY_2), "s3cret-metrics-token", null);
        WebClient local = WebClient.create(vertx);
        try {
            HttpResponse<Buffer> none = get(local, "127.0.0.1", app.port(), null);
            assertEquals(401, none.statusCode(), "with a token set, loopback needs it too");
            assertEquals("Bearer realm=\"metrics\"", none.getHeader("WWW-Authenticate"));
            assertEquals(401, get(local, "127.0.0.1", app.port(), "wrong").statusCode());
            assertEquals(401, get(local, "127.0.0.1", app.port(), "s3cret-metrics-tokenX").statusCode());
            assertEquals(401, Await.await(local.get(app.port(), "127.0.0.1", "/metrics")
                    .putHeader("Authorization", "Basic czNjcmV0LW1ldHJpY3MtdG9rZW4=").send()).statusCode());
            HttpResponse<Buffer> ok = get(local, "127.0.0.1", app.port(), "s3cret-metrics-token");
            assertEquals(200, ok.statusCode());
            assertTrue(ok.bodyAsString().contains("# TYPE"));
            Optional<InetAddress> lan = lanAddress();
            if (lan.isPresent()) {
                WebClient remote = WebClient.create(vertx, new WebClientOptions().setLocalAddress(lan.get().getHostAddress()));
                try {
                    assertEquals(200, get(remote, lan.get().getHostAddress(), app.port(), "s3cret-metrics-token").statusCode(),
                            "a scraper elsewhere reads them with the token");
                    assertEquals(401, get(remote, lan.get().getHostAddress(), app.port(), null).statusCode());
                } finally {
                    remote.close();
                }
            }
        } finally {
            local.close();
            Await.await(app.stop());
        }
    }
}
