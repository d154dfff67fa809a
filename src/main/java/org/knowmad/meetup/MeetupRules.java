package org.knowmad.meetup;

import java.time.Instant;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.Person;
import org.knowmad.meetup.MeetupService.MeetupAccess;
import org.knowmad.web.HttpProblem;

/**
 * Who may see, join and run a cohort's closing meetup: pure, no I/O, built on {@link CohortRules}.
 * Organisers are the course's facilitators and the people listed under {@code meetup.organisers}; the
 * meetup page is for members of the cohort and for anyone holding a registration; the live room (tables,
 * Q&A, live events) for confirmed registrants and organisers; the harvest for members once published.
 */
public class MeetupRules {

    private final CohortRules cohorts;

    public MeetupRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    /** The organiser standing, worked out once when the meetup is described for a viewer. */
    public boolean organiser(MeetupDefinition meetup, CohortAccess access) {
        if (access.facilitator()) return true;
        if (!access.viewer().signedIn()) return false;
        String email = access.viewer().email();
        for (Person p : meetup.organisers()) if (p.email() != null && p.email().equalsIgnoreCase(email)) return true;
        return false;
    }

    /** The meetup page: organisers, members of the cohort, and who holds a (not cancelled) registration. */
    public Decision see(CohortAccess access, boolean organiser, boolean registered) {
        if (organiser || access.enrolled() || registered) return Decision.yes();
        return Decision.no(access.viewer().signedIn() ? new HttpProblem(403, "meetup.joinFirst") : HttpProblem.signInRequired());
    }

    /** Register (or join the waitlist): members of the cohort, until the meetup starts. */
    public Decision register(MeetupAccess m, Instant now) {
        if (!m.access().viewer().signedIn()) return Decision.no(HttpProblem.signInRequired());
        return Decision.when(m.access().enrolled(), () -> new HttpProblem(403, "meetup.joinFirst"))
                .and(() -> Decision.when(now.isBefore(m.starts()), () -> new HttpProblem(409, "meetup.registrationClosed")));
    }

    /** The live room: tables, choices, Q&A, notes and its live events: confirmed registrants and organisers. */
    public Decision attend(MeetupAccess m) {
        if (!m.access().viewer().signedIn()) return Decision.no(HttpProblem.signInRequired());
        return Decision.when(m.confirmed() || m.organiser(), () -> new HttpProblem(403, "meetup.registrantsOnly"));
    }

    /** The control room: registrations, check-in, walk-ins, agenda, rounds, moderation of questions, the harvest. */
    public Decision organise(MeetupAccess m) {
        if (!m.access().viewer().signedIn()) return Decision.no(HttpProblem.signInRequired());
        return Decision.when(m.organiser(), HttpProblem::forbidden);
    }

    /** The harvest page and its Markdown: once published (organisers while writing it). */
    public Decision seeHarvest(MeetupAccess m, boolean published) {
        return Decision.when(published || m.organiser(), () -> new HttpProblem(404, "meetup.harvest.notYet"));
    }

    /** Organisers are not held to the live room's rate limit (they moderate it). */
    public boolean rateLimited(MeetupAccess m) {
        return !m.organiser();
    }
}
