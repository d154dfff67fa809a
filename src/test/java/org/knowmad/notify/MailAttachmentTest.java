package org.knowmad.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Await;
import org.knowmad.support.Browser;
import org.knowmad.support.Fixtures;
import org.knowmad.support.MutableClock;
import org.knowmad.support.SmtpSink;
import org.knowmad.support.TestDatabase;
import org.knowmad.support.TestNode;

/** A calendar invite queued with a mail: stored in the transaction, sent as a MIME part, offered at /dev/mail. */
class MailAttachmentTest {

    private static final String ICS = """
            BEGIN:VCALENDAR\r
            VERSION:2.0\r
            PRODID:-//Knowmad//test//EN\r
            METHOD:REQUEST\r
            BEGIN:VEVENT\r
            UID:meetup-1@knowmad\r
            DTSTAMP:20300305T100000Z\r
            DTSTART:20300312T180000Z\r
            SUMMARY:Meetup – Café Ω\r
            END:VEVENT\r
            END:VCALENDAR\r
            """;

    private static Vertx vertx;
    private static SmtpSink smtp;
    private static TestNode smtpNode;
    private static TestNode devNode;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        smtp = new SmtpSink(vertx);
        String smtpUrl = "smtp://127.0.0.1:" + smtp.port() + "?from=courses@example.org";
        MutableClock clock = new MutableClock(Fixtures.SPRING_DAY_2);
        smtpNode = TestNode.start(vertx, TestDatabase.fresh(), Fixtures.coursesCopy(), clock, Fixtures.tempDir(), smtpUrl);
        devNode = TestNode.demo(vertx, new MutableClock(Fixtures.SPRING_DAY_2));
    }

    @AfterAll
    static void stop() {
        smtpNode.close();
        devNode.close();
        smtp.close();
        Await.await(vertx.close());
    }

    private static Mail invite(String to) {
        return new Mail(to, "Invitation: meetup", "See you there.", null)
                .withAttachment(new Mail.Attachment("meetup.ics", Mail.CALENDAR_INVITE, ICS));
    }

    @Test
    void theOldConstructorMeansNoAttachment() {
        Mail plain = new Mail("a@example.org", "s", "t", "k");
        assertNull(plain.attachment());
        assertEquals("meetup.ics", invite("a@example.org").attachment().name());
    }

    @Test
    void anInviteQueuedInATransactionIsSentAsACalendarPart() {
        Await.await(smtpNode.app.pool().withTransaction(tx ->
                new Outbox().enqueue(tx, invite("guest@example.org"), smtpNode.clock.instant())));
        assertEquals(1, Await.await(smtpNode.app.mail().sendDue()));

        String message = received("guest@example.org");
        Part ics = attachmentPart(message);
        String type = ics.header("content-type");
        assertTrue(type.startsWith("text/calendar"), type);
        assertTrue(type.contains("method=REQUEST"), type);
        assertTrue(type.contains("name=\"meetup.ics\""), type);
        String disposition = ics.header("content-disposition");
        assertTrue(disposition.startsWith("attachment"), disposition);
        assertTrue(disposition.contains("filename=\"meetup.ics\""), disposition);
        assertEquals(ICS, ics.decodedBody(), "the .ics arrives byte for byte, UTF-8 included");
        assertTrue(message.contains("See you there."), "the text part is still there");
    }

    @Test
    void enqueueAllStoresAttachmentsNextToMailsWithout() {
        List<Mail> mails = List.of(invite("many1@example.org"), new Mail("many2@example.org", "Plain", "No file.", null));
        Await.await(smtpNode.app.pool().withTransaction(tx -> new Outbox().enqueueAll(tx, mails, smtpNode.clock.instant())));
        Row withFile = row(smtpNode, "many1@example.org");
        assertEquals("meetup.ics", withFile.getString("attachment_name"));
        assertEquals(Mail.CALENDAR_INVITE, withFile.getString("attachment_type"));
        assertEquals(ICS, withFile.getString("attachment_body"));
        Row without = row(smtpNode, "many2@example.org");
        assertNull(without.getString("attachment_name"));
        assertNull(without.getString("attachment_type"));
        assertNull(without.getString("attachment_body"));

        Await.await(smtpNode.app.mail().sendDue());
        assertEquals(ICS, attachmentPart(received("many1@example.org")).decodedBody());
        assertFalse(received("many2@example.org").toLowerCase(Locale.ROOT).contains("content-disposition: attachment"));
    }

    @Test
    void theDevelopmentOutboxOffersTheAttachmentForDownload() {
        Await.await(devNode.app.pool().withTransaction(tx -> new Outbox().enqueue(tx, invite("dev@example.org"), devNode.clock.instant())));
        Await.await(devNode.app.pool().withTransaction(tx ->
                new Outbox().enqueue(tx, new Mail("dev-plain@example.org", "Plain", "No file.", null), devNode.clock.instant())));
        long withFile = row(devNode, "dev@example.org").getLong("id");
        long without = row(devNode, "dev-plain@example.org").getLong("id");

        Browser browser = devNode.browser();
        String page = browser.get("/dev/mail?to=dev@example.org").bodyAsString();
        assertTrue(page.contains("href=\"/dev/mail/" + withFile + "/attachment\""), page);
        assertTrue(page.contains("meetup.ics"), page);

        HttpResponse<Buffer> file = browser.get("/dev/mail/" + withFile + "/attachment");
        assertEquals(200, file.statusCode());
        assertEquals(Mail.CALENDAR_INVITE, file.getHeader("Content-Type"));
        assertEquals("attachment; filename=\"meetup.ics\"", file.getHeader("Content-Disposition"));
        assertEquals(ICS, file.body().toString(StandardCharsets.UTF_8));

        assertEquals(404, browser.get("/dev/mail/" + without + "/attachment").statusCode());
        assertEquals(404, browser.get("/dev/mail/999999/attachment").statusCode());
        assertEquals(404, browser.get("/dev/mail/nope/attachment").statusCode());
    }

    @Test
    void aHostileFileNameCannotBreakTheHeader() {
        Mail mail = new Mail("evil@example.org", "Evil", "x", null)
                .withAttachment(new Mail.Attachment("a\"b\r\nSet-Cookie: x=1\\.ics", "text/plain", "hi"));
        Await.await(devNode.app.pool().withTransaction(tx -> new Outbox().enqueue(tx, mail, devNode.clock.instant())));
        long id = row(devNode, "evil@example.org").getLong("id");
        HttpResponse<Buffer> file = devNode.browser().get("/dev/mail/" + id + "/attachment");
        assertEquals(200, file.statusCode());
        assertEquals("attachment; filename=\"abSet-Cookie: x=1.ics\"", file.getHeader("Content-Disposition"));
        assertTrue(file.headers().getAll("Set-Cookie").stream().noneMatch(c -> c.startsWith("x=")), "no header smuggled in");
    }

    private static Row row(TestNode node, String to) {
        return Await.await(node.app.pool()
                .preparedQuery("SELECT id, attachment_name, attachment_type, attachment_body FROM outbox WHERE to_email = $1")
                .execute(Tuple.of(to))).iterator().next();
    }

    private static String received(String to) {
        return smtp.messages.stream().filter(m -> m.contains("To: " + to)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing received for " + to + " in " + smtp.messages));
    }

    // --- just enough MIME reading for these assertions (the sink keeps lines joined by \n) ---

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";\\s]+)\"?", Pattern.CASE_INSENSITIVE);

    /** One MIME part: unfolded headers (lower-case names) and its raw body. */
    private record Part(List<String[]> headers, String body) {

        String header(String name) {
            return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).findFirst().orElse("");
        }

        String decodedBody() {
            if (!header("content-transfer-encoding").equalsIgnoreCase("base64")) return body;
            return new String(Base64.getMimeDecoder().decode(body), StandardCharsets.UTF_8);
        }
    }

    private static Part attachmentPart(String message) {
        Matcher m = BOUNDARY.matcher(unfold(message.substring(0, message.indexOf("\n\n"))));
        assertTrue(m.find(), "a multipart message: " + message);
        String delimiter = "--" + m.group(1);
        List<Part> parts = new ArrayList<>();
        String[] chunks = message.split(Pattern.quote(delimiter));
        for (int i = 1; i < chunks.length; i++) {
            String chunk = chunks[i];
            if (chunk.startsWith("--")) break; // closing delimiter
            chunk = chunk.substring(chunk.indexOf('\n') + 1);
            int blank = chunk.indexOf("\n\n");
            List<String[]> headers = new ArrayList<>();
            for (String line : unfold(chunk.substring(0, blank)).split("\n")) {
                int colon = line.indexOf(':');
                headers.add(new String[] {line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim()});
            }
            parts.add(new Part(headers, chunk.substring(blank + 2).stripTrailing()));
        }
        return parts.stream().filter(p -> p.header("content-disposition").startsWith("attachment")).findFirst()
                .orElseThrow(() -> new AssertionError("no attachment part in " + message));
    }

    private static String unfold(String headers) {
        return headers.replaceAll("\n[ \t]+", " ");
    }
}
