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
import org.knowmad.course.CohortMeetup;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.Enrolment;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.course.Pace;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Timetable;
import org.knowmad.schedule.When;
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
        return store.webCohorts(reads).map(web -> {
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
        return store.webCohort(reads, courseId, cohortId).map(web -> web
                .map(c -> new CohortRef(course.get(), c, true))
                .orElseThrow(HttpProblem::notFound));
    }

    /**
     * The viewer's standing in a cohort. A cohort started on the web is read beside the viewer's enrolment, not
     * before it: one round trip for every page of such a cohort, as for a cohort of the course file (in a course of
     * 22 cohorts the home of a web cohort was 2.2x slower than a YAML one's: README, "As work grows").
     */
    public Future<CohortAccess> access(Viewer viewer, String courseId, String cohortId) {
        Future<Optional<Enrolled>> enrolment = viewer.signedIn()
                ? store.enrolment(reads, courseId, cohortId, viewer.accountId())
                : Future.succeededFuture(Optional.empty());
        Future<CohortRef> ref = resolve(courseId, cohortId);
        return Future.all(ref, enrolment).map(both -> {
            boolean facilitator = viewer.signedIn() && CohortRules.facilitates(viewer, ref.result().course().definition());
            return new CohortAccess(viewer, ref.result(), facilitator, enrolment.result());
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
            if (!acceptGuidelines) return Future.failedFuture(HttpProblem.invalid("acceptGuidelines", "cohort.acceptGuidelines"));
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

    /**
     * A new cohort as typed into the form or the API, every value still raw text (null when left out). The meetup
     * fields override the course's meetup for this cohort, as a cohort's {@code meetup:} does in YAML.
     */
    public record NewCohort(String id, String starts, String pace, String enrolment, String capacity,
                            String meetupStarts, String meetupVenue, String meetupCapacity) {
    }

    /**
     * A facilitator starts a cohort from the web, fixed or self-paced, with its own meetup date, venue or capacity if
     * given; answers its path. Each refusal names the field it is about, so a form shows it beside that field.
     */
    public Future<String> startCohort(Viewer viewer, String courseId, NewCohort raw, Idempotent<String> once) {
        long accountId = viewer.accountId();
        Course course = course(courseId);
        if (!CohortRules.facilitates(viewer, course.definition())) return Future.failedFuture(HttpProblem.forbidden());
        CohortDefinition cohort;
        try {
            cohort = newCohort(course, raw);
        } catch (HttpProblem p) {
            return Future.failedFuture(p);
        }
        String id = cohort.id();
        if (course.definition().cohort(id).isPresent()) return Future.failedFuture(new HttpProblem(409, "cohort.new.taken", id).at("id"));
        String location = "/courses/" + courseId + "/" + id;
        Instant now = clock.instant();
        return idempotency.transaction(pool, once, now, tx -> store.insertWebCohort(tx, courseId, cohort, accountId, now).compose(inserted -> {
            if (!inserted) return Future.failedFuture(new HttpProblem(409, "cohort.new.taken", id).at("id"));
            return Future.succeededFuture(location);
        }));
    }

    /** The cohort the raw input describes, or the refusal (about one field) that says what to fix. */
    static CohortDefinition newCohort(Course course, NewCohort raw) {
        Pace pace = switch (blank(raw.pace()) ? "fixed" : raw.pace().trim().toLowerCase()) {
            case "fixed" -> Pace.FIXED;
            case "self" -> Pace.SELF;
            default -> throw HttpProblem.invalid("pace", "cohort.new.badPace");
        };
        LocalDateTime starts = null;
        if (!blank(raw.starts())) starts = localDateTime(raw.starts(), "starts", "cohort.new.badStart");
        else if (pace == Pace.FIXED) throw HttpProblem.invalid("starts", "cohort.new.startRequired");
        String id = blank(raw.id()) ? (starts == null ? null : starts.toLocalDate().toString()) : raw.id().trim().toLowerCase();
        if (id == null) throw HttpProblem.invalid("id", "cohort.new.idRequired");
        if (!ID.matcher(id).matches()) throw HttpProblem.invalid("id", "cohort.new.badId");
        Enrolment enrolment;
        try {
            enrolment = blank(raw.enrolment()) ? Enrolment.OPEN : Enrolment.valueOf(raw.enrolment().trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw HttpProblem.invalid("enrolment", "cohort.new.badEnrolment");
        }
        Integer capacity = count(raw.capacity(), "capacity");
        LocalDateTime meetupStarts = blank(raw.meetupStarts()) ? null : localDateTime(raw.meetupStarts(), "meetupStarts", "cohort.new.badMeetupStart");
        String venue = blank(raw.meetupVenue()) ? null : raw.meetupVenue().trim();
        if (venue != null && venue.length() > 200) throw HttpProblem.invalid("meetupVenue", "cohort.new.badVenue", 200);
        Integer meetupCapacity = count(raw.meetupCapacity(), "meetupCapacity");
        CohortMeetup meetup = null;
        if (meetupStarts != null || venue != null || meetupCapacity != null) {
            String field = meetupStarts != null ? "meetupStarts" : venue != null ? "meetupVenue" : "meetupCapacity";
            if (course.definition().meetup() == null) throw HttpProblem.invalid(field, "cohort.new.noMeetup");
            // Its participants each have their own dates: there is no shared meetup to change (see MeetupService).
            if (pace == Pace.SELF) throw HttpProblem.invalid(field, "cohort.new.selfPacedNoMeetup");
            if (meetupStarts != null && starts != null && meetupStarts.isBefore(starts)) {
                throw HttpProblem.invalid("meetupStarts", "cohort.new.meetupBeforeStart");
            }
            meetup = new CohortMeetup(meetupStarts == null ? null : new When.At(meetupStarts), venue, null, meetupCapacity);
        }
        return new CohortDefinition(id, starts, pace, enrolment, capacity, meetup);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static LocalDateTime localDateTime(String raw, String field, String key) {
        try {
            return LocalDateTime.parse(raw.trim());
        } catch (java.time.format.DateTimeParseException e) {
            throw HttpProblem.invalid(field, key);
        }
    }

    /** An optional whole number from 1 to a million (a capacity). */
    private static Integer count(String raw, String field) {
        if (blank(raw)) return null;
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 1 || n > 1_000_000) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw HttpProblem.invalid(field, "cohort.new.badCapacity");
        }
    }

    /** At most this many organisers named on the web per cohort. */
    static final int MAX_ORGANISERS = 20;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    /** The organisers named on the web for each cohort of a course: for its facilitators' course page. */
    public Future<Map<String, List<String>>> organisersOf(Viewer viewer, Course course) {
        if (!CohortRules.facilitates(viewer, course.definition())) return Future.succeededFuture(Map.of());
        return store.organisersOf(reads, course.id());
    }

    /**
     * The organisers named on the web for a cohort's meetup. They count as organisers wherever those of the course
     * file do: {@code MeetupService} hands {@code MeetupRules} the union.
     */
    public Future<List<String>> namedOrganisers(String courseId, String cohortId) {
        return store.organisers(reads, courseId, cohortId);
    }

    /**
     * A facilitator names the meetup's organisers of a cohort (replacing those named before): e-mail addresses
     * separated by commas, spaces or new lines; none clears the list. Answers the course page's place for it.
     */
    public Future<String> nameOrganisers(CohortAccess access, String raw) {
        return rules.manage(access).future().compose(v -> {
            if (access.ref().course().definition().meetup() == null) return Future.failedFuture(HttpProblem.notFound());
            List<String> emails;
            try {
                emails = organiserEmails(raw);
            } catch (HttpProblem p) {
                return Future.failedFuture(p);
            }
            return store.nameOrganisers(pool, access.ref().courseId(), access.ref().cohortId(), emails, access.viewer().accountId(),
                    clock.instant()).map(done -> "/courses/" + access.ref().courseId() + "#organisers-" + access.ref().cohortId());
        });
    }

    /** The distinct lower-case addresses of the typed list, or the refusal naming the first that is not one. */
    static List<String> organiserEmails(String raw) {
        java.util.LinkedHashSet<String> emails = new java.util.LinkedHashSet<>();
        for (String part : (raw == null ? "" : raw).split("[\\s,;]+")) {
            if (part.isEmpty()) continue;
            String email = part.toLowerCase(java.util.Locale.ROOT);
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) throw HttpProblem.invalid("emails", "cohort.organisers.badEmail", part);
            emails.add(email);
        }
        if (emails.size() > MAX_ORGANISERS) throw HttpProblem.invalid("emails", "cohort.organisers.tooMany", MAX_ORGANISERS);
        return List.copyOf(emails);
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
