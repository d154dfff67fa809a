package org.knowmad.course;

import java.time.Duration;
import java.util.List;
import org.knowmad.schedule.When;

/**
 * The closing live meetup of every cohort (each cohort may override date, venue, capacity). {@code followUp}: how long
 * after the meetup ends a follow-up thread opens in the cohort (none when null), with {@code followUpTitle} and
 * {@code followUpPrompt} as its title and first post (defaults in the course's language when null).
 */
public record MeetupDefinition(
        String title,
        When starts,
        Duration duration,
        String venue,
        String onlineUrl,
        Integer capacity,
        Integer questions,
        Integer rounds,
        List<Person> organisers,
        Duration followUp,
        String followUpTitle,
        String followUpPrompt) {

    public MeetupDefinition {
        organisers = organisers == null ? List.of() : List.copyOf(organisers);
    }

    /** The same meetup with other organisers (those named on the web added to the file's). */
    public MeetupDefinition withOrganisers(List<Person> all) {
        return new MeetupDefinition(title, starts, duration, venue, onlineUrl, capacity, questions, rounds, all, followUp, followUpTitle,
                followUpPrompt);
    }
}
