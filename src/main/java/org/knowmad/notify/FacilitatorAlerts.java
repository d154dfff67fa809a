package org.knowmad.notify;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.web.Messages;

/**
 * Tells a course's facilitators that a participant flagged a post or reported a review, by mail through the outbox.
 *
 * <p>Each flag or report is recorded once per facilitator in the transaction that makes it (never for the
 * facilitator who did it themself). {@link #sendDue} — every node runs it each minute — mails what is waiting,
 * coalesced: one mail per facilitator and course listing every alert since the last, and at most one such mail in
 * {@link #WINDOW} (a burst of ten flags is one or two mails, not ten). Each alert is in exactly one mail, or in
 * none when the facilitator chose "never" ({@link MailRules.Kind#MODERATION}).
 */
public final class FacilitatorAlerts {

    /** At most one alert mail per facilitator and course in this time. */
    public static final Duration WINDOW = Duration.ofMinutes(5);

    private final Pool pool;
    private final Clock clock;
    private final FacilitatorAlertStore store;
    private final Outbox outbox;
    private final Messages messages;
    private final CourseCatalog catalog;
    private final String baseUrl;
    private boolean running;

    public FacilitatorAlerts(Pool pool, Clock clock, FacilitatorAlertStore store, Outbox outbox, Messages messages, CourseCatalog catalog,
                             String baseUrl) {
        this.pool = pool;
        this.clock = clock;
        this.store = store;
        this.outbox = outbox;
        this.messages = messages;
        this.catalog = catalog;
        this.baseUrl = baseUrl;
    }

    /** What happened, for the facilitators' mail: {@code kind} is "flag" or "report"; {@code path} where they act on it. */
    public record Event(String key, String kind, String cohortId, String path, String title, String reason, String actorEmail) {
    }

    /** Records the event for each facilitator of the course, inside the caller's transaction. */
    public Future<Void> record(SqlClient tx, Course course, Event e, Instant now) {
        String actor = e.actorEmail() == null ? "" : e.actorEmail().toLowerCase(Locale.ROOT);
        List<String> to = course.definition().facilitators().stream().map(p -> p.email().toLowerCase(Locale.ROOT))
                .filter(email -> !email.equals(actor)).distinct().toList();
        return store.record(tx, e.key(), to, course.id(), e.cohortId(), e.kind(), e.path(), e.title(), e.reason(), now);
    }

    /** Mails the alerts that are due; answers how many mails were queued. */
    public Future<Integer> sendDue() {
        if (running) return Future.succeededFuture(0);
        running = true;
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.claim(tx, now, WINDOW).compose(pending -> {
                    if (pending.isEmpty()) return Future.succeededFuture(0);
                    Map<String, List<FacilitatorAlertStore.Pending>> byMail = new LinkedHashMap<>();
                    for (var p : pending) byMail.computeIfAbsent(p.toEmail() + "\n" + p.courseId(), k -> new ArrayList<>()).add(p);
                    List<Mail> mails = new ArrayList<>();
                    List<Long> ids = new ArrayList<>();
                    List<Long> mailed = new ArrayList<>();
                    for (var group : byMail.values()) {
                        group.forEach(p -> ids.add(p.id()));
                        // No account yet: the default choice (immediate) applies.
                        String mode = group.get(0).notifyMode() == null ? "immediate" : group.get(0).notifyMode();
                        if (!MailRules.mailNow(MailRules.Kind.MODERATION, mode)) continue;
                        group.forEach(p -> mailed.add(p.id()));
                        mails.add(mail(group));
                    }
                    return outbox.enqueueAll(tx, mails, now).compose(v -> store.done(tx, ids, mailed, now)).map(mails.size());
                }))
                .onComplete(ar -> running = false);
    }

    private Mail mail(List<FacilitatorAlertStore.Pending> group) {
        FacilitatorAlertStore.Pending first = group.get(0);
        Course course = catalog.course(first.courseId()).orElse(null);
        // The facilitator's own language if they chose one, else the course's.
        String lang = Messages.forRecipient(first.language(), course == null ? "en" : course.definition().language());
        String courseTitle = course == null ? first.courseId() : course.definition().title();
        StringBuilder text = new StringBuilder(messages.get(lang, "alert.intro")).append("\n\n");
        for (var p : group) {
            String reason = p.reason() == null || p.reason().isBlank() ? messages.get(lang, "alert.noReason") : p.reason();
            text.append("- ").append(messages.get(lang, "alert." + p.kind(), p.title(), reason)).append("\n  ")
                    .append(baseUrl).append(p.path()).append("\n");
        }
        text.append("\n").append(messages.get(lang, "alert.settings", baseUrl + "/me/notifications")).append("\n");
        // The first alert's id names the mail: a retried round queues it once.
        return new Mail(first.toEmail(), messages.get(lang, "alert.subject", group.size(), courseTitle), text.toString(),
                "moderation-alert:" + first.id()).bulk();
    }
}
