package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.knowmad.account.Account;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.Enrolled;
import org.knowmad.cohort.ModuleView;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Enrolment;
import org.knowmad.course.Pace;
import org.knowmad.web.Viewer;

/**
 * The discussion rules over every combination of who asks (visitor, stranger, member, silenced member,
 * facilitator; author of the post or not) and what they ask about (module open or locked, thread open or
 * closed, post present or removed): the invariants a facilitator relies on hold in every one of them.
 */
class ThreadRulesTest {

    private static final ThreadRules RULES = new ThreadRules(new CohortRules());
    private static final long AUTHOR = 7;

    private record Who(String name, boolean signedIn, boolean facilitator, boolean enrolled, boolean silenced, long id) {
    }

    private static final List<Who> PEOPLE = List.of(
            new Who("visitor", false, false, false, false, 0),
            new Who("stranger", true, false, false, false, 1),
            new Who("member", true, false, true, false, 2),
            new Who("author", true, false, true, false, AUTHOR),
            new Who("silenced author", true, false, true, true, AUTHOR),
            new Who("silenced member", true, false, true, true, 3),
            new Who("facilitator", true, true, false, false, 4));

    private static CohortAccess access(Who w) {
        CourseDefinition def = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(), List.of(),
                List.of(), List.of(), null);
        CohortDefinition cohort = new CohortDefinition("k", java.time.LocalDateTime.of(2030, 3, 4, 9, 0), Pace.FIXED, Enrolment.OPEN, null, null);
        CohortRef ref = new CohortRef(new Course(def, Path.of("c"), java.util.Map.of()), cohort, false);
        Viewer viewer = w.signedIn() ? new Viewer(new Account(w.id(), w.name() + "@x.org", w.name(), null), "csrf", false)
                : new Viewer(null, null, false);
        Optional<Enrolled> enrolment = w.enrolled() ? Optional.of(new Enrolled("c", "k", w.id(), Instant.EPOCH, w.silenced())) : Optional.empty();
        return new CohortAccess(viewer, ref, w.facilitator(), enrolment);
    }

    private static ThreadRow thread(boolean closed) {
        return new ThreadRow(1, "c", "k", "m", "T", AUTHOR, "Author", "author@x.org", false, false, closed ? Instant.EPOCH : null,
                3, Instant.EPOCH, Instant.EPOCH, 0, false, null, 0, null, false, List.of());
    }

    /** A thread the course opened (a prompt): nobody asked it. */
    private static ThreadRow prompt(boolean closed) {
        return new ThreadRow(2, "c", "k", "m", "P", null, null, null, false, false, closed ? Instant.EPOCH : null,
                3, Instant.EPOCH, Instant.EPOCH, 0, false, null, 0, null, false, List.of());
    }

    @Test
    void theAnswerThatHelpedIsTheAskersOrTheFacilitatorsToMark() {
        for (Who w : PEOPLE) {
            CohortAccess a = access(w);
            for (boolean moduleOpen : List.of(true, false)) {
                ModuleView module = new ModuleView("m", "M", moduleOpen, Instant.EPOCH, false, "/m");
                for (boolean closed : List.of(true, false)) {
                    for (boolean deleted : List.of(true, false)) {
                        for (boolean hidden : List.of(true, false)) {
                            String where = w.name() + " open=" + moduleOpen + " closed=" + closed + " deleted=" + deleted + " hidden=" + hidden;
                            ThreadRow t = thread(closed);
                            boolean sees = RULES.see(a, module).allowed();
                            Decision mark = RULES.markSolved(a, module, t, 2, deleted, hidden);
                            Decision unmark = RULES.unmarkSolved(a, module, t);
                            boolean asker = w.id() == AUTHOR && w.enrolled();
                            boolean expected = sees && (w.facilitator() || (asker && !w.silenced() && !closed)) && !deleted && !hidden;
                            assertEquals(expected, mark.allowed(), where);
                            assertEquals(sees && (w.facilitator() || (asker && !w.silenced() && !closed)), unmark.allowed(), where);
                            // The question is never its own answer; in a prompt thread only facilitators mark.
                            assertFalse(RULES.markSolved(a, module, t, 1, false, false).allowed(), where);
                            assertEquals(sees && w.facilitator() && !deleted && !hidden,
                                    RULES.markSolved(a, module, prompt(closed), 2, deleted, hidden).allowed(), where);
                            if (!w.signedIn()) assertEquals(401, mark.refusal().status(), where);

                            // History: whoever sees the post; removed only facilitators; hidden facilitators and the author.
                            boolean history = sees && (!deleted || w.facilitator()) && (!hidden || w.facilitator() || w.id() == AUTHOR);
                            assertEquals(history, RULES.seeHistory(a, module, AUTHOR, deleted, hidden).allowed(), where);
                        }
                    }
                }
            }
        }
        ModuleView open = new ModuleView("m", "M", true, Instant.EPOCH, false, "/m");
        assertEquals("solved.onlyAskerOrFacilitator", RULES.markSolved(access(PEOPLE.get(2)), open, thread(false), 2, false, false).reason());
        assertEquals("thread.closed", RULES.markSolved(access(PEOPLE.get(3)), open, thread(true), 2, false, false).reason());
        assertEquals("solved.notTheQuestion", RULES.markSolved(access(PEOPLE.get(3)), open, thread(false), 1, false, false).reason());
        assertEquals(410, RULES.seeHistory(access(PEOPLE.get(3)), open, AUTHOR, true, false).refusal().status());
    }

    @Test
    void everyCombinationKeepsTheInvariants() {
        int cells = 0;
        for (Who w : PEOPLE) {
            CohortAccess a = access(w);
            for (boolean moduleOpen : List.of(true, false)) {
                ModuleView module = new ModuleView("m", "M", moduleOpen, Instant.EPOCH, false, "/m");
                for (boolean closed : List.of(true, false)) {
                    ThreadRow t = thread(closed);
                    for (boolean deleted : List.of(true, false)) {
                        cells++;
                        String where = w.name() + " open=" + moduleOpen + " closed=" + closed + " deleted=" + deleted;
                        boolean sees = RULES.see(a, module).allowed();
                        List<Decision> acts = new ArrayList<>(List.of(RULES.startThread(a, module), RULES.reply(a, module, t),
                                RULES.edit(a, module, t, AUTHOR, deleted), RULES.delete(a, module, AUTHOR, deleted),
                                RULES.react(a, module, AUTHOR, deleted), RULES.flag(a, module, AUTHOR, deleted),
                                RULES.follow(a, module), RULES.nominate(a, module, t)));
                        // Who cannot see a thread can do nothing with it.
                        if (!sees) for (Decision d : acts) assertFalse(d.allowed(), where);
                        // Visitors only ever read; they are asked to sign in, never told "forbidden".
                        if (!w.signedIn()) for (Decision d : acts) assertEquals(401, d.refusal().status(), where);
                        // Facilitators see every module, locked or not.
                        if (w.facilitator()) assertTrue(sees, where);
                        // Members see exactly the open modules.
                        if (w.enrolled()) assertEquals(moduleOpen, sees, where);
                        // Silenced people read but never write, react, flag or nominate.
                        if (w.silenced()) {
                            for (Decision d : List.of(acts.get(0), acts.get(1), acts.get(2), acts.get(4), acts.get(5), acts.get(7))) {
                                assertFalse(d.allowed(), where);
                            }
                        }
                        // A closed thread takes no replies and no edits, from anyone.
                        if (closed) {
                            assertFalse(RULES.reply(a, module, t).allowed(), where);
                            assertFalse(RULES.edit(a, module, t, AUTHOR, deleted).allowed(), where);
                        }
                        // Only the author edits; nobody reacts to or flags their own post.
                        if (w.id() != AUTHOR) assertFalse(RULES.edit(a, module, t, AUTHOR, deleted).allowed(), where);
                        if (w.id() == AUTHOR) {
                            assertFalse(RULES.react(a, module, AUTHOR, deleted).allowed(), where);
                            assertFalse(RULES.flag(a, module, AUTHOR, deleted).allowed(), where);
                        }
                        // A removed post is changed by nobody.
                        if (deleted) {
                            assertFalse(RULES.edit(a, module, t, AUTHOR, true).allowed(), where);
                            assertFalse(RULES.delete(a, module, AUTHOR, true).allowed(), where);
                        }
                        // Moderation is the facilitators' alone.
                        assertEquals(w.facilitator(), RULES.moderate(a).allowed(), where);
                        // Being told of a thread follows seeing it.
                        assertEquals(sees && w.signedIn(), RULES.mayBeNotified(a, module), where);
                        // An anonymous author is known to facilitators and to themself only.
                        assertEquals(w.facilitator() || w.id() == AUTHOR, RULES.knowAuthor(a, AUTHOR, true), where);
                        assertTrue(RULES.knowAuthor(a, AUTHOR, false), where);
                        // The author of an open, visible thread, with a voice, may reply and edit.
                        if (w.name().equals("author") && moduleOpen && !closed && !deleted) {
                            assertTrue(RULES.reply(a, module, t).allowed(), where);
                            assertTrue(RULES.edit(a, module, t, AUTHOR, false).allowed(), where);
                        }
                    }
                }
            }
        }
        assertEquals(PEOPLE.size() * 8, cells);
    }

    @Test
    void refusalsSayWhy() {
        ModuleView open = new ModuleView("m", "M", true, Instant.EPOCH, false, "/m");
        assertEquals("thread.closed", RULES.reply(access(PEOPLE.get(2)), open, thread(true)).reason());
        assertEquals(409, RULES.reply(access(PEOPLE.get(2)), open, thread(true)).refusal().status());
        assertEquals("discussion.silenced", RULES.reply(access(PEOPLE.get(5)), open, thread(false)).reason());
        assertEquals("module.joinFirst", RULES.reply(access(PEOPLE.get(1)), open, thread(false)).reason());
        ModuleView locked = new ModuleView("m", "M", false, Instant.EPOCH, false, "/m");
        assertEquals("module.locked", RULES.see(access(PEOPLE.get(2)), locked).reason());
        assertEquals("post.onlyAuthorEdits", RULES.edit(access(PEOPLE.get(2)), open, thread(false), AUTHOR, false).reason());
    }
    /** Reply first, over every person × reply-first on/off × answered or not × whose post: the prompt and one's own always. */
    @Test
    void replyFirstHidesOthersAnswersUntilOneHasAnswered() {
        int cells = 0;
        for (Who w : PEOPLE) {
            CohortAccess a = access(w);
            for (boolean replyFirst : List.of(true, false)) {
                for (boolean answered : List.of(true, false)) {
                    String where = w.name() + " replyFirst=" + replyFirst + " answered=" + answered;
                    boolean others = RULES.seeOthersAnswers(a, replyFirst, answered);
                    // Off: everything as before. On: facilitators always, participants once they answered, visitors never.
                    boolean expected = !replyFirst || w.facilitator() || (w.signedIn() && answered);
                    assertEquals(expected, others, where);
                    assertEquals(expected, RULES.seeAnswer(a, replyFirst, answered, 99L, 2), where + " a peer's post");
                    assertTrue(RULES.seeAnswer(a, replyFirst, answered, null, 1), where + " the course's prompt");
                    assertTrue(RULES.seeAnswer(a, replyFirst, answered, null, 7), where + " the course's harvest notes");
                    if (w.signedIn()) assertTrue(RULES.seeAnswer(a, replyFirst, answered, w.id(), 3), where + " one's own post");
                    cells++;
                }
            }
        }
        assertEquals(PEOPLE.size() * 4, cells);
    }

    @Test
    void marksAreTheAuthorsWithAVoiceAndReactionsFollowThePromptType() {
        ModuleView open = new ModuleView("m", "M", true, Instant.EPOCH, false, "/m");
        for (Who w : PEOPLE) {
            CohortAccess a = access(w);
            boolean mayMark = RULES.mark(a, open, AUTHOR, false).allowed();
            assertEquals(w.name().equals("author"), mayMark, w.name());
            assertFalse(RULES.mark(a, open, AUTHOR, true).allowed(), w.name() + " removed post");
            for (boolean mistakes : List.of(true, false)) {
                for (String kind : List.of("helpful", "me-too", "funny")) {
                    Decision d = RULES.reactWith(a, open, 99L, false, kind, mistakes);
                    boolean base = RULES.react(a, open, 99L, false).allowed();
                    boolean kindOk = kind.equals("helpful") || (mistakes && kind.equals("me-too"));
                    assertEquals(base && kindOk, d.allowed(), w.name() + " " + kind + " mistakes=" + mistakes);
                    if (base && !kindOk) assertEquals(409, d.refusal().status());
                }
            }
            assertEquals(w.facilitator(), RULES.seeHelpRequests(a).allowed(), w.name());
        }
        assertEquals("mark.onlyAuthor", RULES.mark(access(PEOPLE.get(2)), open, AUTHOR, false).reason());
        assertEquals("reaction.onlyHelpfulOrMeToo", RULES.reactWith(access(PEOPLE.get(2)), open, AUTHOR, false, "funny", true).reason());
        assertTrue(ThreadRules.anonymousByDefault(true));
        assertFalse(ThreadRules.anonymousByDefault(false));
    }
}
