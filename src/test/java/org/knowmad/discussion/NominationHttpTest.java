package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.ApiUser;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestNode;

/** Threads nominated as meetup questions, votes once each, and the ranking. */
@ExtendWith(VertxExtension.class)
class NominationHttpTest {

    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.demo(vertx, clock);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ApiUser participant(String email) {
        return ApiUser.joined(node, clock, email, "spring");
    }

    private static long thread(ApiUser who, String title) {
        return who.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", title).put("body", "Let us talk about " + title)).bodyAsJsonObject().getLong("id");
    }

    @Test
    void authorsAndFacilitatorsNominateParticipantsVoteOnceAndTheRankingFollows() {
        ApiUser ann = participant("ann.n@example.org");
        ApiUser bob = participant("bob.n@example.org");
        long mistakes = thread(ann, "Making mistakes");
        long depth = thread(bob, "Depth online");

        assertEquals(403, bob.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/nomination", null).statusCode(), "not bob's thread");
        assertEquals(404, bob.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/vote", null).statusCode(), "not nominated yet");
        assertEquals(200, ann.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/nomination", null).statusCode());
        ApiUser fac = ApiUser.create(node, clock, "fac@example.org");
        assertEquals(200, fac.call(HttpMethod.PUT, "/api/v1/threads/" + depth + "/nomination", null).statusCode(), "facilitators nominate any thread");

        List<Future<HttpResponse<Buffer>>> votes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ApiUser voter = participant("voter" + i + "@example.org");
            votes.add(voter.send(HttpMethod.PUT, "/api/v1/threads/" + depth + "/vote", null));
            votes.add(voter.send(HttpMethod.PUT, "/api/v1/threads/" + depth + "/vote", null));
        }
        Await.await(Future.join(new ArrayList<>(votes)));
        assertEquals(1, bob.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/vote", null).bodyAsJsonObject().getInteger("votes"));
        assertEquals(1, bob.call(HttpMethod.PUT, "/api/v1/threads/" + mistakes + "/vote", null).bodyAsJsonObject().getInteger("votes"), "once each");

        JsonArray ranked = ann.call(HttpMethod.GET, "/api/v1/courses/demo/spring/meetup/questions", null).bodyAsJsonObject().getJsonArray("questions");
        assertEquals(2, ranked.size());
        assertEquals(depth, ranked.getJsonObject(0).getLong("thread"));
        assertEquals(12, ranked.getJsonObject(0).getInteger("votes"));
        assertEquals(1, ranked.getJsonObject(1).getInteger("votes"));

        assertEquals(0, bob.call(HttpMethod.DELETE, "/api/v1/threads/" + mistakes + "/vote", null).bodyAsJsonObject().getInteger("votes"));
        ApiUser outsider = ApiUser.create(node, clock, "outsider.n@example.org");
        assertEquals(403, outsider.call(HttpMethod.GET, "/api/v1/courses/demo/spring/meetup/questions", null).statusCode());
        assertEquals(403, outsider.call(HttpMethod.PUT, "/api/v1/threads/" + depth + "/vote", null).statusCode());

        Browser page = node.browser().signIn("ann.n@example.org");
        String html = page.get("/courses/demo/spring/meetup/questions").bodyAsString();
        assertTrue(html.indexOf("Depth online") < html.indexOf("Making mistakes"), "ranked by votes");
        assertTrue(html.contains("12 votes"));
        page.get("/courses/demo/spring/threads/" + depth);
        assertEquals(303, page.post("/courses/demo/spring/threads/" + depth + "/vote").statusCode());
        assertTrue(page.get("/courses/demo/spring/meetup/questions").bodyAsString().contains("13 votes"));

        assertEquals(200, ann.call(HttpMethod.DELETE, "/api/v1/threads/" + mistakes + "/nomination", null).statusCode());
        assertEquals(1, ann.call(HttpMethod.GET, "/api/v1/courses/demo/spring/meetup/questions", null).bodyAsJsonObject().getJsonArray("questions").size());
    }
}
