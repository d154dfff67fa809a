package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.knowmad.account.Account;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Enrolled;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Enrolment;
import org.knowmad.course.Pace;
import org.knowmad.review.Csv;
import org.knowmad.review.ReviewDemand;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Signer;
import org.knowmad.web.Viewer;

/** The pure parts of the roster and of acting on it: who reads an announcement, form checks, query parsing, weeks, pseudonyms. */
class RosterRulesTest {

    private static final PulseRules RULES = new PulseRules(new CohortRules());

    private static CohortAccess access(boolean signedIn, boolean facilitator, boolean enrolled) {
        CourseDefinition def = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(), List.of(),
                List.of(), List.of(), null);
        CohortDefinition cohort = new CohortDefinition("k", java.time.LocalDateTime.of(2030, 3, 4, 9, 0), Pace.FIXED, Enrolment.OPEN, null, null);
        CohortRef ref = new CohortRef(new Course(def, Path.of("c"), java.util.Map.of()), cohort, false);
        Viewer viewer = signedIn ? new Viewer(new Account(5, "p@x.org", "P", null), "csrf", false) : new Viewer(null, null, false);
        Optional<Enrolled> enrolment = enrolled ? Optional.of(new Enrolled("c", "k", 5, Instant.EPOCH, false)) : Optional.empty();
        return new CohortAccess(viewer, ref, facilitator, enrolment);
    }

    @Test
    void announcementsAreReadByFacilitatorsAndTheMembersTheyWereFor() {
        CohortAccess visitor = access(false, false, false);
        CohortAccess stranger = access(true, false, false);
        CohortAccess member = access(true, false, true);
        CohortAccess facilitator = access(true, true, false);
        for (boolean everyone : new boolean[] {false, true}) {
            for (boolean recipient : new boolean[] {false, true}) {
                assertTrue(RULES.readAnnouncement(facilitator, everyone, recipient).allowed());
                assertEquals(401, RULES.readAnnouncement(visitor, everyone, recipient).refusal().status());
                assertEquals(403, RULES.readAnnouncement(stranger, everyone, recipient).refusal().status());
                assertEquals(everyone || recipient, RULES.readAnnouncement(member, everyone, recipient).allowed());
            }
        }
        assertEquals(404, RULES.readAnnouncement(member, false, false).refusal().status(), "not told that it exists");
        // Acting on the roster stays the facilitators'.
        assertTrue(RULES.announce(facilitator).allowed());
        assertEquals(403, RULES.announce(member).refusal().status());
        assertEquals(401, RULES.seeRoster(visitor).refusal().status());
    }

    private static int status(Runnable r) {
        return assertThrows(HttpProblem.class, r::run).status();
    }

    private static String key(Runnable r) {
        return assertThrows(HttpProblem.class, r::run).key();
    }

    @Test
    void anAnnouncementNeedsASubjectABodyAndAKnownAudience() {
        Outreach.Announcement a = Outreach.announcement("  Hello  ", " **Body** ", null);
        assertEquals("Hello", a.subject());
        assertEquals("**Body**", a.body());
        assertEquals("all", a.audience());
        assertEquals("never-posted", Outreach.announcement("s", "b", "never-posted").audience());
        assertEquals("all", Outreach.announcement("s", "b", "all").audience());
        assertEquals("announcement.subjectRequired", key(() -> Outreach.announcement("  ", "b", null)));
        assertEquals("announcement.subjectRequired", key(() -> Outreach.announcement(null, "b", null)));
        assertEquals("announcement.bodyRequired", key(() -> Outreach.announcement("s", "\n ", null)));
        assertEquals("announcement.subjectTooLong", key(() -> Outreach.announcement("x".repeat(Outreach.MAX_SUBJECT + 1), "b", null)));
        assertEquals("s".repeat(Outreach.MAX_SUBJECT), Outreach.announcement("s".repeat(Outreach.MAX_SUBJECT), "b", null).subject());
        assertEquals("announcement.subjectOneLine", key(() -> Outreach.announcement("a\nBcc: x", "b", null)));
        assertEquals("announcement.bodyTooLong", key(() -> Outreach.announcement("s", "b".repeat(Outreach.MAX_BODY + 1), null)));
        assertEquals("roster.badFilter", key(() -> Outreach.announcement("s", "b", "everyone-ever")));
        assertEquals(400, status(() -> Outreach.announcement("s", "b", "UNSEEN")));
    }

    @Test
    void aNudgeIsForOneToSixtyDaysAndItsTextIsOptional() {
        assertEquals(new Outreach.Nudge(7, null), Outreach.nudge(null, null));
        assertEquals(new Outreach.Nudge(7, null), Outreach.nudge(" ", "  "));
        assertEquals(new Outreach.Nudge(1, "Hi"), Outreach.nudge("1", " Hi "));
        assertEquals(60, Outreach.nudge("60", null).days());
        for (String bad : List.of("0", "61", "-3", "seven", "7.5", "99999999999")) {
            assertEquals("nudge.badDays", key(() -> Outreach.nudge(bad, null)), bad);
        }
        assertEquals("announcement.bodyTooLong", key(() -> Outreach.nudge("7", "x".repeat(Outreach.MAX_BODY + 1))));
    }

    @Test
    void theWeekStartsOnMondayInTheCourseZone() {
        ZoneId ams = ZoneId.of("Europe/Amsterdam");
        // Sunday 23:30 in Amsterdam is still last week; Monday 00:30 there (Sunday 23:30 UTC) is the new one.
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-10T22:30:00Z"), ams));
        assertEquals(LocalDate.of(2030, 3, 11), WeekSummaries.weekStart(Instant.parse("2030-03-10T23:30:00Z"), ams));
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-10T23:30:00Z"), ZoneId.of("UTC")));
        assertEquals(LocalDate.of(2030, 3, 4), WeekSummaries.weekStart(Instant.parse("2030-03-04T00:00:00Z"), ZoneId.of("UTC")));
        // Across the new year: Wednesday 1 January 2031 is in the ISO week that starts on Monday 30 December 2030.
        assertEquals(LocalDate.of(2030, 12, 30), WeekSummaries.weekStart(Instant.parse("2031-01-01T12:00:00Z"), ZoneId.of("UTC")));
    }

    @Test
    void rosterQueriesAreWhitelisted() {
        RosterQuery q = RosterQuery.parse(null, null, null, null, null);
        assertEquals(Optional.empty(), q.filter());
        assertEquals(RosterSort.NAME, q.sort());
        assertFalse(q.descending());
        assertEquals(1, q.page());
        assertEquals(RosterQuery.PAGE_SIZE, q.pageSize());
        RosterQuery r = RosterQuery.parse("owes-reviews", "last-seen", "desc", "3", "50");
        assertEquals(Optional.of(RosterFilter.OWES_REVIEWS), r.filter());
        assertEquals(RosterSort.LAST_SEEN, r.sort());
        assertTrue(r.descending());
        assertEquals(100, r.offset());
        assertEquals(0, r.everyone().offset());
        assertEquals(Optional.empty(), RosterQuery.parse("all", null, null, null, null).filter());
        for (RosterSort s : RosterSort.values()) assertEquals(s, RosterQuery.parse(null, s.slug, "asc", null, null).sort());
        for (RosterFilter f : RosterFilter.values()) assertEquals(Optional.of(f), RosterQuery.parse(f.slug, null, null, null, null).filter());
        assertEquals("roster.badSort", key(() -> RosterQuery.parse(null, "email; DROP TABLE account", null, null, null)));
        assertEquals("roster.badSort", key(() -> RosterQuery.parse(null, "name", "sideways", null, null)));
        assertEquals("roster.badFilter", key(() -> RosterQuery.parse("lurkers", null, null, null, null)));
        for (String[] bad : new String[][] {{"0", null}, {"x", null}, {"1", "0"}, {"1", "501"}}) {
            assertEquals("roster.badPage", key(() -> RosterQuery.parse(null, null, null, bad[0], bad[1])));
        }
    }

    @Test
    void reviewsOwedAreTheQuotaLessTheReviewsDone() {
        assertEquals(4, ReviewDemand.owed(3, 0));
        assertEquals(1, ReviewDemand.owed(3, 3));
        assertEquals(0, ReviewDemand.owed(3, 4));
        assertEquals(0, ReviewDemand.owed(3, 9));
        assertEquals(ReviewDemand.quota(2), ReviewDemand.owed(2, 0));
    }

    @Test
    void pseudonymsAreStablePerCohortAndTellNothing() {
        Pseudonyms p = new Pseudonyms(new Signer("secret-one"));
        String a = p.of("c", "k", 42);
        assertEquals(a, p.of("c", "k", 42));
        assertNotEquals(a, p.of("c", "k", 43));
        assertNotEquals(a, p.of("c", "other", 42), "not linkable across cohorts");
        assertNotEquals(a, new Pseudonyms(new Signer("secret-two")).of("c", "k", 42), "depends on the server's secret");
        assertTrue(a.matches("P-[A-Za-z0-9_-]{12}"), a);
        assertFalse(a.contains("42"));
    }

    @Test
    void csvCellsCannotRunAsFormulas() {
        assertEquals("'=HYPERLINK(\"\"http://x\"\")", Csv.safeField("=HYPERLINK(\"http://x\")").replaceAll("^\"|\"$", ""));
        assertEquals("'+1+1", Csv.safeField("+1+1"));
        assertEquals("'@SUM(A1)", Csv.safeField("@SUM(A1)"));
        assertEquals("-1.5", Csv.safeField("-1.5"));
        assertEquals("\"a,b\"", Csv.safeField("a,b"));
        assertEquals("", Csv.safeField(null));
    }

    @Test
    void theTextsReadWellInBothLanguages() {
        org.knowmad.web.Messages m = new org.knowmad.web.Messages();
        for (String lang : List.of("en", "nl")) {
            String nudge = m.get(lang, "nudge.mail.default", m.get(lang, "nudge.mail.greeting", " Bob"), "Knowmad", "Anna",
                    "https://x/courses/k/c", "https://x/me/notifications");
            assertTrue(nudge.startsWith(lang.equals("en") ? "Hello Bob," : "Hallo Bob,"), nudge);
            assertTrue(nudge.contains("Knowmad") && nudge.contains("Anna") && nudge.contains("https://x/me/notifications"), nudge);
            assertFalse(nudge.contains("{") || nudge.contains("''"), "no stray placeholder or doubled quote: " + nudge);
            if (lang.equals("en")) assertTrue(nudge.contains("this week's module"), nudge);
            String announcement = m.get(lang, "announcement.mail.body", "Body {0} it's", "Anna", "Knowmad", "https://x/a/1", "https://x/me");
            assertTrue(announcement.startsWith("Body {0} it's"), "the facilitator's text is taken as it is: " + announcement);
            assertFalse(m.get(lang, "nudge.sent", 0, 0, 2).contains("{"));
            assertFalse(m.get(lang, "announcement.sent", 1, 1).contains("{"));
            assertFalse(m.get(lang, "roster.count", 5000).contains("{"));
            assertFalse(m.get(lang, "sentLog.audience.quiet", 7).contains("{"));
            for (RosterSort s : RosterSort.values()) assertFalse(m.get(lang, "roster.column." + s.slug).startsWith("roster."), s.slug);
            for (RosterFilter f : RosterFilter.values()) assertFalse(m.get(lang, "roster.filter." + f.slug).startsWith("roster."), f.slug);
        }
        assertEquals("Nudge sent to 2 people (1 by mail); 1 person was skipped, already nudged this week.", m.get("en", "nudge.sent", 2, 1, 1));
        assertEquals("5.000 personen", m.get("nl", "roster.count", 5000));
    }
}
