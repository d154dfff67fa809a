package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/**
 * Mails speak the language their recipient chose with the switcher, else the course's: module openings, replies
 * and digests (the kinds written once for many people in one statement). The demo course is Dutch here; Nina
 * chose English, Joost chose nothing.
 */
@ExtendWith(VertxExtension.class)
class MailLanguageHttpTest {

    private static TestNode node;
    private static MutableClock clock;

    @BeforeAll
    static void start(Vertx vertx) {
        Path courses = Fixtures.coursesCopy();
        try {
            Path demo = courses.resolve("demo/course.yaml");
            Files.writeString(demo, Files.readString(demo).replace("language: en", "language: nl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        clock = new MutableClock(Fixtures.SPRING_DAY_2);
        node = TestNode.start(vertx, TestDatabase.fresh(), courses, clock, Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void eachRecipientReadsTheLanguageTheyChoseElseTheCourses() {
        Browser ninaWeb = node.browser().signIn("nina@example.org");
        ninaWeb.get("/");
        assertEquals(303, ninaWeb.post("/language", "lang", "en", "return", "/").statusCode());
        ApiUser nina = ApiUser.joined(node, clock, "nina@example.org", "spring");
        ApiUser joost = ApiUser.joined(node, clock, "joost@example.org", "spring");

        // Replies, mailed at once.
        long thread = nina.call(HttpMethod.POST, "/api/v1/courses/demo/spring/modules/week-1/threads",
                new JsonObject().put("title", "Werk delen").put("body", "Hoe deel je onaf werk?")).bodyAsJsonObject().getLong("id");
        assertEquals(201, joost.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                new JsonObject().put("body", "Ik blog.").put("replyTo", 1)).statusCode());
        assertEquals(201, nina.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                new JsonObject().put("body", "Mooi.").put("replyTo", 2)).statusCode());
        assertTrue(only(mails("nina@example.org", "notification:")).subject().startsWith("New reply to your post in \"Werk delen\""));
        assertTrue(only(mails("joost@example.org", "notification:")).subject().startsWith("Nieuwe reactie op je bericht in \"Werk delen\""));

        // A module opening (week two: Monday 11 March 2030, 09:00 Amsterdam), one statement for the whole cohort.
        clock.set(Instant.parse("2030-03-11T08:05:00Z"));
        Await.await(node.app.releases().runOnce());
        Mail toNina = only(mails("nina@example.org", "release:"));
        Mail toJoost = only(mails("joost@example.org", "release:"));
        assertTrue(toNina.body().startsWith("Hello,") && toNina.body().contains("Monday 11 March 2030, 09:00"), toNina.body());
        assertTrue(toJoost.body().startsWith("Hallo,") && toJoost.body().contains("maandag 11 maart 2030 om 09:00"), toJoost.body());

        // Digests.
        for (ApiUser who : List.of(nina, joost)) {
            assertEquals(200, who.call(HttpMethod.PUT, "/api/v1/me/notifications", new JsonObject().put("mode", "daily")).statusCode());
        }
        assertEquals(201, joost.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                new JsonObject().put("body", "Nog iets.").put("replyTo", 3)).statusCode());
        assertEquals(201, nina.call(HttpMethod.POST, "/api/v1/threads/" + thread + "/posts",
                new JsonObject().put("body", "Dank.").put("replyTo", 4)).statusCode());
        assertEquals(2, Await.await(node.app.notifications().sendDigests()));
        assertTrue(only(mails("nina@example.org", "digest:")).body().startsWith("Hello, here is what happened"));
        assertTrue(only(mails("joost@example.org", "digest:")).body().startsWith("Hallo, dit gebeurde er"));
    }

    private record Mail(String subject, String body) {
    }

    private static Mail only(List<Mail> mails) {
        assertEquals(1, mails.size(), String.valueOf(mails));
        return mails.get(0);
    }

    private static List<Mail> mails(String to, String kind) {
        List<Mail> mails = new ArrayList<>();
        for (Row r : Await.await(node.app.pool().preparedQuery(
                "SELECT subject, body_text FROM outbox WHERE to_email = $1 AND dedupe_key LIKE $2 ORDER BY id").execute(Tuple.of(to, kind + "%")))) {
            mails.add(new Mail(r.getString(0), r.getString(1)));
        }
        return mails;
    }
}
