package org.knowmad.circles;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** Every standing x switch x membership, against the table the feature promises. */
class CircleRulesTest {

    private final CircleRules rules = new CircleRules(new CohortRules());

    enum Who { VISITOR, STRANGER, PARTICIPANT, SILENCED, FACILITATOR }

    private static CohortAccess access(Who who) {
        CourseDefinition def = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "", List.of(new Person("fac@example.org", "Fay")),
                List.of(), List.of(), List.of(), null);
        CohortRef ref = new CohortRef(new Course(def, null, java.util.Map.of()), new CohortDefinition("k", null, Pace.FIXED, Enrolment.OPEN, null, null), false);
        String email = switch (who) {
            case VISITOR -> null;
            case FACILITATOR -> "fac@example.org";
            default -> who.name().toLowerCase() + "@example.org";
        };
        Viewer viewer = new Viewer(email == null ? null : new Account(who.ordinal() + 1, email, null, "en"), "t", false);
        boolean enrolled = who == Who.PARTICIPANT || who == Who.SILENCED;
        return new CohortAccess(viewer, ref, who == Who.FACILITATOR, enrolled
                ? Optional.of(new Enrolled("c", "k", who.ordinal() + 1, Instant.EPOCH, who == Who.SILENCED)) : Optional.empty());
    }

    @Test
    void everyStandingSwitchAndMembership() {
        for (Who who : Who.values()) {
            for (boolean on : new boolean[] {true, false}) {
                for (boolean member : new boolean[] {true, false}) {
                    CohortAccess a = access(who);
                    String cell = who + " on=" + on + " member=" + member;
                    boolean cohortMember = who == Who.PARTICIPANT || who == Who.SILENCED || who == Who.FACILITATOR;
                    boolean enrolled = who == Who.PARTICIPANT || who == Who.SILENCED;
                    assertEquals(cohortMember && on, rules.seeCircles(a, on).allowed(), cell);
                    boolean sees = on && (who == Who.FACILITATOR || enrolled && member);
                    assertEquals(sees, rules.seeCircle(a, on, member).allowed(), cell);
                    assertEquals(sees && who != Who.SILENCED, rules.post(a, on, member).allowed(), cell);
                    assertEquals(enrolled && on, rules.takePart(a, on).allowed(), cell);
                    assertEquals(who == Who.FACILITATOR && on, rules.form(a, on).allowed(), cell);
                    assertEquals(who == Who.FACILITATOR, rules.seeAllCircles(a), cell);
                }
            }
        }
    }

    @Test
    void aCircleIsNotFoundForThoseOutsideIt() {
        assertEquals(404, rules.seeCircle(access(Who.PARTICIPANT), true, false).refusal().status());
        assertEquals(401, rules.seeCircle(access(Who.VISITOR), true, false).refusal().status());
        assertEquals(403, rules.seeCircle(access(Who.STRANGER), true, false).refusal().status());
        assertEquals(404, rules.seeCircles(access(Who.PARTICIPANT), false).refusal().status());
    }
}
