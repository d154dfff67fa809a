package org.knowmad.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.knowmad.course.AssignmentDefinition;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CohortMeetup;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.course.Pace;

/** Small builders for course records, so tests read like the YAML they stand for. */
final class Fixtures {

    static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

    private Fixtures() {
    }

    static CourseDefinition course(String zone, MeetupDefinition meetup, ModuleDefinition... modules) {
        return new CourseDefinition("knowmad", "Knowmad", "nl", zone, null, null, null, null, List.of(modules), meetup);
    }

    static ModuleDefinition module(String id, String opens) {
        return new ModuleDefinition(id, "Title of " + id, When.parse(opens), id + ".md", null, null);
    }

    static ModuleDefinition module(String id, String opens, String submitBy, String reviewBy) {
        var assignment = new AssignmentDefinition("Assignment of " + id, "Write.",
                When.parse(submitBy), When.parse(reviewBy), 3, List.of(), false);
        return new ModuleDefinition(id, "Title of " + id, When.parse(opens), id + ".md", null, assignment);
    }

    static MeetupDefinition meetup(String starts, String duration) {
        return new MeetupDefinition("Knowmad café", When.parse(starts), Duration.parse(duration),
                "HAN, Nijmegen", null, 70, 8, 2, null, null, null, null);
    }

    static CohortDefinition fixed(String id, String starts) {
        return new CohortDefinition(id, LocalDateTime.parse(starts), Pace.FIXED, null, null, null);
    }

    static CohortDefinition fixed(String id, String starts, String meetupStarts) {
        return new CohortDefinition(id, LocalDateTime.parse(starts), Pace.FIXED, null, null,
                new CohortMeetup(When.parse(meetupStarts), null, null, null));
    }

    static CohortDefinition selfPaced(String id) {
        return new CohortDefinition(id, null, Pace.SELF, null, null, null);
    }

    static CohortDefinition selfPaced(String id, String meetupStarts) {
        return new CohortDefinition(id, null, Pace.SELF, null, null,
                new CohortMeetup(When.parse(meetupStarts), null, null, null));
    }

    /** The instant a local date-time has in Amsterdam (only for unambiguous times). */
    static Instant ams(String local) {
        return LocalDateTime.parse(local).atZone(AMSTERDAM).toInstant();
    }

    static Instant utc(String instant) {
        return Instant.parse(instant);
    }
}
