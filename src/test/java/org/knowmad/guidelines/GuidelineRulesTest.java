package org.knowmad.guidelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
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
import org.knowmad.course.Person;
import org.knowmad.web.Viewer;

/** Every standing × every fact, against the rule written out in words. */
class GuidelineRulesTest {

    private final GuidelineRules rules = new GuidelineRules(new CohortRules());
    private static final Instant ADOPTED = Instant.parse("2030-03-05T10:00:00Z");

    enum Who { VISITOR, STRANGER, PARTICIPANT, SILENCED, FACILITATOR }

    private static CohortAccess access(Who who, Instant acceptedAt) {
        CourseDefinition def = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(new Person("fac@example.org", "Fay")),
                List.of("Be kind"), List.of(), List.of(), null);
        CohortRef ref = new CohortRef(new Course(def, null, java.util.Map.of()), new CohortDefinition("k", null, Pace.FIXED, Enrolment.OPEN, null, null), false);
        String email = switch (who) {
            case VISITOR -> null;
            case FACILITATOR -> "fac@example.org";
            default -> who.name().toLowerCase() + "@example.org";
        };
        Viewer viewer = new Viewer(email == null ? null : new Account(who.ordinal() + 1, email, null, "en"), "t", false);
        boolean enrolled = who == Who.PARTICIPANT || who == Who.SILENCED;
        return new CohortAccess(viewer, ref, who == Who.FACILITATOR, enrolled
                ? Optional.of(new Enrolled("c", "k", who.ordinal() + 1, Instant.EPOCH, who == Who.SILENCED, acceptedAt)) : Optional.empty());
    }

    @Test
    void proposingAndVotingTakeAnOpenWindowASwitchAndAVoice() {
        for (Who who : Who.values()) {
            for (boolean on : new boolean[] {true, false}) {
                for (boolean open : new boolean[] {true, false}) {
                    for (boolean own : new boolean[] {true, false}) {
                        CohortAccess a = access(who, Instant.EPOCH);
                        boolean speaks = who == Who.PARTICIPANT || who == Who.FACILITATOR;
                        String cell = who + " on=" + on + " open=" + open + " own=" + own;
                        assertEquals(speaks && on && open, rules.propose(a, on, open).allowed(), cell);
                        assertEquals(speaks && on && open && !own, rules.vote(a, on, open, own).allowed(), cell);
                        assertEquals(speaks && on && open && own, rules.withdraw(a, on, open, own).allowed(), cell);
                        assertEquals(who == Who.FACILITATOR && on, rules.adopt(a, on).allowed(), cell);
                        assertEquals((who == Who.PARTICIPANT || who == Who.SILENCED) && on, rules.accept(a, on).allowed(), cell);
                        assertEquals(who == Who.PARTICIPANT || who == Who.SILENCED || who == Who.FACILITATOR, rules.see(a).allowed(), cell);
                    }
                }
            }
        }
    }

    @Test
    void refusalsSayWhy() {
        assertEquals(404, rules.propose(access(Who.PARTICIPANT, null), false, true).refusal().status(), "switched off: there is nothing");
        assertEquals("guidelines.closed", rules.propose(access(Who.PARTICIPANT, null), true, false).reason());
        assertEquals("discussion.silenced", rules.propose(access(Who.SILENCED, null), true, true).reason());
        assertEquals("guidelines.ownProposal", rules.vote(access(Who.PARTICIPANT, null), true, true, true).reason());
        assertEquals(401, rules.see(access(Who.VISITOR, null)).refusal().status());
    }

    @Test
    void askedToAcceptOnlyParticipantsWhoAcceptedBeforeTheAdoption() {
        assertTrue(rules.askToAccept(access(Who.PARTICIPANT, ADOPTED.minusSeconds(1)), ADOPTED));
        assertFalse(rules.askToAccept(access(Who.PARTICIPANT, ADOPTED), ADOPTED));
        assertFalse(rules.askToAccept(access(Who.PARTICIPANT, ADOPTED.minusSeconds(1)), null), "nothing adopted");
        assertFalse(rules.askToAccept(access(Who.FACILITATOR, null), ADOPTED));
        assertFalse(rules.askToAccept(access(Who.STRANGER, null), ADOPTED));
        assertTrue(rules.askToAccept(access(Who.SILENCED, ADOPTED.minusSeconds(1)), ADOPTED), "silenced people read and accept too");
    }

    @Test
    void proposersAreKnownUnlessAnonymousToFacilitatorsAndThemselvesAlways() {
        CohortAccess participant = access(Who.PARTICIPANT, null);
        long self = participant.viewer().accountId();
        assertTrue(rules.knowProposer(participant, false, 99));
        assertFalse(rules.knowProposer(participant, true, 99));
        assertTrue(rules.knowProposer(participant, true, self));
        assertTrue(rules.knowProposer(access(Who.FACILITATOR, null), true, 99));
        assertFalse(rules.knowProposer(access(Who.VISITOR, null), true, 99));
    }
}
