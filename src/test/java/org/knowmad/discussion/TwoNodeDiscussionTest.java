package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.knowmad.db.DatabaseTarget;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SseClient;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** A reply written through node A appears on a thread page that is connected to node B. */
class TwoNodeDiscussionTest {

    private Vertx vertxA;
    private Vertx vertxB;
    private TestNode a;
    private TestNode b;
    private MutableClock clock;

    @BeforeEach
    void start() {
        vertxA = Vertx.vertx();
        vertxB = Vertx.vertx();
        DatabaseTarget db = TestDatabase.fresh();
        Path courses = Fixtures.coursesCopy();
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        a = TestNode.start(vertxA, db, courses, clock, Fixtures.tempDir());
        b = TestNode.start(vertxB, db, courses, clock, Fixtures.tempDir());
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        Await.await(vertxA.close());
        Await.await(vertxB.close());
    }

    @Test
    void aReplyOnNodeAReachesAReaderOnNodeB() {
        ApiUser writer = ApiUser.create(a, clock, "writer@example.org");
        ApiUser reader = ApiUser.create(a, clock, "reader@example.org").on(b);
        for (ApiUser u : new ApiUser[] {writer, reader}) {
            assertEquals(200, u.call(HttpMethod.POST, "/api/v1/courses/demo/spring/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        }
        long id = writer.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Across nodes").put("body", "first")).bodyAsJsonObject().getLong("id");

        try (SseClient stream = SseClient.connect(vertxB, b.port(), "/courses/demo/spring/threads/" + id + "/events",
                "Authorization", "Bearer " + reader.token())) {
            assertEquals(201, writer.call(HttpMethod.POST, "/api/v1/threads/" + id + "/posts", new JsonObject().put("body", "hello B")).statusCode());
            String events = stream.awaitText("\"number\":2");
            assertTrue(events.contains("event: post-created"), events);
            assertTrue(!events.contains("hello B"), "events carry ids only; the page fetches what the reader may see");
        }
        String fragment = reader.call(HttpMethod.GET, "/courses/demo/spring/threads/" + id + "/posts?after=1", null).bodyAsString();
        assertTrue(fragment.contains("hello B"));
    }
}
