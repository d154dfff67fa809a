package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/**
 * A registration's states are kept by the schema: cancelling frees the seats and table choices it held,
 * a checked-in registration cannot be cancelled (the attendance list stays true), and no code path can
 * write a cancelled registration that still looks checked in.
 */
@ExtendWith(VertxExtension.class)
class MeetupStateHttpTest {

    private static final String API = "/api/v1/courses/cafe/autumn/meetup";
    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Instant.parse("2030-09-03T10:00:00Z"));
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        ApiUser u = ApiUser.create(node, clock, email);
        assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/cafe/autumn/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        return u;
    }

    private static List<Row> sql(String query, Object... args) {
        List<Row> rows = new ArrayList<>();
        Await.await(node.app.pool().preparedQuery(query).execute(Tuple.from(args))).forEach(rows::add);
        return rows;
    }

    private static long id(ApiUser u) {
        return u.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getLong("id");
    }

    @Test
    void cancellingFreesTheSeatsAndChoicesItHeld() {
        ApiUser ann = participant("seated@example.org");
        assertEquals("confirmed", ann.call(HttpMethod.POST, API + "/registration", null).bodyAsJsonObject().getString("status"));
        long me = id(ann);
        sql("INSERT INTO meetup_seat (course_id, cohort_id, round, account_id, table_index) VALUES ('cafe', 'autumn', 1, $1, 0)", me);
        sql("INSERT INTO meetup_table_choice (course_id, cohort_id, round, account_id, table_index) VALUES ('cafe', 'autumn', 2, $1, 1)", me);

        assertEquals(200, ann.call(HttpMethod.DELETE, API + "/registration", null).statusCode());
        assertEquals(0, sql("SELECT 1 FROM meetup_seat WHERE account_id = $1", me).size(), "the seat is free again");
        assertEquals(0, sql("SELECT 1 FROM meetup_table_choice WHERE account_id = $1", me).size(), "and the choice gone");
    }

    @Test
    void whoIsCheckedInCannotCancelAndStaysOnTheAttendanceList() {
        ApiUser ben = participant("arrived@example.org");
        String code = ben.call(HttpMethod.POST, API + "/registration", null).bodyAsJsonObject().getString("code");
        assertNotNull(code);
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        var checkIn = fay.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code));
        assertEquals(200, checkIn.statusCode(), checkIn.bodyAsString());

        var cancel = ben.call(HttpMethod.DELETE, API + "/registration", null);
        assertEquals(409, cancel.statusCode());
        assertTrue(cancel.bodyAsJsonObject().getString("detail").contains("checked in"));
        Row row = sql("SELECT status, checked_in_at FROM meetup_registration WHERE account_id = $1", id(ben)).get(0);
        assertEquals("confirmed", row.getString(0));
        assertNotNull(row.getValue(1));
    }

    @Test
    void theSchemaRefusesACancelledRegistrationThatLooksCheckedIn() {
        ApiUser cy = participant("schema@example.org");
        String code = cy.call(HttpMethod.POST, API + "/registration", null).bodyAsJsonObject().getString("code");
        ApiUser fay = ApiUser.create(node, clock, "fac@example.org");
        assertEquals(200, fay.call(HttpMethod.POST, API + "/checkins", new JsonObject().put("code", code)).statusCode());
        long me = id(cy);
        Throwable refused = Await.awaitFailure(node.app.pool().preparedQuery(
                "UPDATE meetup_registration SET status = 'cancelled' WHERE account_id = $1").execute(Tuple.of(me)));
        assertTrue(refused.getMessage().contains("checked-in"), refused.getMessage());
        Throwable waitlisted = Await.awaitFailure(node.app.pool().preparedQuery(
                "UPDATE meetup_registration SET status = 'waitlisted' WHERE account_id = $1").execute(Tuple.of(me)));
        assertTrue(waitlisted.getMessage().contains("checked_in_is_confirmed"), waitlisted.getMessage());
    }
}
