package org.knowmad.meetup;

import java.time.Duration;
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
 *
 * <p>Ending the meetup: an organiser ends it once it has started (never weeks ahead by a slip), and may take it back
 * for {@link #REOPEN_WINDOW} after ending, as long as the harvest is not published (the harvest tells the cohort it
 * is over). An ended meetup takes no registrations, walk-ins or live questions. The schema keeps the same states
 * (V022), so no code path can write past them.
 *
 * <p>Moderating live questions is transparent: an organiser who hides a question names one of {@link #HIDE_REASONS};
 * the room sees how many are hidden and why, only organisers see the hidden texts.
 *
 * <p>When the harvest is published, each agenda thread receives its table's notes as a post by the course (like a
 * prompt: the harvest is the table's work, not the publishing organiser's), also when the thread is closed (closing
 * ends the conversation, not the record of what the meetup made of it). Who voted for the question is told as
 * {@code ThreadRules.mayBeNotified} allows.
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

    /** Register (or join the waitlist): members of the cohort, until the meetup starts, and never once it ended. */
    public Decision register(MeetupAccess m, Instant now, Instant endedAt) {
        if (!m.access().viewer().signedIn()) return Decision.no(HttpProblem.signInRequired());
        return Decision.when(m.access().enrolled(), () -> new HttpProblem(403, "meetup.joinFirst"))
                .and(() -> registrationOpen(m, now, endedAt));
    }

    /** Whether the meetup takes registrations at all, whoever asks: until it starts, and never once it ended. */
    public Decision registrationOpen(MeetupAccess m, Instant now, Instant endedAt) {
        return notEnded(endedAt, "meetup.closed.registration")
                .and(() -> Decision.when(now.isBefore(m.starts()), () -> new HttpProblem(409, "meetup.registrationClosed")));
    }

    /** Someone at the door added by an organiser: while the meetup has not ended. */
    public Decision admit(MeetupAccess m, Instant endedAt) {
        return organise(m).and(() -> notEnded(endedAt, "meetup.closed.walkIn"));
    }

    /** Asking or upvoting a live question: the live room, while the meetup has not ended. */
    public Decision ask(MeetupAccess m, Instant endedAt) {
        return attend(m).and(() -> notEnded(endedAt, "meetup.closed.questions"));
    }

    /** How long an organiser may take back "end the meetup" (unless the harvest is out sooner). */
    public static final Duration REOPEN_WINDOW = Duration.ofHours(24);

    /**
     * End the meetup: organisers, from the moment it starts. Ending again is harmless (the first end stays);
     * before the start the refusal says from when it can be ended.
     */
    public Decision end(MeetupAccess m, Instant now) {
        return organise(m).and(() -> Decision.when(!now.isBefore(m.starts()), () -> new HttpProblem(409, "meetup.end.notYet", m.starts())));
    }

    /** Take back an end: organisers, within {@link #REOPEN_WINDOW} of ending and while the harvest is unpublished. */
    public Decision reopen(MeetupAccess m, Instant endedAt, boolean harvestPublished, Instant now) {
        return organise(m)
                .and(() -> Decision.when(endedAt != null, () -> new HttpProblem(409, "meetup.reopen.notEnded")))
                .and(() -> Decision.when(!harvestPublished, () -> new HttpProblem(409, "meetup.reopen.published")))
                .and(() -> Decision.when(now.isBefore(reopenableUntil(endedAt)), () -> new HttpProblem(409, "meetup.reopen.tooLate",
                        reopenableUntil(endedAt))));
    }

    /** Until when an end can be taken back (the harvest's publication closes it sooner). */
    public static Instant reopenableUntil(Instant endedAt) {
        return endedAt.plus(REOPEN_WINDOW);
    }

    private static Decision notEnded(Instant endedAt, String key) {
        return Decision.when(endedAt == null, () -> new HttpProblem(409, key, endedAt));
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

    /** The states an organiser can give a live question. */
    public static final java.util.List<String> QUESTION_STATES = java.util.List.of("open", "answered", "hidden");

    /** Why a live question was hidden: the categories the room is shown (in this order). */
    public static final java.util.List<String> HIDE_REASONS = java.util.List.of("off-topic", "duplicate", "disrespectful", "personal");

    /**
     * Moderating a live question (mark answered, hide, show again): organisers; hiding needs one of {@link #HIDE_REASONS}
     * (the room is told why), a reason with any other state is ignored.
     */
    public Decision moderate(MeetupAccess m, String state, String reason) {
        return organise(m)
                .and(() -> Decision.when(state != null && QUESTION_STATES.contains(state), () -> HttpProblem.badRequest("meetup.question.badState")))
                .and(() -> Decision.when(!"hidden".equals(state) || reason != null && HIDE_REASONS.contains(reason),
                        () -> HttpProblem.badRequest("meetup.question.badReason", String.join(", ", HIDE_REASONS))));
    }

    /** The text of hidden live questions: organisers only. Everyone in the room sees how many are hidden, and why. */
    public boolean seeHiddenQuestions(MeetupAccess m) {
        return m.organiser();
    }

    /** Organisers are not held to the live room's rate limit (they moderate it). */
    public boolean rateLimited(MeetupAccess m) {
        return !m.organiser();
    }
}
