package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowmad.course.Course;
import org.knowmad.course.CourseCatalog;
import org.knowmad.course.Person;
import org.knowmad.notify.Mail;
import org.knowmad.notify.Outbox;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.Messages;

/**
 * Tells people about new posts that concern them: a reply to their post, an @mention (the part of
 * their email address before the @), a new post in a thread they follow. Mail goes at once, or in a
 * daily or weekly digest, as each person chooses.
 */
public final class NotificationService {

    public static final List<String> MODES = List.of("immediate", "daily", "weekly", "off");
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@./])@([A-Za-z0-9][A-Za-z0-9._-]{0,63})");

    private final Pool pool;
    private final Clock clock;
    private final NotificationStore store;
    private final Outbox outbox;
    private final Messages messages;
    private final CourseCatalog catalog;
    private final String baseUrl;
    private boolean digesting;

    public NotificationService(Pool pool, Clock clock, NotificationStore store, Outbox outbox, Messages messages,
                               CourseCatalog catalog, String baseUrl) {
        this.pool = pool;
        this.clock = clock;
        this.store = store;
        this.outbox = outbox;
        this.messages = messages;
        this.catalog = catalog;
        this.baseUrl = baseUrl;
    }

    /** The @handles in a post, lower-cased, without trailing punctuation. */
    static List<String> mentions(String body) {
        Set<String> handles = new LinkedHashSet<>();
        Matcher m = MENTION.matcher(body == null ? "" : body);
        while (m.find()) {
            String h = m.group(1).replaceAll("[._-]+$", "").toLowerCase(Locale.ROOT);
            if (!h.isEmpty()) handles.add(h);
        }
        return List.copyOf(handles);
    }

    /** Records and mails the notifications for a new post, inside the post's own transaction. */
    Future<Void> onPost(SqlClient tx, long threadId, String title, Course course, String cohortId, boolean openForCohort, boolean replyFirst, int number,
                        long authorId, String authorName, boolean anonymous, Integer replyTo, String body, Instant now) {
        String courseLang = Messages.supported(course.definition().language());
        String link = baseUrl + "/courses/" + course.id() + "/" + cohortId + "/threads/" + threadId
                + (number > 1 ? "?after=" + (number - 1) : "") + "#post-" + number;
        // Each mail in the language its recipient chose, else the course's (listed first: the store's fallback).
        List<NotificationStore.Texts> texts = new ArrayList<>();
        texts.add(texts(courseLang, title, link, anonymous, authorName));
        for (String lang : Messages.LANGUAGES) if (!lang.equals(courseLang)) texts.add(texts(lang, title, link, anonymous, authorName));
        return store.notifyPost(tx, threadId, number, authorId, replyTo, mentions(body), course.id(), cohortId, facilitatorEmails(course),
                openForCohort, replyFirst, now, texts);
    }

    private NotificationStore.Texts texts(String lang, String title, String link, boolean anonymous, String authorName) {
        // An anonymous author stays anonymous in mail too.
        String authorShown = anonymous ? messages.get(lang, "post.anonymous") : authorName;
        return new NotificationStore.Texts(lang,
                messages.get(lang, "notify.reply.subject", title),
                messages.get(lang, "notify.mention.subject", title),
                messages.get(lang, "notify.followed.subject", title),
                messages.get(lang, "notify.reply.body", authorShown, title, link),
                messages.get(lang, "notify.mention.body", authorShown, title, link),
                messages.get(lang, "notify.followed.body", authorShown, title, link));
    }

    /**
     * Tells who nominated or voted for a meetup question that its harvest arrived in the thread, in the publication's
     * transaction: a notification per thread and person (kind {@code harvest}) for those who may read the thread now
     * ({@link ThreadRules#mayBeNotifiedSql}: not who left the cohort), and one mail per person and meetup listing their
     * threads, for those who want mail at once (the others find it in their digest, or nowhere if they chose none).
     * {@code openModules}: the modules open for the whole cohort now.
     */
    public Future<Integer> onHarvest(SqlClient tx, Course course, String cohortId, String meetupTitle, List<DiscussionStore.CoursePost> posts,
                                     java.util.Collection<String> openModules, Instant now) {
        if (posts.isEmpty()) return Future.succeededFuture(0);
        String courseLang = Messages.supported(course.definition().language());
        List<String> langs = new ArrayList<>();
        langs.add(courseLang);
        for (String lang : Messages.LANGUAGES) if (!lang.equals(courseLang)) langs.add(lang);
        List<String> subjects = langs.stream().map(l -> messages.get(l, "notify.harvest.subject", meetupTitle)).toList();
        List<String> bodies = langs.stream().map(l -> messages.get(l, "notify.harvest.body", meetupTitle, baseUrl + "/me/notifications")).toList();
        return store.notifyVoters(tx, course.id(), cohortId, posts, facilitatorEmails(course), openModules, now, langs, subjects, bodies,
                baseUrl + "/courses/" + course.id() + "/" + cohortId + "/threads/");
    }

    /** The course's facilitators' addresses in lower case, as the rules' SQL twin compares them. */
    static List<String> facilitatorEmails(Course course) {
        return course.definition().facilitators().stream().map(Person::email).map(e -> e.toLowerCase(Locale.ROOT)).toList();
    }

    public Future<String> mode(long accountId) {
        return store.mode(pool, accountId);
    }

    public Future<Void> setMode(long accountId, String mode) {
        if (mode == null || !MODES.contains(mode)) return Future.failedFuture(HttpProblem.badRequest("notify.badMode"));
        return store.setMode(pool, accountId, mode);
    }

    /** Sends the digests that are due; answers how many. Every node may run this; a digest goes out once. */
    public Future<Integer> sendDigests() {
        if (digesting) return Future.succeededFuture(0);
        digesting = true;
        Instant now = clock.instant();
        Map<String, List<String>> facilitators = new LinkedHashMap<>();
        List<String> replyFirst = new ArrayList<>();
        for (Course c : catalog.courses()) {
            facilitators.put(c.id(), facilitatorEmails(c));
            replyFirst.addAll(ThreadRules.replyFirstKeys(c));
        }
        return pool.withTransaction(tx -> store.claimDigests(tx, now, facilitators, replyFirst).compose(lines -> {
                    List<Mail> mails = digestMails(lines, now);
                    return outbox.enqueueAll(tx, mails, now).map(mails.size());
                }))
                .onComplete(ar -> digesting = false);
    }

    private List<Mail> digestMails(List<NotificationStore.DigestLine> lines, Instant now) {
        Map<String, List<NotificationStore.DigestLine>> byPerson = new LinkedHashMap<>();
        for (NotificationStore.DigestLine line : lines) byPerson.computeIfAbsent(line.email(), k -> new ArrayList<>()).add(line);
        List<Mail> mails = new ArrayList<>();
        for (var entry : byPerson.entrySet()) {
            NotificationStore.DigestLine first = entry.getValue().get(0);
            String lang = Messages.forRecipient(first.language(),
                    catalog.course(first.courseId()).map(c -> c.definition().language()).orElse(null));
            StringBuilder text = new StringBuilder(messages.get(lang, "notify.digest.intro")).append("\n\n");
            for (NotificationStore.DigestLine l : entry.getValue()) {
                String link = baseUrl + "/courses/" + l.courseId() + "/" + l.cohortId() + "/threads/" + l.threadId()
                        + (l.postNumber() > 1 ? "?after=" + (l.postNumber() - 1) : "") + "#post-" + l.postNumber();
                text.append("- ").append(messages.get(lang, "notify.digest." + l.kind(), l.threadTitle())).append("\n  ").append(link).append("\n");
            }
            text.append("\n").append(messages.get(lang, "notify.digest.settings", baseUrl + "/me/notifications")).append("\n");
            mails.add(new Mail(entry.getKey(), messages.get(lang, "notify.digest.subject", entry.getValue().size()), text.toString(),
                    "digest:" + entry.getKey().toLowerCase(Locale.ROOT) + ":" + now.toEpochMilli()).bulk());
        }
        return mails;
    }
}
