package org.knowmad.course;

import java.time.Duration;
import java.util.List;
import org.knowmad.schedule.When;

/** The closing live meetup of every cohort (each cohort may override date, venue, capacity). */
public record MeetupDefinition(
        String title,
        When starts,
        Duration duration,
        String venue,
        String onlineUrl,
        Integer capacity,
        Integer questions,
        Integer rounds,
        List<Person> organisers) {

    public MeetupDefinition {
        organisers = organisers == null ? List.of() : List.copyOf(organisers);
    }
}
