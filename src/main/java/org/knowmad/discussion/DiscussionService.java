package org.knowmad.discussion;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortService;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.ModuleView;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;
import org.knowmad.web.Viewer;

/**
 * The rules of discussions. Who may read or write a thread: the course's facilitators, and participants
 * enrolled in its cohort once its module is open for them; everyone else gets 403 (or 401 to sign in).
 */
public final class DiscussionService {

    public static final int PAGE_SIZE = 50;
    static final int MAX_TITLE = 200;
    static final int MAX_BODY = 20_000;
    static final int POSTS_PER_MINUTE = 10;

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final CohortService cohorts;
    private final DiscussionStore store;
    private final NotificationService notifications;
    private final ThreadRules rules;
    private final IdempotencyStore idempotency;
    private final ActivityRecorder activity;

    public DiscussionService(Pool pool, Pool reads, Clock clock, CohortService cohorts, DiscussionStore store,
                             NotificationService notifications, ThreadRules rules, IdempotencyStore idempotency, ActivityRecorder activity) {
        this.activity = activity;
        this.idempotency = idempotency;
        this.notifications = notifications;
        this.rules = rules;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.cohorts = cohorts;
        this.store = store;
    }

    /**
     * Posts by the course (author NULL, like a prompt) into threads of one cohort, in the caller's transaction: the
     * meetup's harvest flowing back. Closed threads receive them too (see {@code MeetupRules}); each is announced live.
     */
    public Future<List<DiscussionStore.CoursePost>> postAsCourse(io.vertx.sqlclient.SqlClient tx, String courseId, String cohortId, List<Long> threads,
                                                                 List<String> bodies, Instant now) {
        return store.coursePosts(tx, courseId, cohortId, threads, bodies, now);
    }

    /** The rules every discussion page, API answer and recipient list is decided by. */
    public ThreadRules rules() {
        return rules;
    }

    public Future<CohortAccess> access(Viewer viewer, String courseId, String cohortId) {
        return cohorts.access(viewer, courseId, cohortId);
    }

    /** A thread with the access that let the viewer in. */
    public record ThreadAccess(CohortAccess access, ThreadRow thread, ModuleView module) {
    }

    /** The viewer's access to a module's discussions, or the refusal (locked, not enrolled...). */
    public Future<ModuleAccess> module(Viewer viewer, String courseId, String cohortId, String moduleId) {
        return cohorts.access(viewer, courseId, cohortId).map(access -> {
            ModuleView module = cohorts.moduleView(access, moduleId, clock.instant());
            rules.see(access, module).require();
            return new ModuleAccess(access, module);
        });
    }

    /** Access to one module of one cohort. */
    public record ModuleAccess(CohortAccess access, ModuleView module) {
    }

    /** One page of a module's threads in the asked order and filter ("following" and "mine" need someone signed in). */
    public Future<List<ThreadRow>> threads(ModuleAccess m, ThreadList list) {
        if (list.filter() != ThreadList.Filter.ALL && !m.access().viewer().signedIn()) {
            return Future.failedFuture(HttpProblem.signInRequired());
        }
        return store.moduleThreads(reads, m.access().ref().courseId(), m.access().ref().cohortId(), m.module().id(), list,
                viewerId(m.access()));
    }

    /** Whether this thread is a reply-first prompt of its course (as the course's YAML says now). */
    public boolean replyFirst(ThreadAccess t) {
        return ThreadRules.replyFirst(t.access().ref().course().definition(), t.thread());
    }

    /** Whether this thread is a "what went wrong" prompt. */
    public boolean mistakes(ThreadAccess t) {
        return ThreadRules.mistakes(t.access().ref().course().definition(), t.thread());
    }

    /** Whether the viewer sees the others' answers in this thread ({@link ThreadRules#seeOthersAnswers}). */
    public boolean seesOthers(ThreadAccess t) {
        return rules.seeOthersAnswers(t.access(), replyFirst(t), t.thread().answered());
    }

    /** Finds a thread of this cohort the viewer may read; 404 for a thread of another cohort. */
    public Future<ThreadAccess> thread(Viewer viewer, String courseId, String cohortId, long threadId) {
        // The path names the cohort, so the thread and the viewer's standing in that cohort are read side by side:
        // one round trip fewer on every thread page.
        Future<java.util.Optional<ThreadRow>> found = store.thread(reads, threadId, viewer.signedIn() ? viewer.accountId() : 0);
        Future<CohortAccess> standing = cohorts.access(viewer, courseId, cohortId);
        return Future.all(found, standing).map(both -> {
            ThreadRow thread = found.result().filter(t -> t.courseId().equals(courseId) && t.cohortId().equals(cohortId))
                    .orElseThrow(HttpProblem::notFound);
            return threadAccess(standing.result(), thread);
        });
    }

    /** The same for the API, where the path names only the thread. */
    public Future<ThreadAccess> thread(Viewer viewer, long threadId) {
        return store.thread(reads, threadId, viewer.signedIn() ? viewer.accountId() : 0)
                .compose(found -> threadAccess(viewer, found.orElseThrow(HttpProblem::notFound)));
    }

    private Future<ThreadAccess> threadAccess(Viewer viewer, ThreadRow thread) {
        return cohorts.access(viewer, thread.courseId(), thread.cohortId()).map(access -> threadAccess(access, thread));
    }

    private ThreadAccess threadAccess(CohortAccess access, ThreadRow thread) {
        ModuleView module = cohorts.moduleView(access, thread.moduleId(), clock.instant());
        rules.see(access, module).require();
        return new ThreadAccess(access, thread, module);
    }

    public Future<List<PostRow>> posts(ThreadAccess t, int afterNumber) {
        return posts(t, afterNumber, PAGE_SIZE);
    }

    private static long viewerId(CohortAccess access) {
        return access.viewer().signedIn() ? access.viewer().accountId() : 0;
    }

    static final int MAX_QUERY = 200;

    /** Searches the cohort's discussions in the modules this viewer may read. */
    public Future<List<DiscussionStore.Hit>> search(CohortAccess access, String rawQuery) {
        // Who may search is asked first: even an empty search page is for members.
        Decision may = rules.cohorts().readModules(access);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        String query = rawQuery == null ? "" : rawQuery.strip();
        if (query.isEmpty()) return Future.succeededFuture(List.of());
        if (query.length() > MAX_QUERY) return Future.failedFuture(HttpProblem.badRequest("search.tooLong", MAX_QUERY));
        List<String> open = rules.cohorts().readableModules(access, CohortService.modules(access, clock.instant()));
        return store.search(reads, access.ref().courseId(), access.ref().cohortId(), access.ref().course().definition().language(),
                query, open, access.facilitator(), viewerId(access), ThreadRules.replyFirstKeys(access.ref().course()),
                NotificationService.facilitatorEmails(access.ref().course()));
    }

    /** The person an @mention names, for members of the cohort; 404 if nobody in the cohort has that handle. */
    public Future<DiscussionStore.Person> person(CohortAccess access, String rawHandle) {
        Decision may = rules.cohorts().readModules(access);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        String handle = rawHandle == null ? "" : rawHandle.trim().toLowerCase(java.util.Locale.ROOT);
        List<String> facilitators = access.ref().course().definition().facilitators().stream()
                .map(p -> p.email().toLowerCase(java.util.Locale.ROOT)).toList();
        List<String> open = rules.cohorts().readableModules(access, CohortService.modules(access, clock.instant()));
        return store.person(reads, access.ref().courseId(), access.ref().cohortId(), handle, facilitators, open, viewerId(access),
                        ThreadRules.replyFirstKeys(access.ref().course()))
                .map(found -> found.orElseThrow(HttpProblem::notFound));
    }

    /** Records that the viewer has read up to {@code number} (members only; nothing for visitors or facilitators' previews). */
    public Future<Void> markRead(ThreadAccess t, int number) {
        if (!t.access().viewer().signedIn() || number <= t.thread().lastRead()) return Future.succeededFuture();
        return store.markRead(reads, t.thread().id(), t.access().viewer().accountId(), number);
    }

    /**
     * Records that the viewer has read the page of posts after {@code after} that {@code posts} brings. Post numbers
     * have no gaps (a removed post stays as a marker), so the page ends at the thread's last number or a page further:
     * the mark is written beside the page's read instead of after it. Only where some posts are held back (reply
     * first, before one's own answer) does it wait for the page to know the last one shown.
     */
    public Future<Void> markPageRead(ThreadAccess t, int after, Future<List<PostRow>> posts) {
        if (seesOthers(t)) return markRead(t, Math.min(Math.max(0, after) + PAGE_SIZE, t.thread().postCount()));
        return posts.compose(shown -> markRead(t, shown.isEmpty() ? 0 : shown.get(shown.size() - 1).number()));
    }

    public Future<Void> follow(ThreadAccess t, boolean on) {
        Decision may = rules.follow(t.access(), t.module());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return store.follow(pool, t.thread().id(), t.access().viewer().accountId(), on, clock.instant());
    }

    /**
     * A page of a thread's posts read before the thread and the viewer's standing in it are known, so that all go
     * out in one round trip. Nothing is shown from it unless {@link #posts(ThreadAccess, int, Future)} says so.
     */
    public Future<List<PostRow>> postsAhead(Viewer viewer, long threadId, int afterNumber) {
        return store.posts(reads, threadId, Math.max(0, afterNumber), PAGE_SIZE, viewer.signedIn() ? viewer.accountId() : 0, true);
    }

    /**
     * The page of posts the viewer may see: the page read ahead where they may see everyone's posts (nearly always),
     * else read again as {@link ThreadRules#seeOthersAnswers} allows.
     */
    public Future<List<PostRow>> posts(ThreadAccess t, int afterNumber, Future<List<PostRow>> ahead) {
        return seesOthers(t) ? ahead : posts(t, afterNumber);
    }

    public Future<List<PostRow>> posts(ThreadAccess t, int afterNumber, int limit) {
        long viewerId = t.access().viewer().signedIn() ? t.access().viewer().accountId() : 0;
        return store.posts(reads, t.thread().id(), Math.max(0, afterNumber), Math.min(Math.max(limit, 1), PAGE_SIZE), viewerId,
                seesOthers(t));
    }

    /** The author edits their post; the old text is kept as a revision. */
    public Future<Void> edit(ThreadAccess t, int number, String rawBody) {
        long me = t.access().viewer().accountId();
        String body = checkBody(rawBody);
        return post(t, number).compose(owner -> {
            Decision may = rules.edit(t.access(), t.module(), t.thread(), owner.authorId(), owner.deleted());
            if (!may.allowed()) return Future.failedFuture(may.refusal());
            Instant now = clock.instant();
            return pool.withTransaction(tx -> store.edit(tx, t.thread().id(), number, body, me, now)
                    .compose(done -> notifyChange(tx, t, number, "post-changed")));
        });
    }

    /** The author or a facilitator removes a post; a "removed" marker stays in its place. */
    public Future<Void> delete(ThreadAccess t, int number) {
        long me = t.access().viewer().accountId();
        return post(t, number).compose(owner -> {
            Decision may = rules.delete(t.access(), t.module(), owner.authorId(), owner.deleted());
            if (!may.allowed()) return Future.failedFuture(may.refusal());
            Instant now = clock.instant();
            return pool.withTransaction(tx -> store.delete(tx, t.thread().id(), number, me, now)
                    .compose(done -> notifyChange(tx, t, number, "post-changed")));
        });
    }

    /** Marks a post helpful (or takes the mark back); answers the new count. Not for one's own posts. */
    public Future<Integer> helpful(ThreadAccess t, int number, boolean on, Idempotent<Integer> once) {
        return react(t, number, "helpful", on, once);
    }

    /**
     * Reacts to a post with a kind the thread takes ("helpful"; "me too" where mistakes are shared; 409 for
     * others), or takes the reaction back; answers the post's count of that kind. Not for one's own posts, nor
     * for a post the viewer may not see yet (reply first: 404, as if it were not there).
     */
    public Future<Integer> react(ThreadAccess t, int number, String kind, boolean on, Idempotent<Integer> once) {
        long me = t.access().viewer().accountId();
        return visiblePost(t, number).compose(owner -> {
            Decision may = rules.reactWith(t.access(), t.module(), owner.authorId(), owner.deleted(), kind, mistakes(t));
            if (!may.allowed()) return Future.failedFuture(may.refusal());
            Instant now = clock.instant();
            return idempotency.transaction(pool, once, now, tx -> store.react(tx, t.thread().id(), number, me, kind, on, now)
                    .compose(count -> notifyChange(tx, t, number, "post-changed").map(count)))
                    .onSuccess(count -> {
                        if (on) activity.record(t.access(), t.module().id(), ActivityRecorder.Kind.REACTIONS);
                    });
        });
    }

    /** Working out loud: the author marks their post "wip" (work in progress) or "help" (asking for help), or null for no mark. */
    public Future<Void> mark(ThreadAccess t, int number, String rawMark) {
        String mark = rawMark == null || rawMark.isBlank() || "none".equals(rawMark) ? null : rawMark.strip();
        if (mark != null && !ThreadRules.MARKS.contains(mark)) return Future.failedFuture(HttpProblem.badRequest("mark.bad"));
        return post(t, number).compose(owner -> {
            Decision may = rules.mark(t.access(), t.module(), owner.authorId(), owner.deleted());
            if (!may.allowed()) return Future.failedFuture(may.refusal());
            return pool.withTransaction(tx -> store.mark(tx, t.thread().id(), number, mark)
                    .compose(done -> notifyChange(tx, t, number, "post-changed")));
        });
    }

    /**
     * A cohort's help requests nobody has answered yet, oldest first: for facilitators (the moderation page, and
     * the pulse, which calls this too).
     */
    public Future<List<DiscussionStore.HelpRequest>> openHelpRequests(CohortAccess access) {
        Decision may = rules.seeHelpRequests(access);
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return store.helpRequests(reads, access.ref().courseId(), access.ref().cohortId());
    }

    /** A facilitator marks a post as a good answer, or takes that back. */
    public Future<Void> endorse(ThreadAccess t, int number, boolean on) {
        Decision may = rules.moderate(t.access());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return owner(t, number).compose(owner -> pool.withTransaction(tx ->
                store.endorse(tx, t.thread().id(), number, on, clock.instant())
                        .compose(done -> notifyChange(tx, t, number, "post-changed"))));
    }

    /** A facilitator pins or closes a thread (null leaves a setting as it is). */
    public Future<Void> settings(ThreadAccess t, Boolean pinned, Boolean closed) {
        Decision may = rules.moderate(t.access());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return pool.withTransaction(tx -> store.threadSettings(tx, t.thread().id(), pinned, closed, clock.instant())
                .compose(v -> notifyChange(tx, t, 0, "thread-changed")));
    }

    /** A post's author and whether it was removed; 404 if the thread has no such post. */
    Future<DiscussionStore.PostOwner> post(ThreadAccess t, int number) {
        return store.postOwner(reads, t.thread().id(), number).map(found -> found.orElseThrow(HttpProblem::notFound));
    }

    /** {@link #post}, and 404 for a post the viewer may not see yet (someone else's answer in a reply-first prompt). */
    Future<DiscussionStore.PostOwner> visiblePost(ThreadAccess t, int number) {
        return post(t, number).map(owner -> {
            if (!rules.seeAnswer(t.access(), replyFirst(t), t.thread().answered(), owner.authorId(), number)) throw HttpProblem.notFound();
            return owner;
        });
    }

    /** The same, refusing a removed post with 410 (for facilitators' actions, which the rules allow on any post). */
    Future<DiscussionStore.PostOwner> owner(ThreadAccess t, int number) {
        return store.postOwner(reads, t.thread().id(), number).map(found -> {
            DiscussionStore.PostOwner owner = found.orElseThrow(HttpProblem::notFound);
            if (owner.deleted()) throw new HttpProblem(410, "post.removed");
            return owner;
        });
    }

    Future<Void> notifyChange(io.vertx.sqlclient.SqlClient tx, ThreadAccess t, int number, String type) {
        return store.notify(tx, event(type, t.thread().courseId(), t.thread().cohortId(), t.thread().id(), number));
    }

    /** Starts a thread with its first post; answers the thread as its author sees it, read in the same transaction. */
    public Future<ThreadRow> startThread(ModuleAccess m, String rawTitle, String rawBody, boolean anonymous, Idempotent<ThreadRow> once) {
        long authorId = m.access().viewer().accountId();
        String title = rawTitle == null ? "" : rawTitle.strip();
        if (title.isEmpty()) return Future.failedFuture(HttpProblem.invalid("title", "thread.titleRequired"));
        if (title.length() > MAX_TITLE) return Future.failedFuture(HttpProblem.invalid("title", "thread.titleTooLong", MAX_TITLE));
        String body = checkBody(rawBody);
        Instant now = clock.instant();
        var ref = m.access().ref();
        Decision may = rules.startThread(m.access(), m.module());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        return rateLimit(authorId, now).compose(v -> idempotency.transaction(pool, once, now, tx ->
                store.insertThread(tx, ref.courseId(), ref.cohortId(), m.module().id(), title, authorId, anonymous,
                        ref.course().definition().language(), now)
                        .compose(id -> store.follow(tx, id, authorId, true, now).map(id))
                        .compose(id -> store.insertPost(tx, id, authorId, anonymous, null, body, now)
                                .compose(n -> notifications.onPost(tx, id, title, ref.course(), ref.cohortId(), openForCohort(m.access(), m.module()), false, 1, authorId,
                                        m.access().viewer().account().displayName(), anonymous, null, body, now))
                                .compose(n -> store.notify(tx, event("thread-created", ref.courseId(), ref.cohortId(), id, 1)
                                        .put("module", m.module().id())))
                                .compose(n -> store.thread(tx, id, authorId))
                                .map(java.util.Optional::orElseThrow))))
                .onSuccess(thread -> activity.record(m.access(), m.module().id(), ActivityRecorder.Kind.THREADS));
    }

    /** Adds a reply; answers its number. */
    public Future<Integer> reply(ThreadAccess t, String rawBody, Integer replyTo, boolean anonymous, Idempotent<Integer> once) {
        long authorId = t.access().viewer().accountId();
        Decision may = rules.reply(t.access(), t.module(), t.thread());
        if (!may.allowed()) return Future.failedFuture(may.refusal());
        String body = checkBody(rawBody);
        Instant now = clock.instant();
        Future<Boolean> target = replyTo == null ? Future.succeededFuture(true) : store.postExists(reads, t.thread().id(), replyTo);
        return target.compose(exists -> {
            if (!exists) return Future.failedFuture(HttpProblem.badRequest("post.noSuchReplyTo", replyTo));
            return rateLimit(authorId, now);
        }).compose(v -> idempotency.transaction(pool, once, now, tx -> store.insertPost(tx, t.thread().id(), authorId, anonymous, replyTo, body, now)
                .compose(number -> {
                    if (number.isEmpty()) return Future.failedFuture(new HttpProblem(409, "thread.closed"));
                    return notifications.onPost(tx, t.thread().id(), t.thread().title(), t.access().ref().course(), t.thread().cohortId(),
                                    openForCohort(t.access(), t.module()), replyFirst(t), number.get(), authorId, t.access().viewer().account().displayName(), anonymous, replyTo, body, now)
                            .compose(notified -> store.follow(tx, t.thread().id(), authorId, true, now)).compose(followed -> store.notify(tx, event("post-created", t.thread().courseId(), t.thread().cohortId(), t.thread().id(), number.get())))
                            .map(number.get());
                })))
                .onSuccess(number -> activity.record(t.access(), t.module().id(), ActivityRecorder.Kind.REPLIES));
    }

    /** Whether the module is open for everyone in the cohort now: in a fixed-pace cohort, when it is open at all. */
    private static boolean openForCohort(CohortAccess access, ModuleView module) {
        return !access.ref().cohort().selfPaced() && module.open();
    }

    private static JsonObject event(String type, String course, String cohort, long thread, int number) {
        return new JsonObject().put("type", type).put("course", course).put("cohort", cohort).put("thread", thread).put("number", number);
    }

    private static String checkBody(String raw) {
        String body = raw == null ? "" : raw.strip();
        if (body.isEmpty()) throw HttpProblem.invalid("body", "post.bodyRequired");
        if (body.length() > MAX_BODY) throw HttpProblem.invalid("body", "post.bodyTooLong", MAX_BODY);
        return body;
    }

    private Future<Void> rateLimit(long authorId, Instant now) {
        return store.recentPostsBy(reads, authorId, now.minus(Duration.ofMinutes(1))).compose(count -> count >= POSTS_PER_MINUTE
                ? Future.failedFuture(new HttpProblem(429, Map.of("retryAfterSeconds", 60), "post.tooFast"))
                : Future.succeededFuture());
    }

    /** What others see as the author: anonymous posts hide the name from peers, never from facilitators or the author. */
    public String shownAuthor(CohortAccess access, Long authorId, String name, boolean anonymous, String anonymousLabel,
                              String courseLabel) {
        if (authorId == null) return courseLabel;
        if (!anonymous) return name;
        return rules.knowAuthor(access, authorId, true) ? name + " (" + anonymousLabel.toLowerCase() + ")" : anonymousLabel;
    }
}
