package org.knowmad.schedule;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.knowmad.course.ModuleDefinition;

/**
 * Resolved times of one course run as one viewer sees them: every module opening, assignment deadline
 * and meetup, as instants, in time order. Get one from {@link CohortSchedule}; all queries take the
 * moment to answer for as an argument, so a facilitator's preview "as a participant at date X" is the
 * same call with {@code now = X}.
 *
 * <p>A participant's timetable knows every event. The {@linkplain CohortSchedule#shared() shared}
 * timetable of a self-paced cohort knows only the events written as fixed date-times; the others
 * are answered as unknown (empty, locked).
 */
public final class Timetable {

    private final ZoneId zone;
    private final List<ModuleDefinition> modules;
    private final List<Event> events;

    /** @param events in course order; sorted here by time, keeping course order among equal times */
    Timetable(ZoneId zone, List<ModuleDefinition> modules, List<Event> events) {
        this.zone = zone;
        this.modules = List.copyOf(modules);
        this.events = events.stream().sorted(Comparator.comparing(Event::at)).toList();
    }

    /** The course time zone, for showing these instants to people (see {@link HumanTime}). */
    public ZoneId zone() {
        return zone;
    }

    /** Every known event, earliest first; among equal instants in course order. */
    public List<Event> events() {
        return events;
    }

    public Optional<Instant> opensAt(String moduleId) {
        return find(Event.Kind.MODULE_OPENS, moduleId);
    }

    public Optional<Instant> submitBy(String moduleId) {
        return find(Event.Kind.SUBMIT_BY, moduleId);
    }

    public Optional<Instant> reviewBy(String moduleId) {
        return find(Event.Kind.REVIEW_BY, moduleId);
    }

    public Optional<Instant> meetupStarts() {
        return find(Event.Kind.MEETUP_STARTS, null);
    }

    /** The meetup's start plus its duration, measured in elapsed time (a three-hour meetup lasts three hours). */
    public Optional<Instant> meetupEnds() {
        return find(Event.Kind.MEETUP_ENDS, null);
    }

    /**
     * Whether the module is open at {@code now}: from its opening instant inclusive. An unknown module
     * (or one whose opening this timetable does not know) is not open: access is never granted by accident.
     */
    public boolean isOpen(String moduleId, Instant now) {
        return opensAt(moduleId).map(at -> !now.isBefore(at)).orElse(false);
    }

    /** The cohort home at {@code now}: every module with a known opening, in course order. */
    public List<ModuleStatus> modules(Instant now) {
        return modules.stream()
                .flatMap(m -> opensAt(m.id()).stream().map(at -> new ModuleStatus(m.id(), m.title(),
                        now.isBefore(at) ? ModuleStatus.State.LOCKED : ModuleStatus.State.OPEN, at)))
                .toList();
    }

    /** The first event strictly after {@code now}: when to wake up next. */
    public Optional<Event> nextEvent(Instant now) {
        return events.stream().filter(e -> e.at().isAfter(now)).findFirst();
    }

    /**
     * Module openings at or before {@code now}, earliest first. The release job subtracts the releases
     * it has recorded as done and performs the rest, so a release missed during downtime still happens.
     */
    public List<Event> releasesDue(Instant now) {
        return events.stream()
                .filter(e -> e.kind() == Event.Kind.MODULE_OPENS && !e.at().isAfter(now))
                .toList();
    }

    private Optional<Instant> find(Event.Kind kind, String moduleId) {
        return events.stream()
                .filter(e -> e.kind() == kind && Objects.equals(e.moduleId(), moduleId))
                .map(Event::at)
                .findFirst();
    }

    @Override
    public String toString() {
        return "Timetable" + events;
    }
}
