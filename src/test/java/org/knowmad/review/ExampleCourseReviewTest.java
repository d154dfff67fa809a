package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * The "done when", on the Dutch example course as shipped in {@code courses/}: a facilitator starts a
 * cohort from the web; 40 participants join; a fifth submit late and a quarter never review; after the window
 * every on-time submission has its three reviews or waits in the facilitators' queue, and authors read their
 * median and corrected grades and rate the feedback.
 */
@ExtendWith(VertxExtension.class)
class ExampleCourseReviewTest {

    static final String API = "/api/v1/courses/knowmad/2027-01/modules/week-3/assignment";
    static final String PAGE = "/courses/knowmad/2027-01/modules/week-3/assignment";

    @Test
    void aSimulatedCohortEndsWithEveryOnTimeSubmissionReviewedOrQueued(Vertx vertx) {
        MutableClock clock = new MutableClock(Instant.parse("2027-01-02T10:00:00Z"));
        try (TestNode node = TestNode.start(vertx, TestDatabase.fresh(), Path.of("courses"), clock, Fixtures.tempDir())) {
            ApiUser anna = ApiUser.create(node, clock, "anna@example.org");
            HttpResponse<Buffer> started = anna.call(HttpMethod.POST, "/api/v1/courses/knowmad/cohorts",
                    new JsonObject().put("id", "2027-01").put("starts", "2027-01-11T09:00").put("enrolment", "open"));
            assertEquals(201, started.statusCode(), started.bodyAsString());
            List<ApiUser> people = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                ApiUser p = ApiUser.create(node, clock, "deelnemer" + i + "@example.org");
                assertEquals(200, p.call(HttpMethod.POST, "/api/v1/courses/knowmad/2027-01/enrolment",
                        new JsonObject().put("acceptGuidelines", true)).statusCode());
                people.add(p);
            }
            Random random = new Random(2017);
            List<ApiUser> shuffled = new ArrayList<>(people);
            Collections.shuffle(shuffled, random);
            List<ApiUser> late = shuffled.subList(0, 8);
            List<ApiUser> onTime = shuffled.subList(8, 40);
            List<ApiUser> neverReview = new ArrayList<>(shuffled.subList(4, 14)); // 4 of the late, 6 on time
            List<ApiUser> reviewers = new ArrayList<>(people);
            reviewers.removeAll(neverReview);

            clock.set(Instant.parse("2027-01-26T12:00:00Z")); // week 3 open, before submit_by (29 Jan 09:00)
            for (ApiUser p : onTime) assertEquals(200, submit(p, "Bij ons kiest iedereen zelf de werkplek.").statusCode());

            clock.set(Instant.parse("2027-01-29T10:00:00Z"));
            int written = 0;
            for (int day = 0; day < 4; day++) {
                if (day == 1) for (ApiUser p : late) assertEquals(200, submit(p, "Te laat, maar toch: zelfroosteren.").statusCode());
                Collections.shuffle(reviewers, random);
                for (ApiUser r : reviewers) {
                    for (int k = 0; k < 2; k++) {
                        HttpResponse<Buffer> claim = r.call(HttpMethod.POST, API + "/next-review", null);
                        if (claim.statusCode() != 200 || claim.bodyAsJsonObject().getBoolean("extra")) break;
                        if (random.nextInt(10) == 0) break; // one claim in ten is dropped: the lease runs out
                        JsonObject review = new JsonObject().put("scores", new JsonObject().put("helderheid", random.nextInt(3))
                                .put("reflectie", random.nextInt(3)).put("toepassing", random.nextInt(3)))
                                .put("comment", "Duidelijk beschreven praktijk; de vervolgstap mag concreter.");
                        assertEquals(200, r.call(HttpMethod.PUT, "/api/v1/reviews/" + claim.bodyAsJsonObject().getLong("id"), review).statusCode());
                        written++;
                    }
                }
                clock.set(clock.instant().plusSeconds(20 * 3600));
            }
            assertTrue(written > 60, "reviews written: " + written);

            clock.set(Instant.parse("2027-02-02T09:00:00Z")); // review_by (2 Feb 09:00 Amsterdam) has passed
            assertEquals(40, node.app.reviews().grade().toCompletionStage().toCompletableFuture().join());
            JsonArray all = anna.call(HttpMethod.GET, API + "/submissions", null).bodyAsJsonObject().getJsonArray("submissions");
            assertEquals(40, all.size());
            int reviewedFully = 0, queued = 0;
            for (Object o : all) {
                JsonObject s = (JsonObject) o;
                if (s.getBoolean("late")) continue;
                if (s.getInteger("completed") >= 3) reviewedFully++;
                else {
                    assertEquals("short", s.getString("queue"), "an on-time submission short of reviews waits for a facilitator: " + s.encode());
                    queued++;
                }
            }
            assertEquals(32, reviewedFully + queued);
            assertTrue(reviewedFully >= 28, "most on-time work is fully reviewed: " + reviewedFully + ", queued " + queued);

            ApiUser author = onTime.get(0);
            JsonObject mine = author.call(HttpMethod.GET, API, null).bodyAsJsonObject();
            JsonObject grade = mine.getJsonObject("grade");
            assertNotNull(grade, mine.encode());
            assertNotNull(grade.getDouble("median"));
            assertTrue(grade.containsKey("corrected"));
            long first = mine.getJsonArray("feedback").getJsonObject(0).getLong("id");
            assertEquals(200, author.call(HttpMethod.PUT, "/api/v1/reviews/" + first + "/rating", new JsonObject().put("helpful", 5)).statusCode());

            String email = author.call(HttpMethod.GET, "/api/v1/me", null).bodyAsJsonObject().getString("email");
            Browser browser = node.browser().signIn(email);
            String page = browser.get(PAGE).bodyAsString();
            assertTrue(page.contains("Jouw feedback en cijfer"), "the page is in Dutch");
            assertTrue(page.contains("Mediaan van de scores"), page);
            assertFalse(page.contains("deelnemer") && page.contains("@example.org\">"), "no reviewer addresses");
        }
    }

    private static HttpResponse<Buffer> submit(ApiUser who, String text) {
        return who.call(HttpMethod.PUT, API + "/submission", new JsonObject().put("text", text));
    }
}
