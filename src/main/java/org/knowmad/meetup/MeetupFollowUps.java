package org.knowmad.meetup;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.knowmad.cohort.CohortService;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.MeetupDefinition;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.discussion.SearchConfig;
import org.knowmad.live.LiveEvents;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Timetable;
import org.knowmad.web.Messages;

/**
 * The meetup's follow-up prompt ({@code meetup.follow_up} in the course file, e.g. P42D): that long after a cohort's
 * meetup ends, a thread "What changed since the café?" opens in the cohort, by the course (like a module's prompts),
 * with an Atom entry and a live event. Every node runs this on a timer, like {@code release/ReleaseJob}: the claim in
 * {@code meetup_follow_up} (one row per cohort) makes whichever node comes first open it, once, also after restarts;
 * claim, thread, first post and feed entry commit together.
 *
 * <p>A follow-up found more than {@link #LATE} after its time (switched on for a course with past cohorts, a server
 * down for weeks) is not opened: asking a cohort from long ago what changed since its café is noise.
 */
public final class MeetupFollowUps {

    private static final String OPENED = "SELECT course_id, cohort_id FROM meetup_follow_up";

    /** Claims the due cohorts; answers those claimed now (another node may have come first). */
    private static final String CLAIM = """
            INSERT INTO meetup_follow_up (course_id, cohort_id, opened_at)
            SELECT c, k, $3 FROM unnest($1::text[], $2::text[]) AS x(c, k)
            ON CONFLICT (course_id, cohort_id) DO NOTHING RETURNING course_id, cohort_id""";

    /** For the claimed cohorts: the thread, its first post, the feed entry and the live event, in one statement. */
    private static final String OPEN = """
            WITH due AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
                       AS d(course_id, cohort_id, module_id, title, body, search_config, path)
            ), threads AS (
                INSERT INTO thread (course_id, cohort_id, module_id, title, post_count, created_at, last_posted_at, search_config)
                SELECT course_id, cohort_id, module_id, title, 1, $8, $8, search_config::regconfig FROM due
                RETURNING id, course_id, cohort_id
            ), posts AS (
                INSERT INTO post (thread_id, number, body, created_at, search_config)
                SELECT t.id, 1, d.body, $8, d.search_config::regconfig FROM threads t JOIN due d USING (course_id, cohort_id)
                RETURNING 1
            ), feed AS (
                INSERT INTO feed_entry (course_id, cohort_id, kind, title, path, summary, published_at)
                SELECT t.course_id, t.cohort_id, 'meetup-follow-up', d.title, d.path || t.id, d.body, $8
                FROM threads t JOIN due d USING (course_id, cohort_id)
                RETURNING 1
            )
            SELECT t.id, t.course_id, t.cohort_id, (SELECT count(*) FROM posts) + (SELECT count(*) FROM feed) AS written,
                   pg_notify($9, json_build_object('type', 'thread-created', 'course', t.course_id, 'cohort', t.cohort_id,
                                                   'thread', t.id, 'number', 1)::text)
            FROM threads t""";

    private static final String LINK = """
            UPDATE meetup_follow_up f SET thread_id = x.thread FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(c, k, thread)
            WHERE f.course_id = x.c AND f.cohort_id = x.k""";

    static final java.time.Duration LATE = java.time.Duration.ofDays(14);

    /** A follow-up thread opened by this call. */
    public record Opened(String courseId, String cohortId, long threadId) {
    }

    private final Pool pool;
    private final Clock clock;
    private final CohortService cohorts;
    private final Messages messages;
    private boolean running;

    public MeetupFollowUps(Pool pool, Clock clock, CohortService cohorts, Messages messages) {
        this.pool = pool;
        this.clock = clock;
        this.cohorts = cohorts;
        this.messages = messages;
    }

    /** When a cohort's follow-up thread opens: {@code follow_up} after its meetup ends; none without either. */
    public static Optional<Instant> opensAt(CourseDefinition course, CohortDefinition cohort) {
        MeetupDefinition meetup = course.meetup();
        if (meetup == null || meetup.followUp() == null || cohort.selfPaced()) return Optional.empty();
        Timetable timeline = CohortSchedule.of(course, cohort).forParticipant(Instant.EPOCH); // a shared pace: nobody's join counts
        return timeline.meetupEnds().or(timeline::meetupStarts).map(end -> end.plus(meetup.followUp()));
    }

    /**
     * The module the follow-up thread lives in: the last one open when it opens (everyone who sees the thread has
     * come that far), else the first.
     */
    static ModuleDefinition module(CourseDefinition course, CohortDefinition cohort, Instant at) {
        Timetable timeline = CohortSchedule.of(course, cohort).forParticipant(Instant.EPOCH);
        ModuleDefinition chosen = course.modules().get(0);
        Instant latest = null;
        for (ModuleDefinition m : course.modules()) {
            Instant opens = timeline.opensAt(m.id()).orElse(null);
            if (opens == null || opens.isAfter(at)) continue;
            if (latest == null || !opens.isBefore(latest)) {
                latest = opens;
                chosen = m;
            }
        }
        return chosen;
    }

    /** Opens the follow-up threads due now; answers those this node opened. Overlapping calls on one node are skipped. */
    public Future<List<Opened>> runOnce() {
        if (running) return Future.succeededFuture(List.of());
        running = true;
        Instant now = clock.instant();
        return cohorts.catalogue().compose(catalogue -> pool.query(OPENED).execute().map(rows -> {
                    Set<String> opened = new HashSet<>();
                    for (Row r : rows) opened.add(r.getString(0) + "/" + r.getString(1));
                    List<Due> due = new ArrayList<>();
                    for (CohortService.CourseCohorts cc : catalogue) {
                        for (CohortDefinition cohort : cc.cohorts()) {
                            if (opened.contains(cc.course().id() + "/" + cohort.id())) continue;
                            Optional<Instant> at = opensAt(cc.course().definition(), cohort);
                            if (at.isPresent() && !now.isBefore(at.get()) && now.isBefore(at.get().plus(LATE))
                                    && !cc.course().definition().modules().isEmpty()) {
                                due.add(due(cc.course(), cohort, at.get()));
                            }
                        }
                    }
                    return due;
                }))
                .compose(due -> due.isEmpty() ? Future.succeededFuture(List.<Opened>of()) : open(due, now))
                .onComplete(ar -> running = false);
    }

    private record Due(String courseId, String cohortId, String moduleId, String title, String body, String searchConfig, String path) {
    }

    private Due due(Course course, CohortDefinition cohort, Instant at) {
        CourseDefinition def = course.definition();
        MeetupDefinition meetup = def.meetup();
        String lang = Messages.supported(def.language());
        String meetupTitle = meetup.title() != null ? meetup.title() : messages.get(lang, "meetup.followUp.theMeetup");
        String title = meetup.followUpTitle() != null ? meetup.followUpTitle() : messages.get(lang, "meetup.followUp.title", meetupTitle);
        String body = meetup.followUpPrompt() != null ? meetup.followUpPrompt() : messages.get(lang, "meetup.followUp.body", meetupTitle);
        return new Due(course.id(), cohort.id(), module(def, cohort, at).id(), title, body, SearchConfig.of(def.language()),
                "/courses/" + course.id() + "/" + cohort.id() + "/threads/");
    }

    private Future<List<Opened>> open(List<Due> due, Instant now) {
        var at = now.atOffset(ZoneOffset.UTC);
        // Tuples built value by value: Tuple.of(array, array, ...) would spread an array into values.
        return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.tuple()
                        .addValue(due.stream().map(Due::courseId).toArray(String[]::new))
                        .addValue(due.stream().map(Due::cohortId).toArray(String[]::new)).addValue(at))
                .compose(rows -> {
                    Set<String> claimed = new HashSet<>();
                    for (Row r : rows) claimed.add(r.getString(0) + "/" + r.getString(1));
                    List<Due> mine = due.stream().filter(d -> claimed.contains(d.courseId() + "/" + d.cohortId())).toList();
                    if (mine.isEmpty()) return Future.succeededFuture(List.<Opened>of());
                    return tx.preparedQuery(OPEN).execute(Tuple.tuple()
                                    .addValue(mine.stream().map(Due::courseId).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::cohortId).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::moduleId).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::title).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::body).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::searchConfig).toArray(String[]::new))
                                    .addValue(mine.stream().map(Due::path).toArray(String[]::new))
                                    .addValue(at).addValue(LiveEvents.CHANNEL))
                            .compose(opened -> {
                                List<Opened> list = new ArrayList<>();
                                for (Row r : opened) list.add(new Opened(r.getString("course_id"), r.getString("cohort_id"), r.getLong("id")));
                                return tx.preparedQuery(LINK).execute(Tuple.tuple()
                                        .addValue(list.stream().map(Opened::courseId).toArray(String[]::new))
                                        .addValue(list.stream().map(Opened::cohortId).toArray(String[]::new))
                                        .addValue(list.stream().map(Opened::threadId).toArray(Long[]::new))).map(list);
                            });
                }));
    }
}
