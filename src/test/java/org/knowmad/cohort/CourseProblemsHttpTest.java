package org.knowmad.cohort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.support.Await;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** A facilitator who saves a broken course file while the server runs reads why at the top of the course page. */
@ExtendWith(VertxExtension.class)
class CourseProblemsHttpTest {

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
    void aBrokenEditShowsItsErrorsAtTheTopForFacilitatorsOnly() throws Exception {
        Path yaml = courses.resolve("demo/course.yaml");
        String original = Files.readString(yaml);
        assertTrue(original.contains("opens: P7D"));
        try {
            Files.writeString(yaml, original.replace("opens: P7D", "opens: next week"));
            Await.await(node.app.catalog().reload());

            Document page = Jsoup.parse(node.browser().signIn("fac@example.org").get("/courses/demo").bodyAsString());
            Element main = page.selectFirst("main");
            Element first = main.child(1);
            assertEquals("hgroup", main.child(0).tagName());
            assertTrue(first.is("article.problems"), "the problems come right after the heading, before the summary: " + first);
            assertTrue(first.text().contains("'next week' is not a duration"), first.text());
            assertTrue(first.text().contains("course.yaml:"), "with the place in the file: " + first.text());
            assertEquals(1, page.select("article.problems").size(), "shown once");

            Document participant = Jsoup.parse(node.browser().signIn("pat@example.org").get("/courses/demo").bodyAsString());
            assertTrue(participant.select("article.problems").isEmpty(), "participants do not see the facilitators' problems");
            assertTrue(participant.text().contains("Demo course"), "the last good version is still served");
        } finally {
            Files.writeString(yaml, original);
            Await.await(node.app.catalog().reload());
        }
        Document fixed = Jsoup.parse(node.browser().signIn("fac@example.org").get("/courses/demo").bodyAsString());
        assertTrue(fixed.select("article.problems").isEmpty(), "gone once the file is fixed");
    }
}
