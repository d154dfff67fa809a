package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Await;

/**
 * 2,000 registrations at the same moment over two server nodes on one database: exactly `capacity` (10)
 * confirmed, the rest waitlisted in the order they were taken in, and a cancellation promotes the first.
 */
class MeetupBurstTest {

    @Test
    void neverOverbookedAcrossTwoNodes() {
        try (MeetupBurst burst = new MeetupBurst(2000)) {
            long started = System.nanoTime();
            List<HttpResponse<Buffer>> responses = burst.registerAll();
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.println("registration burst: 2000 requests over two nodes in " + millis + " ms");

            int confirmed = 0;
            Set<Integer> positions = new HashSet<>();
            for (HttpResponse<Buffer> r : responses) {
                assertEquals(200, r.statusCode(), r.bodyAsString());
                JsonObject body = r.bodyAsJsonObject();
                if ("confirmed".equals(body.getString("status"))) confirmed++;
                else assertTrue(positions.add(body.getInteger("position")), "each place in line is given once: " + body.getInteger("position"));
            }
            assertEquals(10, confirmed, "never overbooked");
            assertEquals(1990, positions.size());
            for (int p = 1; p <= 1990; p++) assertTrue(positions.contains(p), "no gap in the waitlist at " + p);

            List<Row> line = new ArrayList<>();
            Await.await(burst.a.app.pool().query("SELECT status FROM meetup_registration ORDER BY seq").execute()).forEach(line::add);
            for (int i = 0; i < line.size(); i++) {
                assertEquals(i < 10 ? "confirmed" : "waitlisted", line.get(i).getString("status"), "first come, first served, at " + i);
            }

            int firstWaiting = -1;
            int someoneConfirmed = -1;
            for (int i = 0; i < responses.size(); i++) {
                JsonObject body = responses.get(i).bodyAsJsonObject();
                if (body.getInteger("position", 0) == 1) firstWaiting = i;
                if ("confirmed".equals(body.getString("status"))) someoneConfirmed = i;
            }
            assertEquals(200, burst.call(someoneConfirmed, HttpMethod.DELETE, MeetupBurst.API + "/registration", null).statusCode());
            JsonObject promoted = burst.call(firstWaiting, HttpMethod.GET, MeetupBurst.API, null).bodyAsJsonObject();
            assertEquals("confirmed", promoted.getJsonObject("registration").getString("status"), "promotion on cancel");
            assertEquals(10, promoted.getInteger("confirmed"));
            assertEquals(1989, promoted.getInteger("waitlisted"));
        }
    }
}
