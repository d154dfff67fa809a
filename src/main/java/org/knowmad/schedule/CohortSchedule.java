package org.knowmad.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.ModuleDefinition;

/**
 * When things happen for one cohort. A fixed cohort counts every offset from its start; a self-paced
 * cohort from each participant's own join time, so callers ask for a participant's {@link Timeline}
 * and never branch on the pace themselves.
 */
public final class CohortSchedule {

    private final CourseDefinition course;
    private final CohortDefinition cohort;
    private final ZoneId zone;

    private CohortSchedule(CourseDefinition course, CohortDefinition cohort) {
        this.course = course;
        this.cohort = cohort;
        this.zone = course.zone();
    }

    public static CohortSchedule of(CourseDefinition course, CohortDefinition cohort) {
        return new CohortSchedule(course, cohort);
    }

    /** The timeline of a participant who joined at {@code joinedAt} (ignored in a fixed cohort). */
    public Timeline forParticipant(Instant joinedAt) {
        LocalDateTime start = cohort.selfPaced() ? joinedAt.atZone(zone).toLocalDateTime() : cohort.starts();
        return new Timeline(start);
    }

    /** Offsets resolved from one local start. */
    public final class Timeline {
        private final LocalDateTime start;

        private Timeline(LocalDateTime start) {
            this.start = start;
        }

        public LocalDateTime start() {
            return start;
        }

        public Instant opensAt(String moduleId) {
            ModuleDefinition module = course.module(moduleId)
                    .orElseThrow(() -> new IllegalArgumentException("no module " + moduleId));
            return module.opens().resolve(start, zone);
        }

        public Instant resolve(When when) {
            return when.resolve(start, zone);
        }

        public boolean isOpen(String moduleId, Instant now) {
            return !now.isBefore(opensAt(moduleId));
        }
    }
}
