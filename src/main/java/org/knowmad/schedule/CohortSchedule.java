package org.knowmad.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowmad.course.AssignmentDefinition;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.ModuleDefinition;

/**
 * When everything happens in one cohort of a course. Callers need not know the cohort's pace:
 *
 * <pre>{@code
 * CohortSchedule schedule = CohortSchedule.of(course, cohort);
 * Timetable mine = schedule.forParticipant(joinedAt);     // joinedAt is ignored in a fixed cohort
 * mine.isOpen("week-3", clock.instant());
 * mine.modules(previewDate);                               // a facilitator's "as a participant at X"
 * schedule.shared().releasesDue(clock.instant());           // the release job
 * }</pre>
 *
 * <p>Every offset ({@code P14D}) counts from the cohort's {@code starts} in a fixed cohort and from
 * the participant's join time, read on the course zone's wall clock, in a self-paced one; a fixed
 * local date-time is the same moment for everyone. See {@link When} for the daylight-saving rules.
 */
public final class CohortSchedule {

    private final CourseDefinition course;
    private final CohortDefinition cohort;
    private final ZoneId zone;
    private final When meetupStarts;       // null: no meetup
    private final Duration meetupDuration;
    private final Timetable shared;

    private CohortSchedule(CourseDefinition course, CohortDefinition cohort) {
        this.course = course;
        this.cohort = cohort;
        this.zone = course.zone();
        MeetupDefinition meetup = course.meetup();
        When override = cohort.meetup() == null ? null : cohort.meetup().starts();
        this.meetupStarts = override != null ? override : meetup == null ? null : meetup.starts();
        this.meetupDuration = meetup == null || meetup.duration() == null ? Duration.ZERO : meetup.duration();
        this.shared = timetable(cohort.selfPaced() ? null : cohort.starts());
    }

    /**
     * @throws IllegalArgumentException when a fixed-pace cohort has no {@code starts} (the validator
     *     refuses such files before this is reached)
     */
    public static CohortSchedule of(CourseDefinition course, CohortDefinition cohort) {
        Objects.requireNonNull(course, "course");
        Objects.requireNonNull(cohort, "cohort");
        if (!cohort.selfPaced() && cohort.starts() == null) {
            throw new IllegalArgumentException("cohort '" + cohort.id() + "' of course '" + course.id()
                    + "' has no starts; only a self-paced cohort may leave it out");
        }
        return new CohortSchedule(course, cohort);
    }

    public CourseDefinition course() {
        return course;
    }

    public CohortDefinition cohort() {
        return cohort;
    }

    public ZoneId zone() {
        return zone;
    }

    /**
     * What a participant who joined at {@code joinedAt} sees: every module, deadline and meetup.
     * In a fixed cohort everybody shares one timetable and {@code joinedAt} is ignored (it may be null).
     * In a self-paced cohort, pass the join time, or for a preview or a visitor who has not joined,
     * the moment they would join (usually now: "if you join now, week 3 opens on ...").
     */
    public Timetable forParticipant(Instant joinedAt) {
        if (!cohort.selfPaced()) return shared;
        Objects.requireNonNull(joinedAt, "a self-paced cohort needs the participant's join time");
        return timetable(LocalDateTime.ofInstant(joinedAt, zone));
    }

    /**
     * The events that are the same for everyone in the cohort: all of them in a fixed cohort; only
     * those written as fixed date-times in a self-paced one. For the release job, the cohort's
     * calendar feed and timers.
     */
    public Timetable shared() {
        return shared;
    }

    /** @param start local start on the course zone's wall clock; null: offsets unknown, keep fixed times only */
    private Timetable timetable(LocalDateTime start) {
        List<Event> events = new ArrayList<>();
        for (ModuleDefinition m : course.modules()) {
            add(events, Event.Kind.MODULE_OPENS, m.id(), m.opens(), start);
            AssignmentDefinition a = m.assignment();
            if (a != null) {
                add(events, Event.Kind.SUBMIT_BY, m.id(), a.submitBy(), start);
                add(events, Event.Kind.REVIEW_BY, m.id(), a.reviewBy(), start);
            }
        }
        if (hasMeetup()) {
            Instant starts = meetupStarts.resolve(start, zone);
            events.add(new Event(Event.Kind.MEETUP_STARTS, null, starts));
            // A duration is how long the meetup lasts, so it is elapsed time, unlike offsets.
            events.add(new Event(Event.Kind.MEETUP_ENDS, null, starts.plus(meetupDuration)));
        }
        return new Timetable(zone, course.modules(), events);
    }

    /**
     * The meetup is one gathering for the whole cohort, so a self-paced cohort, whose participants
     * each have their own start, has one only when its start is a fixed date-time.
     */
    private boolean hasMeetup() {
        return meetupStarts != null && !(cohort.selfPaced() && meetupStarts.isRelative());
    }

    private void add(List<Event> events, Event.Kind kind, String moduleId, When when, LocalDateTime start) {
        if (when == null || (start == null && when.isRelative())) return;
        events.add(new Event(kind, moduleId, when.resolve(start, zone)));
    }
}
