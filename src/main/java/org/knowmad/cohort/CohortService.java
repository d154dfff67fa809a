package org.knowmad.cohort;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.knowmad.account.Tokens;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.Enrolment;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.course.Pace;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Timetable;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Viewer;

/** The rules of cohorts: who sees what, joining and leaving, starting cohorts and invites. */
public final class CohortService {

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final CourseCatalog catalog;
    private final CohortStore store;
    private final IdempotencyStore idempotency;
    private final io.vertx.core.eventbus.EventBus bus;
    private final CohortRules rules;

    /** Published after someone joined: the release job runs at once, so a self-paced participant's first module is ready. */
    public static final String JOINED = "knowmad.cohort.joined";

    public CohortService(Pool pool, Pool reads, Clock clock, CourseCatalog catalog, CohortStore store, IdempotencyStore idempotency,
                         io.vertx.core.eventbus.EventBus bus, CohortRules rules) {
        this.bus = bus;
        this.rules = rules;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.catalog = catalog;
        this.store = store;
        this.idempotency = idempotency;
    }

    public CohortRules rules() {
        return rules;
    }

    public Instant now() {
        return clock.instant();
    }

    public Course course(String courseId) {
        return catalog.course(courseId).orElseThrow(HttpProblem::notFound);
    }

    /** A course's cohorts: those in its YAML, then those started on the web, oldest start first. */
    public record CourseCohorts(Course course, List<CohortDefinition> cohorts) {
    }

    public Future<List<CourseCohorts>> catalogue() {
        return store.webCohorts(pool).map(web -> {
            Map<String, List<CohortDefinition>> byCourse = web.stream().collect(
                    Collectors.groupingBy(CohortStore.WebCohort::courseId, Collectors.mapping(CohortStore.WebCohort::cohort, Collectors.toList())));
            List<CourseCohorts> list = new ArrayList<>();
            for (Course course : catalog.courses()) {
                List<CohortDefinition> cohorts = new ArrayList<>(course.definition().cohorts());
                for (CohortDefinition c : byCourse.getOrDefault(course.id(), List.of())) {
                    if (course.definition().cohort(c.id()).isEmpty()) cohorts.add(c);
                }
                list.add(new CourseCohorts(course, cohorts));
            }
            return list;
        });
    }

    public Future<CohortRef> resolve(String courseId, String cohortId) {
        Optional<Course> course = catalog.course(courseId);
        if (course.isEmpty()) return Future.failedFuture(HttpProblem.notFound());
        Optional<CohortDefinition> fromYaml = course.get().definition().cohort(cohortId);
        if (fromYaml.isPresent()) return Future.succeededFuture(new CohortRef(course.get(), fromYaml.get(), false));
        return store.webCohort(pool, courseId, cohortId).map(web -> web
                .map(c -> new CohortRef(course.get(), c, true))
                .orElseThrow(HttpProblem::notFound));
    }

    public Future<CohortAccess> access(Viewer viewer, String courseId, String cohortId) {
        return resolve(courseId, cohortId).compose(ref -> {
            boolean facilitator = CohortRules.facilitates(viewer, ref.course().definition());
            if (!viewer.signedIn()) return Future.succeededFuture(new CohortAccess(viewer, ref, false, Optional.empty()));
            return store.enrolment(reads, courseId, cohortId, viewer.accountId())
                    .map(e -> new CohortAccess(viewer, ref, facilitator, e));
        });
    }

    /** The schedule this viewer lives by: their own join time in a self-paced cohort (now, if not joined). */
    public static Timetable timeline(CohortAccess access, Instant now) {
        CohortSchedule schedule = CohortSchedule.of(access.ref().course().definition(), access.ref().cohort());
        Instant joined = access.joinedAt() != null ? access.joinedAt() : now;
        return schedule.forParticipant(joined);
    }

    /** Modules with their state at {@code now} for this viewer. */
    public static List<ModuleView> modules(CohortAccess access, Instant now) {
        Timetable timeline = timeline(access, now);
        List<ModuleView> views = new ArrayList<>();
        for (ModuleDefinition m : access.ref().course().definition().modules()) {
            Instant opensAt = timeline.opensAt(m.id()).orElseThrow();
            views.add(new ModuleView(m.id(), m.title(), !now.isBefore(opensAt), opensAt, m.assignment() != null,
                    access.ref().path() + "/modules/" + m.id()));
        }
        views.sort(Comparator.comparing(ModuleView::opensAt));
        return views;
    }

    /** A module the viewer may read at {@code now}, or the refusal that explains why not. */
    public ModuleView readableModule(CohortAccess access, String moduleId, Instant now) {
        ModuleView view = moduleView(access, moduleId, now);
        rules.seeModule(access, view).require();
        return view;
    }

    /** A module of the course with its state for this viewer at {@code now}, whether or not they may read it (404 if unknown). */
    public ModuleView moduleView(CohortAccess access, String moduleId, Instant now) {
        ModuleDefinition module = access.ref().course().definition().module(moduleId).orElseThrow(HttpProblem::notFound);
        Instant opensAt = timeline(access, now).opensAt(module.id()).orElseThrow();
        boolean open = !now.isBefore(opensAt);
        return new ModuleView(module.id(), module.title(), open, opensAt, module.assignment() != null,
                access.ref().path() + "/modules/" + module.id());
    }

    /** Joins the cohort; answers where to go next. Joining twice is harmless. */
    public Future<String> join(Viewer viewer, String courseId, String cohortId, boolean acceptGuidelines, String invite, Idempotent<String> once) {
        long accountId = viewer.accountId();
        Instant now = clock.instant();
        return resolve(courseId, cohortId).compose(ref -> {
            CohortDefinition cohort = ref.cohort();
            if (cohort.enrolment() == Enrolment.CLOSED) return Future.failedFuture(new HttpProblem(403, "cohort.closed"));
            if (!acceptGuidelines) return Future.failedFuture(HttpProblem.badRequest("cohort.acceptGuidelines"));
            Future<Boolean> allowed = cohort.enrolment() == Enrolment.INVITE
                    ? store.inviteValid(pool, invite, courseId, cohortId)
                    : Future.succeededFuture(true);
            return allowed.compose(ok -> {
                if (!ok) return Future.failedFuture(new HttpProblem(403, "cohort.inviteRequired"));
                String location = ref.path();
                return idempotency.transaction(pool, once, now, tx -> store.lockCohort(tx, courseId, cohortId)
                        .compose(v -> store.enrolment(tx, courseId, cohortId, accountId))
                        .compose(existing -> {
                            if (existing.isPresent()) return Future.succeededFuture(location);
                            return store.countEnrolled(tx, courseId, cohortId).compose(count -> {
                                if (cohort.capacity() != null && count >= cohort.capacity()) {
                                    return Future.failedFuture(new HttpProblem(409, "cohort.full"));
                                }
                                return store.join(tx, courseId, cohortId, accountId, now).map(location);
                            });
                        }))
                        .onSuccess(v -> bus.publish(JOINED, courseId + "/" + cohortId));
            });
        });
    }

    /** Leaves the cohort (history stays); answers whether the person was enrolled. */
    public Future<Boolean> leave(Viewer viewer, String courseId, String cohortId) {
        long accountId = viewer.accountId();
        return resolve(courseId, cohortId).compose(ref -> store.leave(pool, courseId, cohortId, accountId, clock.instant()));
    }

    /** A facilitator starts a new fixed-pace cohort from the web; answers its path. */
    public Future<String> startCohort(Viewer viewer, String courseId, String rawId, String rawStarts, String rawEnrolment,
                                      String rawCapacity, Idempotent<String> once) {
        long accountId = viewer.accountId();
        Course course = course(courseId);
        if (!CohortRules.facilitates(viewer, course.definition())) return Future.failedFuture(HttpProblem.forbidden());
        LocalDateTime starts;
        try {
            starts = LocalDateTime.parse(rawStarts == null ? "" : rawStarts.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return Future.failedFuture(HttpProblem.badRequest("cohort.new.badStart"));
        }
        String id = rawId == null || rawId.isBlank() ? starts.toLocalDate().toString() : rawId.trim().toLowerCase();
        if (!ID.matcher(id).matches()) return Future.failedFuture(HttpProblem.badRequest("cohort.new.badId"));
        Enrolment enrolment;
        try {
            enrolment = rawEnrolment == null || rawEnrolment.isBlank() ? Enrolment.OPEN : Enrolment.valueOf(rawEnrolment.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(HttpProblem.badRequest("cohort.new.badEnrolment"));
        }
        Integer capacity = null;
        if (rawCapacity != null && !rawCapacity.isBlank()) {
            try {
                capacity = Integer.parseInt(rawCapacity.trim());
                if (capacity < 1 || capacity > 1_000_000) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                return Future.failedFuture(HttpProblem.badRequest("cohort.new.badCapacity"));
            }
        }
        if (course.definition().cohort(id).isPresent()) return Future.failedFuture(new HttpProblem(409, "cohort.new.taken", id));
        CohortDefinition cohort = new CohortDefinition(id, starts, Pace.FIXED, enrolment, capacity, null);
        String location = "/courses/" + courseId + "/" + id;
        Instant now = clock.instant();
        return idempotency.transaction(pool, once, now, tx -> store.insertWebCohort(tx, courseId, cohort, accountId, now).compose(inserted -> {
            if (!inserted) return Future.failedFuture(new HttpProblem(409, "cohort.new.taken", id));
            return Future.succeededFuture(location);
        }));
    }

    /** How many are in the cohort, when the viewer needs to know: facilitators, or anyone if places are limited. */
    public Future<Long> enrolledCount(CohortAccess access) {
        if (!rules.seeEnrolledCount(access)) return Future.succeededFuture(null);
        return store.countEnrolled(reads, access.ref().courseId(), access.ref().cohortId());
    }

    public Future<List<String>> invites(CohortAccess access) {
        if (!rules.manage(access).allowed()) return Future.succeededFuture(List.of());
        return store.invites(pool, access.ref().courseId(), access.ref().cohortId());
    }

    public Future<String> createInvite(CohortAccess access, Idempotent<String> once) {
        String code = Tokens.shortCode();
        Instant now = clock.instant();
        // Under the page's key a double click makes one invite, not two live codes.
        return rules.manage(access).future().compose(v -> idempotency.transaction(pool, once, now, tx -> store.insertInvite(tx, code,
                access.ref().courseId(), access.ref().cohortId(), access.viewer().accountId(), now).map(code)));
    }

    public Future<Void> revokeInvite(CohortAccess access, String code) {
        return rules.manage(access).future().compose(v -> store.revokeInvite(pool, code, access.ref().courseId(), access.ref().cohortId(), clock.instant())
                .compose(done -> done ? Future.<Void>succeededFuture() : Future.failedFuture(HttpProblem.notFound())));
    }

    public Future<List<Enrolled>> myEnrolments(Viewer viewer) {
        return store.enrolmentsOf(pool, viewer.accountId());
    }

    /**
     * The viewer's standing in every cohort they are enrolled in, in two queries whatever their number (their
     * enrolments, and the web-started cohorts when one of them is): for views across cohorts, like a personal calendar.
     * Cohorts whose course is gone are left out. Silencing is not looked up: these views only read.
     */
    public Future<List<CohortAccess>> myAccesses(Viewer viewer) {
        return store.enrolmentsOf(reads, viewer.accountId()).compose(enrolled -> {
            boolean anyWeb = enrolled.stream().anyMatch(e -> catalog.course(e.courseId())
                    .map(c -> c.definition().cohort(e.cohortId()).isEmpty()).orElse(false));
            Future<List<CohortStore.WebCohort>> web = anyWeb ? store.webCohorts(reads) : Future.succeededFuture(List.of());
            return web.map(webCohorts -> {
                List<CohortAccess> list = new ArrayList<>();
                for (Enrolled e : enrolled) {
                    Optional<Course> course = catalog.course(e.courseId());
                    if (course.isEmpty()) continue;
                    Optional<CohortRef> ref = course.get().definition().cohort(e.cohortId())
                            .map(c -> new CohortRef(course.get(), c, false))
                            .or(() -> webCohorts.stream()
                                    .filter(w -> w.courseId().equals(e.courseId()) && w.cohort().id().equals(e.cohortId()))
                                    .findFirst().map(w -> new CohortRef(course.get(), w.cohort(), true)));
                    ref.ifPresent(r -> list.add(new CohortAccess(viewer, r, CohortRules.facilitates(viewer, course.get().definition()),
                            Optional.of(e))));
                }
                return list;
            });
        });
    }

    static ZoneId zone(CohortRef ref) {
        return ref.course().definition().zone();
    }
}
