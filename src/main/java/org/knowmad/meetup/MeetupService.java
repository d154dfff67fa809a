package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import org.knowmad.account.AccountStore;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.cohort.Decision;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.Person;
import org.knowmad.discussion.DiscussionService;
import org.knowmad.discussion.NominationService;
import org.knowmad.discussion.NotificationService;
import org.knowmad.discussion.NominationStore;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.schedule.Timetable;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Messages;
import org.knowmad.web.Viewer;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules of a cohort's closing meetup: registration with a first-come-first-served waitlist (one lock per
 * meetup, so it is never overbooked, whichever node a request reaches), check-in, the agenda built from the
 * nominated discussion questions, rounds at tables, live Q&A, table notes and the harvest.
 */
public final class MeetupService {

    static final int MAX_TEXT = 2_000;
    /** Questions plus notes one attendee may add per minute: enough for any table, not for a script. */
    static final int WRITES_PER_MINUTE = 10;
    static final int MAX_TITLE = 200;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    /** Codes people read aloud at the door: no 0/O, 1/I/L. */
    private static final String CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final CohortService cohorts;
    private final MeetupStore store;
    private final AccountStore accounts;
    private final NominationService nominations;
    private final Outbox outbox;
    private final Messages messages;
    private final String baseUrl;

    public MeetupService(Pool pool, Pool reads, Clock clock, CohortService cohorts, MeetupStore store, AccountStore accounts,
                         NominationService nominations, Outbox outbox, Messages messages, String baseUrl, MeetupRules rules,
                         IdempotencyStore idempotency, ActivityRecorder activity, DiscussionService discussions,
                         NotificationService notifications) {
        this.activity = activity;
        this.discussions = discussions;
        this.notifications = notifications;
        this.idempotency = idempotency;
        this.rules = rules;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.cohorts = cohorts;
        this.store = store;
        this.accounts = accounts;
        this.nominations = nominations;
        this.outbox = outbox;
        this.messages = messages;
        this.baseUrl = baseUrl;
        this.batches = new RegistrationBatches(pool, store);
    }

    private final RegistrationBatches batches;
    private final MeetupRules rules;
    private final IdempotencyStore idempotency;
    private final ActivityRecorder activity;
    private final DiscussionService discussions;
    private final NotificationService notifications;

    public MeetupRules rules() {
        return rules;
    }

    public Instant now() {
        return clock.instant();
    }

    /** A cohort's meetup as one viewer may use it. */
    public record MeetupAccess(CohortAccess access, MeetupDefinition definition, Instant starts, Instant ends, Integer capacity,
                               String venue, String onlineUrl, boolean organiser, Optional<MeetupStore.Registration> mine) {

        public String courseId() {
            return access.ref().courseId();
        }

        public String cohortId() {
            return access.ref().cohortId();
        }

        public String path() {
            return access.ref().path() + "/meetup";
        }

        public String title() {
            return definition.title() != null ? definition.title() : "Meetup";
        }

        public int questions() {
            return definition.questions() == null ? 8 : definition.questions();
        }

        public int rounds() {
            return definition.rounds() == null ? 1 : definition.rounds();
        }

        public boolean confirmed() {
            return mine.map(MeetupStore.Registration::confirmed).orElse(false);
        }

        public CourseDefinition course() {
            return access.ref().course().definition();
        }
    }


    /** The cohort's meetup as the viewer may use it; a 404 when the cohort has none (the API and every action). */
    public Future<MeetupAccess> meetup(Viewer viewer, String courseId, String cohortId) {
        return cohorts.access(viewer, courseId, cohortId).compose(access -> withMeetup(access, viewer, courseId, cohortId))
                .map(found -> found.meetup().orElseThrow(HttpProblem::notFound));
    }

    /** A cohort and its shared meetup, if it has one (a self-paced cohort, or a course without a meetup, has none). */
    public record Found(CohortAccess access, Optional<MeetupAccess> meetup) {
    }

    /**
     * The meetup page's subject: the meetup as the viewer may use it, or, for a cohort without a shared meetup, the
     * cohort (its members and facilitators are told there is none, rather than given a 404 for a link we show).
     */
    public Future<Found> find(Viewer viewer, String courseId, String cohortId) {
        return cohorts.access(viewer, courseId, cohortId).compose(access -> {
            if (describe(access, Optional.empty()).isEmpty()) {
                rules.see(access, access.facilitator(), false).require();
                return Future.succeededFuture(new Found(access, Optional.empty()));
            }
            return withMeetup(access, viewer, courseId, cohortId);
        });
    }

    /** The meetup with the viewer's registration, once the viewer may see it; none (and no question asked) without one. */
    private Future<Found> withMeetup(CohortAccess access, Viewer viewer, String courseId, String cohortId) {
        if (describe(access, Optional.empty()).isEmpty()) return Future.succeededFuture(new Found(access, Optional.empty()));
        Future<Optional<MeetupStore.Registration>> mine = viewer.signedIn()
                ? store.registration(reads, courseId, cohortId, viewer.accountId())
                : Future.succeededFuture(Optional.empty());
        // Organisers named on the web count as those of the course file do (only a signed-in viewer can be one).
        Future<List<String>> named = viewer.signedIn() ? cohorts.namedOrganisers(courseId, cohortId) : Future.succeededFuture(List.of());
        return Future.all(mine, named).map(both -> {
            Optional<MeetupStore.Registration> reg = both.resultAt(0);
            MeetupAccess m = withOrganisers(describe(access, reg).orElseThrow(), both.resultAt(1));
            boolean registered = reg.isPresent() && !"cancelled".equals(reg.get().status());
            rules.see(access, m.organiser(), registered).require();
            return new Found(access, Optional.of(m));
        });
    }

    /**
     * The meetup with the organisers named on the web added to those of the course file: {@link MeetupRules#organiser}
     * decides on the union, so a named organiser stands where a listed one does.
     */
    private MeetupAccess withOrganisers(MeetupAccess m, List<String> named) {
        if (named.isEmpty()) return m;
        MeetupDefinition d = m.definition();
        List<Person> all = new java.util.ArrayList<>(d.organisers());
        for (String email : named) all.add(new Person(email, null));
        MeetupDefinition union = d.withOrganisers(all);
        return new MeetupAccess(m.access(), union, m.starts(), m.ends(), m.capacity(), m.venue(), m.onlineUrl(),
                rules.organiser(union, m.access()), m.mine());
    }

    /** The meetup of a cohort as the server itself sees it (for reminders), if the cohort has one. */
    public Future<Optional<MeetupAccess>> forJob(String courseId, String cohortId) {
        return cohorts.resolve(courseId, cohortId).map(ref -> describe(new CohortAccess(new Viewer(null, null, false), ref, true, Optional.empty()),
                Optional.empty())).otherwise(Optional.empty());
    }

    private Optional<MeetupAccess> describe(CohortAccess access, Optional<MeetupStore.Registration> reg) {
        MeetupDefinition def = access.ref().course().definition().meetup();
        // A self-paced cohort has no shared date to meet on.
        if (def == null || access.ref().cohort().selfPaced()) return Optional.empty();
        Timetable timeline = CohortService.timeline(access, clock.instant());
        Instant starts = timeline.meetupStarts().orElse(null);
        if (starts == null) return Optional.empty();
        Instant ends = timeline.meetupEnds().orElse(starts);
        var override = access.ref().cohort().meetup();
        Integer capacity = override != null && override.capacity() != null ? override.capacity() : def.capacity();
        String venue = override != null && override.venue() != null ? override.venue() : def.venue();
        String online = override != null && override.onlineUrl() != null ? override.onlineUrl() : def.onlineUrl();
        return Optional.of(new MeetupAccess(access, def, starts, ends, capacity, venue, online, rules.organiser(def, access), reg));
    }

    /** Reminder mail for one registrant ({@code key}: meetup.mail.reminder24h or meetup.mail.reminder1h). */
    Mail reminderMail(MeetupAccess m, MeetupStore.Registration r, String key) {
        String lang = lang(m, r.language());
        String when = org.knowmad.web.Templates.formatTime(m.starts(), m.course().zone(), lang);
        return new Mail(r.email(), messages.get(lang, key + ".subject", m.title()),
                messages.get(lang, key + ".body", m.title(), when, m.venue() == null ? "" : m.venue(), m.onlineUrl() == null ? "" : m.onlineUrl(),
                        baseUrl + m.path() + "/ticket"), key + ":" + r.id() + ":" + r.seq());
    }

    // ---- registration ----

    /** Where a registration stands. */
    public record Standing(String status, int position, String code) {
    }

    public Future<Standing> standing(MeetupAccess m) {
        if (m.mine().isEmpty() || "cancelled".equals(m.mine().get().status())) return Future.succeededFuture(new Standing("none", 0, null));
        return standing(reads, m.courseId(), m.cohortId(), m.mine().get());
    }

    private Future<Standing> standing(SqlClient db, String course, String cohort, MeetupStore.Registration r) {
        if (!r.waitlisted()) return Future.succeededFuture(new Standing(r.status(), 0, r.code()));
        return store.position(db, course, cohort, r.seq()).map(p -> new Standing("waitlisted", p, r.code()));
    }

    /**
     * The meetup's live state (ended or not), read beside the viewer's access instead of after it (one round trip
     * fewer on a registration): nothing of it is used before {@link #meetup} has let the viewer in.
     */
    public Future<MeetupStore.Session> sessionAhead(String courseId, String cohortId) {
        return store.session(reads, courseId, cohortId);
    }

    /**
     * Registers the viewer, with the meetup's state read ahead ({@link #sessionAhead}): confirmed while seats are
     * left, else at the end of the waitlist. Registering again is harmless (the same standing comes back). One lock
     * per meetup serialises the decisions over all nodes; the work under the lock is one statement, shared by the
     * registrations that arrive together on this node ({@link RegistrationBatches}), and the mails are written
     * before the lock is taken.
     */
    public Future<Standing> register(MeetupAccess m, Future<MeetupStore.Session> sessionAhead, Idempotent.Key key, Idempotent.Answer answer) {
        return sessionAhead.compose(session -> register(m, session, key, answer)).recover(MeetupService::endedInRace);
    }

    private Future<Standing> register(MeetupAccess m, MeetupStore.Session session, Idempotent.Key key, Idempotent.Answer answer) {
        Viewer viewer = m.access().viewer();
        Instant now = clock.instant();
        Decision may = rules.register(m, now, session.endedAt());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        String course = m.courseId(), cohort = m.cohortId();
        long me = viewer.accountId();
        String code = newCode();
        String lang = lang(m, viewer.account().language());
        Mail waitlisted = new Mail(viewer.email(), messages.get(lang, "meetup.mail.waitlisted.subject", m.title()),
                messages.get(lang, "meetup.mail.waitlisted.body", m.title(), "#POSITION#", baseUrl + m.path()), "meetup-waitlisted:");
        MeetupStore.Registration seat = new MeetupStore.Registration(0, me, "confirmed", 0, code, now, null, false, viewer.email(),
                viewer.account().name(), viewer.account().language());
        Mail confirmed = confirmationMail(m, seat, "meetup.mail.confirmed");
        String event = new JsonObject().put("type", "registrations-changed").put("scope", "meetup").put("course", course).put("cohort", cohort)
                .put("coalesce", true).encode();
        // Under an idempotency key the key is claimed in the registration's own statement, with its answer.
        MeetupStore.KeyClaim claim = key == null || !key.present() ? null
                : new MeetupStore.KeyClaim(key.value(), key.action(), answer.status(), answer.location(), now.minus(IdempotencyStore.KEEP));
        var registration = new MeetupStore.NewRegistration(course, cohort, me, m.capacity(), code, now, waitlisted,
                new Mail(confirmed.to(), confirmed.subject(), confirmed.text(), "meetup.mail.confirmed:", confirmed.attachment()), event, claim);
        // One statement, its own transaction, shared with the registrations for this meetup that arrive with it:
        // the meetup's lock is held only inside the database.
        return batches.register(registration).compose(outcome -> {
            if (outcome.repeat()) return idempotency.repeated(reads, key);
            Optional<MeetupStore.Registered> made = outcome.made();
            // Counted when a registration is made, not when someone registered already asks again.
            if (made.isPresent()) activity.record(m.access(), "", ActivityRecorder.Kind.REGISTRATIONS);
            return registered(m, me, now, made);
        });
    }

    private Future<Standing> registered(MeetupAccess m, long me, Instant now, Optional<MeetupStore.Registered> made) {
        String course = m.courseId(), cohort = m.cohortId();
        if (made.isEmpty()) return standing(pool, course, cohort, me);
        MeetupStore.Registered r = made.get();
        boolean seatsFree = m.capacity() == null || r.confirmedBefore() < m.capacity();
        if ("confirmed".equals(r.status()) || !seatsFree) return Future.succeededFuture(new Standing(r.status(), r.position(), r.code()));
        // Seats are free yet people wait (the capacity was raised): fill them from the head of the line.
        return pool.withTransaction(tx -> store.lock(tx, course, cohort).compose(v -> promote(tx, m, now)))
                .compose(v -> standing(pool, course, cohort, me));
    }

    /** The viewer's standing as it is now (the API's answer to a repeated registration: it reads it again). */
    public Future<Standing> standingNow(MeetupAccess m) {
        String course = m.courseId(), cohort = m.cohortId();
        return store.registration(pool, course, cohort, m.access().viewer().accountId()).compose(existing ->
                existing.isEmpty() || "cancelled".equals(existing.get().status()) ? Future.succeededFuture(new Standing("none", 0, null))
                        : standing(pool, course, cohort, existing.get()));
    }

    private Future<Standing> standing(SqlClient db, String course, String cohort, long accountId) {
        return store.registration(db, course, cohort, accountId).compose(existing -> standing(db, course, cohort, existing.orElseThrow()));
    }

    /** Cancels; a freed seat goes to the first on the waitlist at once (they are emailed), until the meetup starts. */
    public Future<Boolean> cancel(MeetupAccess m, Idempotent<Boolean> once) {
        Viewer viewer = m.access().viewer();
        viewer.require();
        Instant now = clock.instant();
        String course = m.courseId(), cohort = m.cohortId();
        return idempotency.transaction(pool, once, now, tx -> store.lock(tx, course, cohort)
                .compose(v -> store.registration(tx, course, cohort, viewer.accountId()))
                .compose(existing -> {
                    if (existing.isEmpty() || "cancelled".equals(existing.get().status())) return Future.succeededFuture(false);
                    // Who was checked in attended; the schema refuses this too (V016), this says it kindly.
                    if (existing.get().checkedInAt() != null) return Future.failedFuture(new HttpProblem(409, "meetup.cancel.checkedIn"));
                    boolean freedSeat = existing.get().confirmed();
                    return store.setStatus(tx, existing.get().id(), "cancelled", now)
                            .compose(v -> freedSeat && now.isBefore(m.starts()) ? promote(tx, m, now) : Future.succeededFuture())
                            .compose(v -> store.notify(tx, course, cohort, "registrations-changed", new JsonObject()))
                            .map(true);
                }));
    }

    /** Fills free seats from the waitlist, first come first served; call under the meetup lock. */
    private Future<Void> promote(SqlClient tx, MeetupAccess m, Instant now) {
        return store.counts(tx, m.courseId(), m.cohortId()).compose(counts -> {
            int free = m.capacity() == null ? counts.waitlisted() : Math.max(0, m.capacity() - counts.confirmed());
            if (free == 0) return Future.succeededFuture();
            return store.firstWaiting(tx, m.courseId(), m.cohortId(), free).compose(promoted -> {
                List<Mail> mails = new ArrayList<>();
                for (MeetupStore.Registration r : promoted) mails.add(confirmationMail(m, r, "meetup.mail.promoted"));
                return store.promote(tx, promoted.stream().map(MeetupStore.Registration::id).toList(), now)
                        .compose(v -> outbox.enqueueAll(tx, mails, now));
            });
        });
    }

    private static String newCode() {
        StringBuilder sb = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) sb.append('-');
            sb.append(CODE_ALPHABET.charAt(RANDOM.nextInt(CODE_ALPHABET.length())));
        }
        return sb.toString();
    }

    private String lang(MeetupAccess m, String personal) {
        return Messages.forRecipient(personal, m.course().language());
    }

    private Mail confirmationMail(MeetupAccess m, MeetupStore.Registration r, String key) {
        String lang = lang(m, r.language());
        String when = org.knowmad.web.Templates.formatTime(m.starts(), m.course().zone(), lang);
        String body = messages.get(lang, key + ".body", m.title(), when, m.venue() == null ? "" : m.venue(),
                m.onlineUrl() == null ? "" : m.onlineUrl(), baseUrl + m.path(), r.code());
        return new Mail(r.email(), messages.get(lang, key + ".subject", m.title()), body, key + ":" + r.id() + ":" + r.seq())
                .withAttachment(new Mail.Attachment("meetup.ics", Mail.CALENDAR_INVITE, invite(m, r.email(), lang)));
    }

    private Mail waitlistMail(MeetupAccess m, MeetupStore.Registration r, int position) {
        String lang = lang(m, r.language());
        return new Mail(r.email(), messages.get(lang, "meetup.mail.waitlisted.subject", m.title()),
                messages.get(lang, "meetup.mail.waitlisted.body", m.title(), position, baseUrl + m.path()), "meetup-waitlisted:" + r.id() + ":" + r.seq());
    }

    /** The invitation for one attendee (or the meetup in general when {@code attendeeEmail} is null). */
    public String invite(MeetupAccess m, String attendeeEmail, String lang) {
        Person organiser = m.definition().organisers().isEmpty() ? null : m.definition().organisers().get(0);
        String page = baseUrl + m.path();
        String description = messages.get(lang, "meetup.invite.description", page, m.onlineUrl() == null ? "" : m.onlineUrl());
        return MeetupInvite.ics(new MeetupInvite.Details("meetup/" + m.courseId() + "/" + m.cohortId() + "@knowmad", m.title(), m.starts(),
                m.ends(), m.course().zone(), m.venue(), m.onlineUrl(), page, description, organiser == null ? null : organiser.email(),
                organiser == null ? null : organiser.name(), attendeeEmail, false));
    }

    // ---- organisers: registrations, check-in, walk-ins ----

    private void requireOrganiser(MeetupAccess m) {
        rules.organise(m).require();
    }

    public Future<List<MeetupStore.Registration>> registrations(MeetupAccess m) {
        requireOrganiser(m);
        return store.registrations(reads, m.courseId(), m.cohortId());
    }

    public Future<MeetupStore.Counts> counts(MeetupAccess m) {
        return store.counts(reads, m.courseId(), m.cohortId());
    }

    /** Checks someone in by the code on their ticket; a code used twice or from another meetup is refused. */
    public Future<MeetupStore.Registration> checkIn(MeetupAccess m, String rawCode, Idempotent<MeetupStore.Registration> once) {
        requireOrganiser(m);
        String code = rawCode == null ? "" : rawCode.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        if (code.length() == 8 && code.indexOf('-') < 0) code = code.substring(0, 4) + "-" + code.substring(4);
        if (code.isEmpty()) return Future.failedFuture(HttpProblem.invalid("code", "meetup.checkin.codeRequired"));
        if (code.length() > 20) return Future.failedFuture(HttpProblem.invalid("code", "meetup.checkin.badCode"));
        String normalised = code;
        return store.byCode(reads, m.courseId(), m.cohortId(), normalised).compose(found -> {
            if (found.isEmpty()) return Future.failedFuture(new HttpProblem(404, "meetup.checkin.unknownCode", normalised));
            return checkIn(m, found.get(), once);
        });
    }

    public Future<MeetupStore.Registration> checkInById(MeetupAccess m, long registrationId, Idempotent<MeetupStore.Registration> once) {
        requireOrganiser(m);
        return store.byId(reads, m.courseId(), m.cohortId(), registrationId).compose(found -> {
            if (found.isEmpty()) return Future.failedFuture(HttpProblem.notFound());
            return checkIn(m, found.get(), once);
        });
    }

    private Future<MeetupStore.Registration> checkIn(MeetupAccess m, MeetupStore.Registration r, Idempotent<MeetupStore.Registration> once) {
        if (!r.confirmed()) return Future.failedFuture(new HttpProblem(409, "meetup.checkin.notConfirmed", r.displayName()));
        // A retry under the key of a check-in that went through must reach the key's claim to get the first answer,
        // so only a keyless request is refused here; with a key the transaction's update decides.
        if (r.checkedInAt() != null && (once == null || !once.key().present())) {
            // The instant is formatted by the error handler, in the reader's language and the course's zone.
            return Future.failedFuture(new HttpProblem(409, "meetup.checkin.already", r.displayName(), r.checkedInAt()));
        }
        Instant now = clock.instant();
        return idempotency.transaction(pool, once, now, tx -> store.checkIn(tx, r.id(), r.code(), now).compose(done -> done
                ? store.notify(tx, m.courseId(), m.cohortId(), "registrations-changed", new JsonObject()).map(r)
                : Future.failedFuture(new HttpProblem(409, "meetup.checkin.already", r.displayName(), r.checkedInAt() == null ? "" : r.checkedInAt()))))
                // The attendance is the checked-in person's, not the organiser's (whether they are counted is checked on writing).
                .onSuccess(in -> activity.attended(m.access().ref(), in.accountId(), in.email()));
    }

    /** Someone at the door without a registration: added and checked in while seats are free. */
    public Future<MeetupStore.Registration> walkIn(MeetupAccess m, String rawEmail, String rawName, Idempotent<MeetupStore.Registration> once) {
        requireOrganiser(m);
        String email = rawEmail == null ? "" : rawEmail.strip().toLowerCase(Locale.ROOT);
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) return Future.failedFuture(HttpProblem.invalid("email", "meetup.walkin.badEmail"));
        String name = rawName == null ? "" : rawName.strip();
        if (name.length() > 100) return Future.failedFuture(HttpProblem.invalid("name", "meetup.walkin.badName"));
        Instant now = clock.instant();
        String course = m.courseId(), cohort = m.cohortId();
        return idempotency.transaction(pool, once, now, tx -> store.lock(tx, course, cohort)
                .compose(v -> store.session(tx, course, cohort))
                .compose(session -> rules.admit(m, session.endedAt()).future())
                .compose(v -> walkInAccount(tx, email, name, now))
                .compose(a -> store.registration(tx, course, cohort, a.id()).compose(existing -> {
                    if (existing.isPresent() && existing.get().confirmed()) {
                        return Future.failedFuture(new HttpProblem(409, "meetup.walkin.registered", existing.get().displayName()));
                    }
                    return store.counts(tx, course, cohort).compose(counts -> {
                        if (m.capacity() != null && counts.confirmed() >= m.capacity()) {
                            return Future.failedFuture(new HttpProblem(409, "meetup.walkin.full"));
                        }
                        // Always a fresh code: a cancelled registration's old ticket must stay void.
                        return store.upsert(tx, course, cohort, a.id(), "confirmed", newCode(), now, true, now)
                                .compose(id -> store.registration(tx, course, cohort, a.id()))
                                .map(Optional::orElseThrow);
                    });
                }))
                .compose(r -> store.notify(tx, course, cohort, "registrations-changed", new JsonObject()).map(r)))
                .recover(MeetupService::endedInRace)
                .onSuccess(in -> activity.attended(m.access().ref(), in.accountId(), in.email()));
    }

    /**
     * The schema refuses places and questions once the meetup ended (V022, SQLSTATE KM002); the rules refuse them
     * first, so this answers only a request that raced the end, with the same 409.
     */
    private static <T> Future<T> endedInRace(Throwable e) {
        if (e instanceof io.vertx.pgclient.PgException pg && "KM002".equals(pg.getSqlState())) {
            return Future.failedFuture(new HttpProblem(409, "meetup.closed.race"));
        }
        return Future.failedFuture(e);
    }

    /** The walk-in's account; a name is given only to an account made here (organisers do not rename people). */
    private Future<org.knowmad.account.Account> walkInAccount(SqlClient tx, String email, String name, Instant now) {
        return accounts.findByEmail(tx, email).compose(found -> {
            if (found.isPresent()) return Future.succeededFuture(found.get());
            return accounts.findOrCreate(tx, email, now).compose(created -> name.isEmpty()
                    ? Future.succeededFuture(created) : accounts.updateProfile(tx, created.id(), name, created.language()));
        });
    }

    // ---- agenda ----

    public Future<List<MeetupStore.AgendaItem>> agenda(MeetupAccess m) {
        return store.agenda(reads, m.courseId(), m.cohortId());
    }

    /** The nominated discussion questions, most votes first, for organisers picking the agenda. */
    public Future<List<NominationStore.Question>> candidates(MeetupAccess m) {
        requireOrganiser(m);
        // Organisers who are not facilitators see the nominations as facilitators do: they build the agenda from them.
        CohortAccess access = m.access();
        return nominations.ranked(new CohortAccess(access.viewer(), access.ref(), true, access.enrolment()));
    }

    /** Adds a nominated thread (its title; renameable) or an organiser's own question. */
    public Future<Void> addToAgenda(MeetupAccess m, Long threadId, String rawTitle, Idempotent<Void> once) {
        requireOrganiser(m);
        Instant now = clock.instant();
        return (threadId == null ? Future.succeededFuture(title(rawTitle)) : candidates(m).map(list -> list.stream()
                .filter(q -> q.threadId() == threadId).findFirst()
                .map(q -> rawTitle == null || rawTitle.isBlank() ? q.title() : title(rawTitle))
                .orElseThrow(() -> new HttpProblem(404, "meetup.agenda.notNominated"))))
                .compose(title -> idempotency.transaction(pool, once, now, tx -> store.lock(tx, m.courseId(), m.cohortId())
                        .compose(v -> store.agenda(tx, m.courseId(), m.cohortId()))
                        .compose(items -> {
                            if (items.size() >= m.questions()) return Future.failedFuture(new HttpProblem(409, "meetup.agenda.full", m.questions()));
                            return store.addItem(tx, m.courseId(), m.cohortId(), title, threadId, now);
                        })
                        .compose(added -> added ? store.notify(tx, m.courseId(), m.cohortId(), "agenda-changed", new JsonObject())
                                : Future.failedFuture(new HttpProblem(409, "meetup.agenda.already")))));
    }

    private static String title(String raw) {
        String title = raw == null ? "" : raw.strip();
        if (title.isEmpty()) throw HttpProblem.invalid("title", "meetup.agenda.titleRequired");
        if (title.length() > MAX_TITLE) throw HttpProblem.invalid("title", "meetup.agenda.titleTooLong", MAX_TITLE);
        return title;
    }

    public Future<Void> renameItem(MeetupAccess m, long itemId, String rawTitle) {
        requireOrganiser(m);
        String title = title(rawTitle);
        return pool.withTransaction(tx -> store.renameItem(tx, m.courseId(), m.cohortId(), itemId, title)
                .compose(done -> done ? store.notify(tx, m.courseId(), m.cohortId(), "agenda-changed", new JsonObject())
                        : Future.failedFuture(HttpProblem.notFound())));
    }

    /** Removes or moves an item (delta −1 up, +1 down); positions stay 0..n−1. Not once the rounds have begun. */
    public Future<Void> reorder(MeetupAccess m, long itemId, int delta, boolean remove) {
        requireOrganiser(m);
        return pool.withTransaction(tx -> store.lock(tx, m.courseId(), m.cohortId())
                .compose(v -> store.session(tx, m.courseId(), m.cohortId()))
                .compose(session -> {
                    if (session.round() > 0) return Future.failedFuture(new HttpProblem(409, "meetup.agenda.started"));
                    return store.agenda(tx, m.courseId(), m.cohortId());
                })
                .compose(items -> {
                    List<Long> ids = new ArrayList<>(items.stream().map(MeetupStore.AgendaItem::id).toList());
                    int at = ids.indexOf(itemId);
                    if (at < 0) return Future.failedFuture(HttpProblem.notFound());
                    Future<Boolean> removal = Future.succeededFuture(true);
                    if (remove) {
                        ids.remove(at);
                        removal = store.removeItem(tx, m.courseId(), m.cohortId(), itemId);
                    } else {
                        int to = Math.max(0, Math.min(ids.size() - 1, at + delta));
                        ids.add(to, ids.remove(at));
                    }
                    return removal.compose(x -> store.setPositions(tx, ids));
                })
                .compose(v -> store.notify(tx, m.courseId(), m.cohortId(), "agenda-changed", new JsonObject())));
    }

    // ---- rounds and tables ----

    public Future<MeetupStore.Session> session(MeetupAccess m) {
        return store.session(reads, m.courseId(), m.cohortId());
    }

    public Future<List<MeetupStore.Seat>> seats(MeetupAccess m) {
        return store.seats(reads, m.courseId(), m.cohortId());
    }

    public Future<Map<Long, Integer>> choices(MeetupAccess m, int round) {
        return store.choices(reads, m.courseId(), m.cohortId(), round);
    }

    private void requireAttendee(MeetupAccess m) {
        rules.attend(m).require();
    }

    /** A registrant picks a table for the next round (before it starts). */
    public Future<Void> choose(MeetupAccess m, int table) {
        requireAttendee(m);
        return store.session(reads, m.courseId(), m.cohortId()).compose(session -> store.agenda(reads, m.courseId(), m.cohortId())
                .compose(items -> {
                    if (table < 0 || table >= items.size()) return Future.failedFuture(HttpProblem.badRequest("meetup.table.unknown"));
                    if (session.endedAt() != null || session.round() >= m.rounds()) {
                        return Future.failedFuture(new HttpProblem(409, "meetup.table.noMoreRounds"));
                    }
                    return store.choose(pool, m.courseId(), m.cohortId(), session.round() + 1, m.access().viewer().accountId(), table);
                }));
    }

    /**
     * Starts the next round: seats everyone checked in (everyone confirmed, if nobody checked in yet) at the
     * agenda's tables, balanced, honouring choices where it can and mixing people between rounds.
     */
    public Future<Integer> startRound(MeetupAccess m, Integer rawMinutes, Idempotent<Integer> once) {
        requireOrganiser(m);
        int minutes = rawMinutes == null ? 20 : rawMinutes;
        if (minutes < 1 || minutes > 240) return Future.failedFuture(HttpProblem.badRequest("meetup.round.badMinutes"));
        Instant now = clock.instant();
        String course = m.courseId(), cohort = m.cohortId();
        return idempotency.transaction(pool, once, now, tx -> store.lock(tx, course, cohort)
                .compose(v -> store.ensureSession(tx, course, cohort))
                .compose(v -> store.session(tx, course, cohort))
                .compose(session -> {
                    if (session.endedAt() != null) return Future.failedFuture(new HttpProblem(409, "meetup.round.ended"));
                    if (session.round() >= m.rounds()) return Future.failedFuture(new HttpProblem(409, "meetup.table.noMoreRounds"));
                    int round = session.round() + 1;
                    return store.agenda(tx, course, cohort).compose(items -> {
                        if (items.isEmpty()) return Future.failedFuture(new HttpProblem(409, "meetup.round.noAgenda"));
                        return store.attendees(tx, course, cohort).compose(people -> store.choices(tx, course, cohort, round)
                                .compose(choices -> store.seats(tx, course, cohort).compose(seats -> {
                                    List<Round> earlier = earlierRounds(seats, items.size());
                                    Map<Long, Integer> valid = new HashMap<>();
                                    choices.forEach((p, t) -> {
                                        if (t < items.size()) valid.put(p, t);
                                    });
                                    Round allocated = TableAllocator.allocate(round, items.size(), people, valid, earlier,
                                            (course + "/" + cohort).hashCode() * 31L + round);
                                    return store.insertSeats(tx, course, cohort, round, allocated.tableOf())
                                            .compose(x -> store.startRound(tx, course, cohort, round, now, minutes))
                                            .compose(x -> store.notify(tx, course, cohort, "round-started", new JsonObject().put("round", round)))
                                            .map(round);
                                })));
                    });
                }));
    }

    static List<Round> earlierRounds(List<MeetupStore.Seat> seats, int tables) {
        Map<Integer, Map<Long, Integer>> byRound = new java.util.TreeMap<>();
        for (MeetupStore.Seat s : seats) {
            if (s.table() < tables) byRound.computeIfAbsent(s.round(), r -> new HashMap<>()).put(s.accountId(), s.table());
        }
        List<Round> rounds = new ArrayList<>();
        byRound.forEach((number, tableOf) -> rounds.add(new Round(number, tableOf, Map.of(), tables)));
        return rounds;
    }

    /** An organiser moves someone to another table in the current round. */
    public Future<Void> move(MeetupAccess m, long accountId, int table) {
        requireOrganiser(m);
        return pool.withTransaction(tx -> store.session(tx, m.courseId(), m.cohortId()).compose(session -> store.agenda(tx, m.courseId(), m.cohortId())
                .compose(items -> {
                    if (session.round() == 0) return Future.failedFuture(new HttpProblem(409, "meetup.round.notStarted"));
                    if (table < 0 || table >= items.size()) return Future.failedFuture(HttpProblem.badRequest("meetup.table.unknown"));
                    return store.moveSeat(tx, m.courseId(), m.cohortId(), session.round(), accountId, table);
                })
                .compose(done -> done ? store.notify(tx, m.courseId(), m.cohortId(), "round-started", new JsonObject().put("round", session.round()))
                        : Future.failedFuture(HttpProblem.notFound()))));
    }

    /**
     * Ends the meetup (from its start; see {@link MeetupRules#end}): registration, walk-ins and live questions close.
     * Under the meetup's lock, so a registration or walk-in in flight is decided before or after, never half. Ending an
     * ended meetup changes nothing.
     */
    public Future<Void> end(MeetupAccess m) {
        requireOrganiser(m);
        Instant now = clock.instant();
        String course = m.courseId(), cohort = m.cohortId();
        return rules.end(m, now).future().compose(x -> pool.withTransaction(tx -> store.lock(tx, course, cohort)
                .compose(v -> store.ensureSession(tx, course, cohort))
                .compose(v -> store.end(tx, course, cohort, now))
                .compose(ended -> ended ? store.notify(tx, course, cohort, "meetup-ended", new JsonObject()) : Future.succeededFuture())));
    }

    /** Takes an end back (see {@link MeetupRules#reopen}): the meetup is running again, as before the end. */
    public Future<Void> reopen(MeetupAccess m) {
        requireOrganiser(m);
        Instant now = clock.instant();
        String course = m.courseId(), cohort = m.cohortId();
        return pool.withTransaction(tx -> store.lock(tx, course, cohort)
                .compose(v -> store.session(tx, course, cohort))
                .compose(session -> rules.reopen(m, session.endedAt(), session.published(), now).future())
                .compose(v -> store.reopen(tx, course, cohort))
                .compose(reopened -> store.notify(tx, course, cohort, "meetup-reopened", new JsonObject())));
    }

    // ---- table notes and live questions ----

    private static String text(String raw, String key) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty()) throw HttpProblem.badRequest(key + "Required");
        if (text.length() > MAX_TEXT) throw HttpProblem.badRequest(key + "TooLong", MAX_TEXT);
        return text;
    }

    /** Adds to the notes of the table where the viewer sits this round. */
    public Future<Void> addNote(MeetupAccess m, String raw, Idempotent<Void> once) {
        requireAttendee(m);
        String body = text(raw, "meetup.note.");
        long me = m.access().viewer().accountId();
        Instant now = clock.instant();
        return store.session(reads, m.courseId(), m.cohortId()).compose(session -> store.seats(reads, m.courseId(), m.cohortId()).compose(seats -> {
            Optional<MeetupStore.Seat> mine = seats.stream().filter(s -> s.round() == session.round() && s.accountId() == me).findFirst();
            if (session.round() == 0 || mine.isEmpty()) return Future.failedFuture(new HttpProblem(409, "meetup.note.noTable"));
            int table = mine.get().table();
            return rateLimit(m, now).compose(allowed -> idempotency.transaction(pool, once, now, tx -> store.addNote(tx, m.courseId(), m.cohortId(), table, session.round(), me, body, now)
                    .compose(v -> store.notify(tx, m.courseId(), m.cohortId(), "note-added", new JsonObject().put("table", table)))));
        }));
    }

    public Future<List<MeetupStore.Note>> notes(MeetupAccess m) {
        requireAttendee(m);
        return store.notes(reads, m.courseId(), m.cohortId());
    }

    public Future<Long> ask(MeetupAccess m, String raw, Idempotent<Long> once) {
        requireAttendee(m);
        Instant now = clock.instant();
        return store.session(reads, m.courseId(), m.cohortId()).compose(session -> rules.ask(m, session.endedAt()).future())
                .compose(v -> {
                    String body = text(raw, "meetup.question.");
                    return rateLimit(m, now).compose(x -> idempotency.transaction(pool, once, now, tx -> store.ask(tx, m.courseId(), m.cohortId(),
                                    m.access().viewer().accountId(), body, now)
                            .compose(id -> store.notify(tx, m.courseId(), m.cohortId(), "question-changed", new JsonObject().put("question", id)).map(id))));
                }).recover(MeetupService::endedInRace);
    }

    private Future<Void> rateLimit(MeetupAccess m, Instant now) {
        if (!rules.rateLimited(m)) return Future.succeededFuture();
        return store.recentBy(reads, m.access().viewer().accountId(), now.minusSeconds(60)).compose(count -> count >= WRITES_PER_MINUTE
                ? Future.failedFuture(new HttpProblem(429, Map.of("retryAfterSeconds", 60), "meetup.tooFast"))
                : Future.succeededFuture());
    }

    /** The live questions; hidden ones only for organisers ({@link MeetupRules#seeHiddenQuestions}). */
    public Future<List<MeetupStore.Question>> questions(MeetupAccess m) {
        requireAttendee(m);
        return store.questions(reads, m.courseId(), m.cohortId(), m.access().viewer().accountId(), rules.seeHiddenQuestions(m));
    }

    /** How many live questions are hidden and why: the whole room sees this, never the texts. */
    public Future<List<MeetupStore.Hidden>> hidden(MeetupAccess m) {
        requireAttendee(m);
        return store.hidden(reads, m.courseId(), m.cohortId());
    }

    /** One upvote per person; answers the votes. */
    public Future<Integer> vote(MeetupAccess m, long questionId, Idempotent<Integer> once) {
        requireAttendee(m);
        return store.session(reads, m.courseId(), m.cohortId()).compose(session -> rules.ask(m, session.endedAt()).future()).compose(x -> idempotency.transaction(pool, once, clock.instant(), tx -> store.vote(tx, m.courseId(), m.cohortId(), questionId, m.access().viewer().accountId())
                .compose(votes -> votes < 0 ? Future.failedFuture(new HttpProblem(404, "meetup.question.notOpen"))
                        : store.notify(tx, m.courseId(), m.cohortId(), "question-changed", new JsonObject().put("question", questionId)
                                .put("votes", votes).put("coalesce", true)).map(votes))));
    }

    /**
     * An organiser marks a live question answered, hides it (naming a reason, {@link MeetupRules#moderate}) or shows it
     * again. The live event says the new state and reason, never the text, so every screen updates its "hidden" count.
     */
    public Future<Void> mark(MeetupAccess m, long questionId, String state, String reason) {
        rules.moderate(m, state, reason).require();
        String why = "hidden".equals(state) ? reason : null;
        JsonObject event = new JsonObject().put("question", questionId).put("state", state);
        if (why != null) event.put("reason", why);
        return pool.withTransaction(tx -> store.mark(tx, m.courseId(), m.cohortId(), questionId, state, why)
                .compose(done -> done ? store.notify(tx, m.courseId(), m.cohortId(), "question-changed", event)
                        : Future.failedFuture(HttpProblem.notFound())));
    }

    // ---- harvest ----

    /** Organisers write the harvest: an introduction and the key insights of each table. */
    public Future<Void> saveHarvest(MeetupAccess m, String rawIntro, Map<Long, String> insights) {
        requireOrganiser(m);
        String intro = rawIntro == null ? "" : rawIntro.strip();
        if (intro.length() > 10_000) return Future.failedFuture(HttpProblem.badRequest("meetup.harvest.tooLong", 10_000));
        for (String s : insights.values()) {
            if (s != null && s.length() > 10_000) return Future.failedFuture(HttpProblem.badRequest("meetup.harvest.tooLong", 10_000));
        }
        return pool.withTransaction(tx -> store.ensureSession(tx, m.courseId(), m.cohortId())
                .compose(v -> store.harvestIntro(tx, m.courseId(), m.cohortId(), intro))
                .compose(v -> {
                    Future<Void> chain = Future.succeededFuture();
                    for (var e : insights.entrySet()) {
                        chain = chain.compose(x -> store.setInsights(tx, m.courseId(), m.cohortId(), e.getKey(),
                                e.getValue() == null ? "" : e.getValue().strip()).compose(done -> done ? Future.<Void>succeededFuture()
                                : Future.failedFuture(HttpProblem.notFound())));
                    }
                    return chain;
                }));
    }

    /**
     * Publishes the harvest once: it becomes readable to the cohort, appears in the cohort's Atom feed, and flows back
     * into the discussions ({@link #flowBack}), all in one transaction under the request's idempotency key (a retried
     * request answers the first result; another request, on any node, is refused with 409 and changes nothing).
     */
    public Future<Void> publishHarvest(MeetupAccess m, Idempotent<Void> once) {
        requireOrganiser(m);
        Instant now = clock.instant();
        String lang = Messages.supported(m.course().language());
        return idempotency.transaction(pool, once, now, tx -> store.ensureSession(tx, m.courseId(), m.cohortId())
                .compose(v -> store.session(tx, m.courseId(), m.cohortId()))
                .compose(session -> store.publish(tx, m.courseId(), m.cohortId(), now).compose(published -> {
                    if (!published) return Future.failedFuture(new HttpProblem(409, "meetup.harvest.alreadyPublished"));
                    String summary = session.harvestIntro().isBlank() ? messages.get(lang, "meetup.harvest.feedSummary", m.title()) : session.harvestIntro();
                    return store.feed(tx, m.courseId(), m.cohortId(), messages.get(lang, "meetup.harvest.feedTitle", m.title()),
                            m.path() + "/harvest", summary.length() > 500 ? summary.substring(0, 500) + "…" : summary, now)
                            .compose(v -> flowBack(tx, m, now));
                })));
    }

    /**
     * The harvest flows back: each agenda question that came from a thread and has insights or table notes gets one
     * post by the course in that thread (an empty table posts nothing), claimed in meetup_harvest_post so no thread
     * ever receives it twice, whatever is published again; then who nominated or voted for it is told.
     */
    private Future<Void> flowBack(SqlConnection tx, MeetupAccess m, Instant now) {
        String course = m.courseId(), cohort = m.cohortId();
        String lang = Messages.supported(m.course().language());
        return store.agenda(tx, course, cohort).compose(items -> store.notes(tx, course, cohort).compose(notes -> {
            Map<Long, String> bodies = new java.util.LinkedHashMap<>();
            for (MeetupStore.AgendaItem item : items) {
                if (item.threadId() == null) continue;
                List<MeetupStore.Note> tableNotes = notes.stream().filter(n -> n.table() == item.position()).toList();
                if (item.insights().isBlank() && tableNotes.isEmpty()) continue;
                bodies.put(item.threadId(), harvestPost(lang, m, item, tableNotes));
            }
            if (bodies.isEmpty()) return Future.<Void>succeededFuture();
            return store.claimHarvestPosts(tx, course, cohort, List.copyOf(bodies.keySet()), now).compose(claimed -> {
                List<Long> threads = claimed.stream().filter(bodies::containsKey).toList();
                return discussions.postAsCourse(tx, course, cohort, threads, threads.stream().map(bodies::get).toList(), now)
                        .compose(posts -> store.recordHarvestPosts(tx, posts).compose(v -> notifications.onHarvest(tx, m.access().ref().course(),
                                cohort, m.title(), posts, openModules(m, now), now)))
                        .mapEmpty();
            });
        }));
    }

    /** The modules open for the whole cohort at {@code now} (a meetup's cohort keeps a shared pace). */
    private static List<String> openModules(MeetupAccess m, Instant now) {
        return CohortService.modules(m.access(), now).stream().filter(org.knowmad.cohort.ModuleView::open).map(org.knowmad.cohort.ModuleView::id).toList();
    }

    /** The post a thread receives: which table, the insights, the notes, and the way to the whole harvest. */
    String harvestPost(String lang, MeetupAccess m, MeetupStore.AgendaItem item, List<MeetupStore.Note> tableNotes) {
        StringBuilder md = new StringBuilder(messages.get(lang, "meetup.harvest.post.intro", m.title(), item.position() + 1, item.title()))
                .append("\n\n");
        if (!item.insights().isBlank()) md.append(item.insights().strip()).append("\n\n");
        if (!tableNotes.isEmpty()) {
            md.append("**").append(messages.get(lang, "meetup.notes")).append("**\n\n");
            for (MeetupStore.Note n : tableNotes) md.append("- ").append(n.body().replace("\n", " ")).append('\n');
            md.append('\n');
        }
        md.append(messages.get(lang, "meetup.harvest.post.more", m.path() + "/harvest"));
        return md.toString();
    }

    /** The harvest as the cohort reads it: once published (organisers always). */
    public Future<MeetupStore.Session> harvest(MeetupAccess m) {
        return store.session(reads, m.courseId(), m.cohortId()).map(session -> {
            rules.seeHarvest(m, session.published()).require();
            return session;
        });
    }

    /** The harvest as Markdown: per table the question, the insights, a link to the online thread and the notes. */
    public String harvestMarkdown(MeetupAccess m, MeetupStore.Session session, List<MeetupStore.AgendaItem> items, List<MeetupStore.Note> notes) {
        String lang = Messages.supported(m.course().language());
        StringBuilder md = new StringBuilder("# ").append(messages.get(lang, "meetup.harvest.feedTitle", m.title())).append("\n\n");
        if (!session.harvestIntro().isBlank()) md.append(session.harvestIntro()).append("\n\n");
        for (MeetupStore.AgendaItem item : items) {
            md.append("## ").append(messages.get(lang, "meetup.table", item.position() + 1)).append(": ").append(item.title()).append("\n\n");
            if (!item.insights().isBlank()) md.append(item.insights()).append("\n\n");
            if (item.threadId() != null) {
                md.append(messages.get(lang, "meetup.harvest.thread")).append(": ").append(baseUrl).append(m.access().ref().path())
                        .append("/threads/").append(item.threadId()).append("\n\n");
            }
            List<MeetupStore.Note> tableNotes = notes.stream().filter(n -> n.table() == item.position()).toList();
            if (!tableNotes.isEmpty()) {
                md.append("### ").append(messages.get(lang, "meetup.notes")).append("\n\n");
                for (MeetupStore.Note n : tableNotes) md.append("- ").append(n.body().replace("\n", " ")).append('\n');
                md.append('\n');
            }
        }
        return md.toString();
    }

    public Future<List<MeetupStore.Note>> harvestNotes(MeetupAccess m) {
        return store.notes(reads, m.courseId(), m.cohortId());
    }
}
