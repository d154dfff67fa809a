package org.knowmad.pulse;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.course.CourseDefinition;
import org.knowmad.notify.Mail;
import org.knowmad.notify.MailRules;
import org.knowmad.notify.Outbox;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Messages;

/**
 * A facilitator acting on the roster: an announcement to the whole cohort or to a roster filter, a nudge to people
 * not seen for a while, and the log of both. Each send is one transaction under the form's idempotency key: the
 * message, its recipients and their mail are written together or not at all, so a repeat (double click, the same
 * form on another node) sends nothing again. Mail is of kind {@link MailRules.Kind#NEWS}: sent unless the person
 * chose never; everyone addressed still sees an announcement on the cohort home.
 */
public final class AnnouncementService {

    /** How long an announcement shows as the cohort home's banner. */
    public static final Duration BANNER_DAYS = Duration.ofDays(14);
    /** How many sent messages the log shows. */
    static final int LOG_SIZE = 50;

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final RosterStore roster;
    private final AnnouncementStore store;
    private final Outbox outbox;
    private final Messages messages;
    private final String baseUrl;
    private final PulseRules rules;
    private final IdempotencyStore idempotency;

    public AnnouncementService(Pool pool, Pool reads, Clock clock, RosterStore roster, AnnouncementStore store, Outbox outbox,
                               Messages messages, String baseUrl, PulseRules rules, IdempotencyStore idempotency) {
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.roster = roster;
        this.store = store;
        this.outbox = outbox;
        this.messages = messages;
        this.baseUrl = baseUrl;
        this.rules = rules;
        this.idempotency = idempotency;
    }

    public PulseRules rules() {
        return rules;
    }

    /** What a send did: the message's id, how many it went to, how many of them by mail, how many were skipped. */
    public record Result(long id, int recipients, int mailed, int skipped) {
    }

    /** Sends an announcement to everyone the audience names now. */
    public Future<Result> announce(CohortAccess access, Outreach.Announcement a, Idempotent<Result> once) {
        return rules.announce(access).future().compose(v -> {
            Instant now = clock.instant();
            String course = access.ref().courseId();
            String cohort = access.ref().cohortId();
            RosterStore.At at = RosterService.at(access, now, RosterFilter.UNSEEN_DAYS);
            return idempotency.transaction(pool, once, now, tx -> store.insert(tx, course, cohort, "announcement", a.audience(), null,
                            a.subject(), a.body(), access.viewer().accountId(), now)
                    .compose(id -> roster.audience(tx, course, cohort, at, a.filter())
                            .compose(people -> deliver(tx, id, people, 0, now, p -> announcementMail(access, a, id, p)))));
        });
    }

    /**
     * Nudges everyone not seen for the nudge's number of days (never seen: counted from joining), once per person per
     * ISO week: those nudged already this week are skipped and counted as such.
     */
    public Future<Result> nudge(CohortAccess access, Outreach.Nudge n, Idempotent<Result> once) {
        return rules.announce(access).future().compose(v -> {
            Instant now = clock.instant();
            String course = access.ref().courseId();
            String cohort = access.ref().cohortId();
            RosterStore.At at = RosterService.at(access, now, n.days());
            LocalDate week = at.weekStart();
            // The log shows the subject in the course's language; each mail is in its reader's.
            String subject = messages.get(Messages.supported(access.ref().course().definition().language()), "nudge.mail.subject",
                    access.ref().course().definition().title());
            String body = n.text() == null ? "" : n.text();
            return idempotency.transaction(pool, once, now, tx -> store.insert(tx, course, cohort, "nudge", "quiet", n.days(),
                            subject, body, access.viewer().accountId(), now)
                    .compose(id -> roster.audience(tx, course, cohort, at, Optional.of(RosterFilter.UNSEEN))
                            .compose(quiet -> store.markNudged(tx, course, cohort, quiet.stream().map(RosterStore.Person::accountId).toList(), week, id)
                                    .compose(marked -> {
                                        List<RosterStore.Person> fresh = quiet.stream().filter(p -> marked.contains(p.accountId())).toList();
                                        return deliver(tx, id, fresh, quiet.size() - fresh.size(), now,
                                                p -> nudgeMail(access, n, week, p));
                                    }))));
        });
    }

    /** Records the recipients, queues mail for those whose choice lets news through, and stores the counts. */
    private Future<Result> deliver(SqlClient tx, long id, List<RosterStore.Person> people, int skipped, Instant now,
                                   java.util.function.Function<RosterStore.Person, Mail> mail) {
        List<Mail> mails = new ArrayList<>();
        for (RosterStore.Person p : people) {
            if (MailRules.mailNow(MailRules.Kind.NEWS, p.notifyMode())) mails.add(mail.apply(p).bulk());
        }
        return store.addRecipients(tx, id, people.stream().map(RosterStore.Person::accountId).toList())
                .compose(v -> outbox.enqueueAll(tx, mails, now))
                .compose(v -> store.counts(tx, id, people.size(), mails.size(), skipped))
                .map(v -> new Result(id, people.size(), mails.size(), skipped));
    }

    private Mail announcementMail(CohortAccess access, Outreach.Announcement a, long id, RosterStore.Person p) {
        CourseDefinition course = access.ref().course().definition();
        String lang = Messages.forRecipient(p.language(), course.language());
        String text = messages.get(lang, "announcement.mail.body", a.body(), senderName(access), course.title(),
                baseUrl + access.ref().path() + "/announcements/" + id, baseUrl + "/me/notifications");
        return new Mail(p.email(), messages.get(lang, "announcement.mail.subject", course.title(), a.subject()), text,
                "announcement:" + id + ":" + p.accountId());
    }

    private Mail nudgeMail(CohortAccess access, Outreach.Nudge n, LocalDate week, RosterStore.Person p) {
        CourseDefinition course = access.ref().course().definition();
        // The person's own language when they chose one, else the course's (as every mail).
        String lang = Messages.forRecipient(p.language(), course.language());
        String link = baseUrl + access.ref().path();
        String greeting = messages.get(lang, "nudge.mail.greeting", p.name() == null || p.name().isBlank() ? "" : " " + p.name().strip());
        String text = n.text() != null
                ? messages.get(lang, "nudge.mail.own", greeting, n.text(), senderName(access), link, baseUrl + "/me/notifications")
                : messages.get(lang, "nudge.mail.default", greeting, course.title(), senderName(access), link, baseUrl + "/me/notifications");
        // Keyed by week as well as by message: even two nudges racing past the weekly mark could not mail twice.
        return new Mail(p.email(), messages.get(lang, "nudge.mail.subject", course.title()), text, "nudge:" + access.ref().courseId() + "/" + access.ref().cohortId() + ":" + week + ":" + p.accountId());
    }

    private static String senderName(CohortAccess access) {
        var account = access.viewer().account();
        return account.name() != null && !account.name().isBlank() ? account.name().strip() : account.email().split("@")[0];
    }

    /** The cohort's sent announcements and nudges, latest first: for its facilitators. */
    public Future<List<AnnouncementStore.Sent>> sentLog(CohortAccess access) {
        return rules.seeRoster(access).future()
                .compose(v -> store.log(reads, access.ref().courseId(), access.ref().cohortId(), LOG_SIZE));
    }

    /** One announcement, for whoever may read it (404 for anyone else, and for nudges, which are personal mail). */
    public Future<AnnouncementStore.Sent> announcement(CohortAccess access, long id) {
        long viewer = access.viewer().signedIn() ? access.viewer().accountId() : 0;
        return store.one(reads, access.ref().courseId(), access.ref().cohortId(), id, viewer).compose(found -> {
            if (found.isEmpty() || found.get().nudge()) {
                return rules.readAnnouncement(access, false, false).future().compose(x -> Future.failedFuture(HttpProblem.notFound()));
            }
            AnnouncementStore.Sent s = found.get();
            return rules.readAnnouncement(access, s.toEveryone(), s.recipient()).future().map(x -> s);
        });
    }

    /** The latest announcement of the last {@link #BANNER_DAYS} this member may read, for the cohort home's banner. */
    public Future<Optional<AnnouncementStore.Sent>> banner(CohortAccess access) {
        if (!rules.readAnnouncement(access, true, false).allowed()) return Future.succeededFuture(Optional.empty());
        long viewer = access.viewer().accountId();
        return store.recent(reads, access.ref().courseId(), access.ref().cohortId(), clock.instant().minus(BANNER_DAYS), viewer)
                .map(list -> list.stream().filter(s -> rules.readAnnouncement(access, s.toEveryone(), s.recipient()).allowed()).findFirst());
    }

    /** A message of this cohort by id, for the roster's "sent" notice after a send: facilitators only. */
    public Future<Optional<AnnouncementStore.Sent>> sent(CohortAccess access, long id) {
        return rules.seeRoster(access).future()
                .compose(v -> store.one(reads, access.ref().courseId(), access.ref().cohortId(), id, 0));
    }

}
