package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** Bad input gets a clear 4xx and changes nothing; course edits that would break a cohort are refused. */
@ExtendWith(VertxExtension.class)
class BadInputHttpTest {

    private static TestNode node;
    private static Path courses;

    @BeforeAll
    static void start(Vertx vertx) {
        courses = Fixtures.coursesCopy();
        node = TestNode.start(vertx, TestDatabase.fresh(), courses, new MutableClock(Fixtures.SPRING_DAY_2), Fixtures.tempDir());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void oversizedMalformedAndUnknownRequests() {
        Browser b = node.browser().signIn("ivy@example.org");
        b.get("/courses/demo/spring");
        HttpResponse<Buffer> big = b.post("/courses/demo/spring/join", "acceptGuidelines", "on", "junk", "x".repeat(300_000));
        assertEquals(413, big.statusCode());
        assertEquals(0, count("SELECT count(*) FROM enrolment WHERE account_id = (SELECT id FROM account WHERE email = 'ivy@example.org')"),
                "nothing half-written");

        HttpResponse<Buffer> badJson = Await.await(io.vertx.ext.web.client.WebClient.create(node.vertx)
                .post(node.port(), "localhost", "/api/v1/courses/demo/spring/enrolment")
                .putHeader("Cookie", b.cookieHeader()).putHeader("X-CSRF-Token", b.csrf())
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{not json")));
        assertEquals(400, badJson.statusCode());
        assertEquals("application/problem+json", badJson.getHeader("Content-Type"));
        assertTrue(badJson.bodyAsJsonObject().getString("detail").contains("not valid JSON"));

        assertEquals(400, b.json(HttpMethod.POST, "/api/v1/courses/demo/spring/enrolment", new JsonObject().put("acceptGuidelines", "yes")).statusCode());
        assertEquals(404, b.json(HttpMethod.POST, "/api/v1/courses/demo/nope/enrolment", new JsonObject().put("acceptGuidelines", true)).statusCode());
        assertEquals(404, b.json(HttpMethod.GET, "/api/v1/courses/demo/spring/modules/nope", null).statusCode());
        b.get("/");
        assertEquals(400, b.post("/language", "lang", "fr").statusCode());
        b.get("/courses/demo/invited");
        assertEquals(403, b.post("/courses/demo/invited/invites/abc/revoke").statusCode(), "only facilitators manage invites");
        Browser fay = node.browser().signIn("fac@example.org");
        fay.get("/courses/demo/invited");
        assertEquals(404, fay.post("/courses/demo/invited/invites/no-such-code/revoke").statusCode());
        HttpResponse<Buffer> notFound = b.get("/no/such/page");
        assertEquals(404, notFound.statusCode());
        assertTrue(notFound.bodyAsString().contains("could not find"));
    }

    @Test
    void aCourseEditThatWouldBreakACohortIsRefusedAndTheOldVersionStays() throws Exception {
        Browser b = node.browser().signIn("jo@example.org");
        b.get("/courses/demo/spring");
        assertEquals(303, b.post("/courses/demo/spring/join", "acceptGuidelines", "on").statusCode());

        Path yaml = courses.resolve("demo/course.yaml");
        String original = Files.readString(yaml);
        String withoutSpring = original.replace("  - id: spring\n    starts: 2030-03-04T09:00\n    enrolment: open\n", "");
        Files.writeString(yaml, withoutSpring.replace("title: \"Demo course\"", "title: \"Demo course, edited\""));
        Await.await(node.app.catalog().reload());
        assertTrue(node.app.catalog().problems().stream().anyMatch(p -> p.message().contains("spring")), node.app.catalog().problems().toString());
        assertEquals(200, b.get("/courses/demo/spring").statusCode(), "the old version is still served");
        Browser fay = node.browser().signIn("fac@example.org");
        assertTrue(fay.get("/courses/demo").bodyAsString().contains("has participants"), "facilitators see why");

        // Removing a cohort nobody joined is fine.
        Files.writeString(yaml, original.replace("  - id: past\n    starts: 2020-01-06T09:00\n    enrolment: closed\n", ""));
        Await.await(node.app.catalog().reload());
        assertTrue(node.app.catalog().problems().isEmpty(), node.app.catalog().problems().toString());
        assertEquals(404, b.get("/courses/demo/past").statusCode());
        Files.writeString(yaml, original);
        Await.await(node.app.catalog().reload());
    }

    private static long count(String sql) {
        return Await.await(node.app.pool().query(sql).execute()).iterator().next().getLong(0);
    }
}
