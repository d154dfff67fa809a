package org.knowmad.course;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A course as its facilitators wrote it in {@code courses/<id>/course.yaml}. Bound by Jackson after
 * {@link CourseValidator} has accepted the file, so the values here are already checked.
 */
public record CourseDefinition(
        String id,
        String title,
        String language,
        String timezone,
        String summary,
        List<Person> facilitators,
        List<String> guidelines,
        List<CohortDefinition> cohorts,
        List<ModuleDefinition> modules,
        MeetupDefinition meetup,
        CohortGuidelinesDefinition cohortGuidelines,
        CirclesDefinition circles) {

    public CourseDefinition {
        language = language == null ? "en" : language;
        summary = summary == null ? "" : summary;
        facilitators = facilitators == null ? List.of() : List.copyOf(facilitators);
        guidelines = guidelines == null ? List.of() : List.copyOf(guidelines);
        cohorts = cohorts == null ? List.of() : List.copyOf(cohorts);
        modules = modules == null ? List.of() : List.copyOf(modules);
    }

    /** A course file without the new field still binds, and tests can leave it out. */
    public CourseDefinition(String id, String title, String language, String timezone, String summary, List<Person> facilitators,
                            List<String> guidelines, List<CohortDefinition> cohorts, List<ModuleDefinition> modules, MeetupDefinition meetup) {
        this(id, title, language, timezone, summary, facilitators, guidelines, cohorts, modules, meetup, null, null);
    }

    /** The same with a cohort's own guidelines, without circles. */
    public CourseDefinition(String id, String title, String language, String timezone, String summary, List<Person> facilitators,
                            List<String> guidelines, List<CohortDefinition> cohorts, List<ModuleDefinition> modules, MeetupDefinition meetup,
                            CohortGuidelinesDefinition cohortGuidelines) {
        this(id, title, language, timezone, summary, facilitators, guidelines, cohorts, modules, meetup, cohortGuidelines, null);
    }

    public ZoneId zone() {
        return ZoneId.of(timezone);
    }

    public Optional<CohortDefinition> cohort(String cohortId) {
        return cohorts.stream().filter(c -> c.id().equals(cohortId)).findFirst();
    }

    public Optional<ModuleDefinition> module(String moduleId) {
        return modules.stream().filter(m -> m.id().equals(moduleId)).findFirst();
    }

    /** Whether this email (compared case-insensitively) is one of the course's facilitators. */
    public boolean isFacilitator(String email) {
        return email != null && facilitators.stream().anyMatch(p -> p.email().equalsIgnoreCase(email));
    }
}
