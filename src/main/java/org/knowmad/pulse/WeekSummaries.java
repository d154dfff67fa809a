package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.Enrolled;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.web.Viewer;

/**
 * This week's recorded activity as participants see it: their own numbers in each of their cohorts ({@code /me}),
 * and a cohort's aggregate for its members (the cohort home) — never anyone else's numbers, never a ranking.
 * A week runs from Monday in the course's time zone. The aggregate is kept per cohort on each node for a minute,
 * so the cohort home asks the database for it about once a minute, not on every view.
 */
public final class WeekSummaries {

    /** How long a cohort's aggregate is shown before it is read again. */
    static final Duration AGGREGATE_FOR = Duration.ofMinutes(1);

    private final Pool reads;
    private final Clock clock;
    private final CourseCatalog catalog;
    private final ActivityStore store;
    private final PulseRules rules;
    private final Map<CohortKey, Cached> aggregates = new ConcurrentHashMap<>();

    private record CohortKey(String courseId, String cohortId) {
    }

    private record Cached(LocalDate week, Instant until, Future<ActivityStore.CohortWeek> value) {
    }

    public WeekSummaries(Pool reads, Clock clock, CourseCatalog catalog, ActivityStore store, PulseRules rules) {
        this.reads = reads;
        this.clock = clock;
        this.catalog = catalog;
        this.store = store;
        this.rules = rules;
    }

    /** The Monday the week of {@code at} began on, in {@code zone}: "this week" on /me, the roster and in nudges. */
    public static LocalDate weekStart(Instant at, ZoneId zone) {
        return LocalDate.ofInstant(at, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    /** One's own week in one cohort; zeros when nothing was recorded yet. */
    public record OwnWeek(String courseId, String cohortId, LocalDate since, int days, long reads, long posts, long reactions, long reviews) {
    }

    /** The viewer's own week in each of {@code enrolments} (theirs), in the same order. */
    public Future<List<OwnWeek>> own(Viewer viewer, List<Enrolled> enrolments) {
        return rules.seeOwnActivity(viewer).future().compose(v -> {
            Instant now = clock.instant();
            List<ActivityStore.Since> cohorts = new ArrayList<>();
            for (Enrolled e : enrolments) {
                if (e.accountId() != viewer.accountId()) throw new IllegalArgumentException("someone else's enrolment");
                Optional<Course> course = catalog.course(e.courseId());
                if (course.isEmpty()) continue;
                cohorts.add(new ActivityStore.Since(e.courseId(), e.cohortId(), weekStart(now, course.get().definition().zone())));
            }
            return store.ownWeeks(reads, viewer.accountId(), cohorts).map(found -> {
                List<OwnWeek> weeks = new ArrayList<>();
                for (ActivityStore.Since s : cohorts) {
                    ActivityStore.Week w = found.stream().filter(f -> f.courseId().equals(s.courseId()) && f.cohortId().equals(s.cohortId()))
                            .findFirst().orElse(new ActivityStore.Week(s.courseId(), s.cohortId(), 0, 0, 0, 0, 0));
                    weeks.add(new OwnWeek(s.courseId(), s.cohortId(), s.day(), w.days(), w.reads(), w.posts(), w.reactions(), w.reviews()));
                }
                return weeks;
            });
        });
    }

    /**
     * How many people read and posted in the cohort this week, for those who may see it (else null). Kept a minute
     * per cohort; a failed read is not kept, and the page shows no aggregate rather than failing.
     */
    public Future<ActivityStore.CohortWeek> cohort(CohortAccess access) {
        if (!rules.seeAggregate(access)) return Future.succeededFuture(null);
        Instant now = clock.instant();
        LocalDate week = weekStart(now, access.ref().course().definition().zone());
        CohortKey key = new CohortKey(access.ref().courseId(), access.ref().cohortId());
        Cached cached = aggregates.compute(key, (k, c) -> c != null && c.week().equals(week) && now.isBefore(c.until())
                && !c.value().failed() ? c
                : new Cached(week, now.plus(AGGREGATE_FOR), store.cohortWeek(reads, k.courseId(), k.cohortId(), week)));
        // The kept future belongs to the event loop that loaded it; its value is handed out afresh (see GuidelineService).
        if (cached.value().succeeded()) return Future.succeededFuture(cached.value().result());
        return cached.value().otherwise((ActivityStore.CohortWeek) null);
    }
}
