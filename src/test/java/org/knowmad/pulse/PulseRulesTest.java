package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
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

/** The pulse's rules over every standing: who is counted, who sees the aggregate, the pulse and their own week. */
class PulseRulesTest {

    private static final PulseRules RULES = new PulseRules(new CohortRules());
    static final CourseDefinition COURSE = new CourseDefinition("c", "C", "en", "Europe/Amsterdam", "",
            List.of(new Person("fac@x.org", "Fay")), List.of(), List.of(), List.of(), null);
    static final CohortRef REF = new CohortRef(new Course(COURSE, Path.of("c"), Map.of()),
            new CohortDefinition("k", LocalDateTime.of(2030, 3, 4, 9, 0), Pace.FIXED, Enrolment.OPEN, null, null), false);

    /** A standing and what each rule must answer for it. */
    record Case(String name, boolean signedIn, boolean facilitator, boolean enrolled, boolean silenced,
                boolean recorded, boolean aggregate, boolean pulse, boolean own, boolean rhythm) {
    }

    static final List<Case> CASES = List.of(
            new Case("visitor", false, false, false, false, false, false, false, false, false),
            new Case("stranger (another cohort, or nobody's)", true, false, false, false, false, false, false, true, false),
            new Case("participant", true, false, true, false, true, true, false, true, true),
            new Case("silenced participant", true, false, true, true, true, true, false, true, true),
            new Case("facilitator", true, true, false, false, false, true, true, true, false),
            new Case("facilitator who also joined", true, true, true, false, false, true, true, true, true));

    static CohortAccess access(String name, boolean signedIn, boolean facilitator, boolean enrolled, boolean silenced) {
        Viewer viewer = signedIn ? new Viewer(new Account(7, name.replace(' ', '-') + "@x.org", name, null), "csrf", false)
                : new Viewer(null, null, false);
        Optional<Enrolled> enrolment = enrolled ? Optional.of(new Enrolled("c", "k", 7, Instant.EPOCH, silenced)) : Optional.empty();
        return new CohortAccess(viewer, REF, facilitator, enrolment);
    }

    @Test
    void everyStanding() {
        for (Case c : CASES) {
            CohortAccess a = access(c.name(), c.signedIn(), c.facilitator(), c.enrolled(), c.silenced());
            assertEquals(c.recorded(), RULES.recorded(a), c.name() + ": recorded");
            assertEquals(c.aggregate(), RULES.seeAggregate(a), c.name() + ": sees the cohort's aggregate");
            assertEquals(c.pulse(), RULES.seePulse(a).allowed(), c.name() + ": sees the pulse");
            assertEquals(c.pulse(), RULES.seeRoster(a).allowed(), c.name() + ": sees the roster");
            assertEquals(c.pulse(), RULES.announce(a).allowed(), c.name() + ": announces");
            assertEquals(c.own(), RULES.seeOwnActivity(a.viewer()).allowed(), c.name() + ": sees their own week");
            assertEquals(c.rhythm(), RULES.keepRhythm(a).allowed(), c.name() + ": keeps a sharing rhythm");
        }
    }

    @Test
    void attendeesCheckedInAreCountedUnlessTheyFacilitate() {
        assertEquals(true, RULES.recordedAttendee(COURSE, "someone@x.org"));
        assertEquals(false, RULES.recordedAttendee(COURSE, "FAC@x.org"), "facilitators are never counted, whatever the case");
        assertEquals(false, RULES.recordedAttendee(COURSE, null));
    }
}
