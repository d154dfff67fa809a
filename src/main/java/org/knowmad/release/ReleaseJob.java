package org.knowmad.release;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.cohort.CohortService;
import org.knowmad.notify.MailRules;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.Course;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Timetable;
import org.knowmad.web.Messages;
import org.knowmad.web.Templates;

/**
 * Opens modules: records each due release once, and in the same transaction opens the module's prompt
 * threads (once per cohort), queues the mail to enrolled participants, adds the Atom entry and
 * publishes a live event (NOTIFY, delivered on commit).
 * Every node runs this on a timer; the unique key on {@code module_release} makes whichever node
 * comes first do the work and the others do nothing, also after restarts.
 *
 * <p>A release discovered long after its time (a server that was down, a historic cohort on first
 * start) is recorded without mail: telling people about a module that opened last month is noise.
 */
public final class ReleaseJob {

    public static final String CHANNEL = "knowmad_events";
    static final Duration NOTIFY_WINDOW = Duration.ofHours(24);

    /** A participant with the modules released to them so far. */
    private static final String PARTICIPANT_PROGRESS = """
            SELECT e.course_id, e.cohort_id, e.account_id, e.joined_at,
                   coalesce((SELECT array_agg(r.module_id) FROM module_release r
                             WHERE r.course_id = e.course_id AND r.cohort_id = e.cohort_id AND r.participant_id = e.account_id),
                            '{}') AS released
            FROM enrolment e
            """;

    /**
     * Self-paced participants to look at now: in the cohorts of {@code $1/$2} those whose {@code next_release_at}
     * (V036) has come, in the cohorts of {@code $4/$5} everyone (a schedule this node has not seen: its first round,
     * or a course file that changed it). Two branches rather than one condition with OR, so that the first keeps its
     * index condition on (course, cohort, next_release_at).
     */
    private static final String SELF_PACED_PROGRESS = PARTICIPANT_PROGRESS + """
            JOIN unnest($1::text[], $2::text[]) AS c(course_id, cohort_id)
              ON c.course_id = e.course_id AND c.cohort_id = e.cohort_id
            WHERE e.left_at IS NULL AND (e.next_release_at IS NULL OR e.next_release_at <= $3)
            UNION ALL
            """ + PARTICIPANT_PROGRESS + """
            JOIN unnest($4::text[], $5::text[]) AS c(course_id, cohort_id)
              ON c.course_id = e.course_id AND c.cohort_id = e.cohort_id
            WHERE e.left_at IS NULL""";

    /** When each participant looked at has to be looked at again (NULL in {@code $4}: nothing left, 'infinity'). */
    private static final String NEXT_RELEASE = """
            UPDATE enrolment e SET next_release_at = coalesce(n.next, 'infinity')
            FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS n(course_id, cohort_id, account_id, next)
            WHERE e.course_id = n.course_id AND e.cohort_id = n.cohort_id AND e.account_id = n.account_id
              AND e.next_release_at IS DISTINCT FROM coalesce(n.next, 'infinity')""";

    private static final String RELEASED_COHORT_WIDE = """
            SELECT course_id, cohort_id, module_id FROM module_release WHERE participant_id IS NULL""";

    /**
     * One statement: insert the due releases (conflicts skipped), then for the rows actually inserted
     * queue mail, add feed entries, and NOTIFY. Mail goes to every enrolled participant for a
     * cohort-wide release, to the one participant for a self-paced one, in the language each chose (else the
     * course's; the feed entry is in the course's).
     */
    private static final String RELEASE = """
            WITH due AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[],
                                     $6::boolean[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY
                       AS d(course_id, cohort_id, module_id, participant_id, opens_at, notify, subject, body, path, idx)
            ), translated AS (
                -- The same mail in the other languages, by due row: for those who chose one (the course's is in due).
                SELECT * FROM unnest($18::bigint[], $19::text[], $20::text[], $21::text[]) AS x(idx, lang, subject, body)
            ), released AS (
                INSERT INTO module_release (course_id, cohort_id, module_id, participant_id, opens_at, released_at)
                SELECT course_id, cohort_id, module_id, participant_id, opens_at, $10 FROM due
                ON CONFLICT ON CONSTRAINT module_release_once DO NOTHING
                RETURNING id, course_id, cohort_id, module_id, participant_id
            ), mail AS (
                INSERT INTO outbox (dedupe_key, to_email, subject, body_text, created_at, next_attempt_at, priority)
                SELECT 'release:' || r.id || ':' || a.id, a.email, coalesce(x.subject, d.subject), coalesce(x.body, d.body),
                       $10, $10, 1 /* bulk lane */
                FROM released r
                JOIN due d ON d.course_id = r.course_id AND d.cohort_id = r.cohort_id AND d.module_id = r.module_id
                          AND d.participant_id IS NOT DISTINCT FROM r.participant_id
                JOIN enrolment e ON e.course_id = r.course_id AND e.cohort_id = r.cohort_id AND e.left_at IS NULL
                                AND (r.participant_id IS NULL OR e.account_id = r.participant_id)
                JOIN account a ON a.id = e.account_id
                LEFT JOIN translated x ON x.idx = d.idx AND x.lang = a.language
                WHERE d.notify AND """ + MailRules.NEWS_SQL + """

                ON CONFLICT (dedupe_key) DO NOTHING
                RETURNING 1
            ), prompts AS (
                SELECT * FROM unnest($12::text[], $13::text[], $14::int[], $15::text[], $16::text[], $17::text[])
                       AS p(course_id, module_id, idx, title, body, search_config)
            ), prompt_threads AS (
                INSERT INTO thread (course_id, cohort_id, module_id, title, prompt_index, post_count, created_at, last_posted_at, search_config)
                SELECT DISTINCT r.course_id, r.cohort_id, r.module_id, p.title, p.idx, 1, $10::timestamptz, $10::timestamptz,
                       p.search_config::regconfig
                FROM released r JOIN prompts p ON p.course_id = r.course_id AND p.module_id = r.module_id
                ON CONFLICT (course_id, cohort_id, module_id, prompt_index) WHERE prompt_index IS NOT NULL DO NOTHING
                RETURNING id, course_id, module_id, prompt_index
            ), prompt_posts AS (
                INSERT INTO post (thread_id, number, body, created_at, search_config)
                SELECT t.id, 1, p.body, $10, p.search_config::regconfig FROM prompt_threads t
                JOIN prompts p ON p.course_id = t.course_id AND p.module_id = t.module_id AND p.idx = t.prompt_index
                RETURNING 1
            ), feed AS (
                INSERT INTO feed_entry (course_id, cohort_id, kind, title, path, summary, published_at)
                SELECT r.course_id, r.cohort_id, 'module-opened', d.subject, d.path, d.body, d.opens_at
                FROM released r
                JOIN due d ON d.course_id = r.course_id AND d.cohort_id = r.cohort_id AND d.module_id = r.module_id
                WHERE r.participant_id IS NULL AND d.participant_id IS NULL
                RETURNING 1
            )
            SELECT r.course_id, r.cohort_id, r.module_id, r.participant_id,
                   (SELECT count(*) FROM mail) AS mails,
                   (SELECT count(*) FROM prompt_posts) AS prompts,
                   pg_notify($11, json_build_object('type', 'module-opened', 'course', r.course_id, 'cohort', r.cohort_id,
                                                    'module', r.module_id, 'participant', r.participant_id)::text)
            FROM released r""";

    /** A release carried out by this call. */
    public record Released(String courseId, String cohortId, String moduleId, Long participantId) {
    }

    private final Pool pool;
    private final Clock clock;
    private final CohortService cohorts;
    private final Messages messages;
    private final String baseUrl;
    private final Counter released;
    private final Counter looked;
    private boolean running;
    /** The self-paced schedules this node has looked at every participant of, by "course/cohort". */
    private final Map<String, List<Object>> known = new HashMap<>();

    /** How many self-paced participants this node's job has looked at: a round with nothing due looks at nobody. */
    public long participantsLooked() {
        return (long) looked.count();
    }

    public ReleaseJob(Pool pool, Clock clock, CohortService cohorts, Messages messages, String baseUrl,
                      MeterRegistry metrics) {
        this.released = Counter.builder("knowmad.module.releases")
                .description("Module openings carried out by this node").register(metrics);
        this.looked = Counter.builder("knowmad.release.participants.looked")
                .description("Self-paced participants the release job looked at (those due, and everyone of a schedule new to this node)")
                .register(metrics);
        this.pool = pool;
        this.clock = clock;
        this.cohorts = cohorts;
        this.messages = messages;
        this.baseUrl = baseUrl;
    }

    /** Carries out every release due now; answers those this node did. Overlapping calls on one node are skipped. */
    public Future<List<Released>> runOnce() {
        if (running) return Future.succeededFuture(List.of());
        running = true;
        Instant now = clock.instant();
        return cohorts.catalogue()
                .compose(catalogue -> pool.query(RELEASED_COHORT_WIDE).execute().map(rows -> {
                    java.util.Set<String> done = new java.util.HashSet<>();
                    rows.forEach(r -> done.add(r.getString(0) + "/" + r.getString(1) + "/" + r.getString(2)));
                    return Map.entry(catalogue, done);
                }))
                .compose(state -> {
                    Due due = new Due();
                    List<String> selfCourses = new ArrayList<>();
                    List<String> selfCohorts = new ArrayList<>();
                    Map<String, Course> courseById = new HashMap<>();
                    // Self-paced cohorts by "course/cohort": those of the course file and those started on the web.
                    Map<String, CohortDefinition> selfPaced = new HashMap<>();
                    for (CohortService.CourseCohorts cc : state.getKey()) {
                        courseById.put(cc.course().id(), cc.course());
                        for (CohortDefinition cohort : cc.cohorts()) {
                            if (cohort.selfPaced()) {
                                selfCourses.add(cc.course().id());
                                selfCohorts.add(cohort.id());
                                selfPaced.put(cc.course().id() + "/" + cohort.id(), cohort);
                            } else {
                                addCohortWide(due, cc.course(), cohort, state.getValue(), now);
                            }
                        }
                    }
                    if (selfPaced.isEmpty()) return Future.succeededFuture(due);
                    // A schedule is known by what decides it: the course's definition and the cohort's.
                    Map<String, List<Object>> schedules = new HashMap<>();
                    List<String> newCourses = new ArrayList<>();
                    List<String> newCohorts = new ArrayList<>();
                    List<String> dueCourses = new ArrayList<>();
                    List<String> dueCohorts = new ArrayList<>();
                    for (int i = 0; i < selfCourses.size(); i++) {
                        String key = selfCourses.get(i) + "/" + selfCohorts.get(i);
                        List<Object> schedule = List.of(courseById.get(selfCourses.get(i)).definition(), selfPaced.get(key));
                        schedules.put(key, schedule);
                        boolean seen = schedule.equals(known.get(key));
                        (seen ? dueCourses : newCourses).add(selfCourses.get(i));
                        (seen ? dueCohorts : newCohorts).add(selfCohorts.get(i));
                    }
                    return pool.preparedQuery(SELF_PACED_PROGRESS)
                            .execute(Tuple.tuple().addValue(dueCourses.toArray(String[]::new)).addValue(dueCohorts.toArray(String[]::new))
                                    .addValue(now.atOffset(ZoneOffset.UTC))
                                    .addValue(newCourses.toArray(String[]::new)).addValue(newCohorts.toArray(String[]::new)))
                            .map(rows -> {
                                looked.increment(rows.size());
                                // One schedule per cohort, not one per participant (a cohort's first round reads all of them).
                                Map<String, CohortSchedule> scheduleOf = new HashMap<>();
                                for (Row row : rows) {
                                    String key = row.getString("course_id") + "/" + row.getString("cohort_id");
                                    Course course = courseById.get(row.getString("course_id"));
                                    CohortDefinition cohort = selfPaced.get(key);
                                    if (course == null || cohort == null) continue;
                                    CohortSchedule schedule = scheduleOf.computeIfAbsent(key, k -> CohortSchedule.of(course.definition(), cohort));
                                    addSelfPaced(due, course, cohort.id(), schedule, row, now);
                                }
                                for (int i = 0; i < newCourses.size(); i++) {
                                    String key = newCourses.get(i) + "/" + newCohorts.get(i);
                                    due.looked.put(key, schedules.get(key));
                                }
                                return due;
                            });
                })
                .compose(due -> (due.isEmpty() ? Future.succeededFuture(List.<Released>of()) : release(due, now))
                        // Only once the releases are in: a failed round leaves everyone due, to be tried again.
                        .compose(done -> nextRelease(due).map(v -> {
                            known.putAll(due.looked);
                            return done;
                        })))
                .onComplete(ar -> running = false);
    }

    private Future<Void> nextRelease(Due due) {
        if (due.nextAccounts.isEmpty()) return Future.succeededFuture();
        return pool.preparedQuery(NEXT_RELEASE).execute(Tuple.tuple()
                        .addValue(due.nextCourses.toArray(String[]::new)).addValue(due.nextCohorts.toArray(String[]::new))
                        .addValue(due.nextAccounts.toArray(Long[]::new)).addValue(due.nextAt.toArray(OffsetDateTime[]::new)))
                .mapEmpty();
    }

    private void addCohortWide(Due due, Course course, CohortDefinition cohort, java.util.Set<String> done, Instant now) {
        Timetable timeline = CohortSchedule.of(course.definition(), cohort).forParticipant(now);
        for (ModuleDefinition m : course.definition().modules()) {
            if (done.contains(course.id() + "/" + cohort.id() + "/" + m.id())) continue;
            Instant opensAt = timeline.opensAt(m.id()).orElseThrow();
            if (now.isBefore(opensAt)) continue;
            boolean notify = Duration.between(opensAt, now).compareTo(NOTIFY_WINDOW) <= 0;
            due.add(course, cohort.id(), m, null, opensAt, notify);
        }
    }

    private void addSelfPaced(Due due, Course course, String cohortId, CohortSchedule schedule, Row row, Instant now) {
        Instant joinedAt = row.getOffsetDateTime("joined_at").toInstant();
        java.util.Set<String> released = new java.util.HashSet<>(java.util.Arrays.asList(row.getArrayOfStrings("released")));
        Timetable timeline = schedule.forParticipant(joinedAt);
        Instant next = null;
        for (ModuleDefinition m : course.definition().modules()) {
            if (released.contains(m.id())) continue;
            Instant opensAt = timeline.opensAt(m.id()).orElseThrow();
            if (now.isBefore(opensAt)) {
                if (next == null || opensAt.isBefore(next)) next = opensAt;
                continue;
            }
            // Modules open on joining are on the page the participant is looking at: no mail for those.
            boolean notify = opensAt.isAfter(joinedAt) && Duration.between(opensAt, now).compareTo(NOTIFY_WINDOW) <= 0;
            due.add(course, cohortId, m, row.getLong("account_id"), opensAt, notify);
        }
        due.nextCourses.add(course.id());
        due.nextCohorts.add(cohortId);
        due.nextAccounts.add(row.getLong("account_id"));
        due.nextAt.add(next == null ? null : next.atOffset(ZoneOffset.UTC));
    }

    private Future<List<Released>> release(Due due, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        Tuple params = Tuple.tuple()
                .addValue(due.courses.toArray(String[]::new))
                .addValue(due.cohorts.toArray(String[]::new))
                .addValue(due.modules.toArray(String[]::new))
                .addValue(due.participants.toArray(Long[]::new))
                .addValue(due.opensAt.toArray(OffsetDateTime[]::new))
                .addValue(due.notify.toArray(Boolean[]::new))
                .addValue(due.subjects.toArray(String[]::new))
                .addValue(due.bodies.toArray(String[]::new))
                .addValue(due.paths.toArray(String[]::new))
                .addValue(at)
                .addValue(CHANNEL)
                .addValue(due.promptCourses.toArray(String[]::new))
                .addValue(due.promptModules.toArray(String[]::new))
                .addValue(due.promptIndexes.toArray(Integer[]::new))
                .addValue(due.promptTitles.toArray(String[]::new))
                .addValue(due.promptBodies.toArray(String[]::new))
                .addValue(due.promptConfigs.toArray(String[]::new))
                .addValue(due.textRows.toArray(Long[]::new))
                .addValue(due.textLangs.toArray(String[]::new))
                .addValue(due.textSubjects.toArray(String[]::new))
                .addValue(due.textBodies.toArray(String[]::new));
        return pool.withTransaction(tx -> tx.preparedQuery(RELEASE).execute(params)).map(rows -> {
            List<Released> done = new ArrayList<>();
            for (Row r : rows) {
                done.add(new Released(r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"), r.getLong("participant_id")));
            }
            released.increment(done.size());
            return done;
        });
    }

    /** Column-wise due releases, ready to be bound as arrays. */
    private final class Due {
        final List<String> courses = new ArrayList<>();
        final List<String> cohorts = new ArrayList<>();
        final List<String> modules = new ArrayList<>();
        final List<Long> participants = new ArrayList<>();
        final List<OffsetDateTime> opensAt = new ArrayList<>();
        final List<Boolean> notify = new ArrayList<>();
        final List<String> subjects = new ArrayList<>();
        final List<String> bodies = new ArrayList<>();
        final List<String> paths = new ArrayList<>();
        final java.util.Set<String> promptsAdded = new java.util.HashSet<>();
        final List<String> promptCourses = new ArrayList<>();
        final List<String> promptModules = new ArrayList<>();
        final List<Integer> promptIndexes = new ArrayList<>();
        final List<String> promptTitles = new ArrayList<>();
        final List<String> promptBodies = new ArrayList<>();
        final List<String> promptConfigs = new ArrayList<>();
        final List<Long> textRows = new ArrayList<>();
        final List<String> textLangs = new ArrayList<>();
        final List<String> textSubjects = new ArrayList<>();
        final List<String> textBodies = new ArrayList<>();
        /** Each participant looked at and their next opening (null: none left); the schedules looked at in full. */
        final List<String> nextCourses = new ArrayList<>();
        final List<String> nextCohorts = new ArrayList<>();
        final List<Long> nextAccounts = new ArrayList<>();
        final List<OffsetDateTime> nextAt = new ArrayList<>();
        final Map<String, List<Object>> looked = new HashMap<>();

        void add(Course course, String cohortId, ModuleDefinition m, Long participant, Instant at, boolean sendMail) {
            String lang = Messages.supported(course.definition().language());
            String path = "/courses/" + course.id() + "/" + cohortId + "/modules/" + m.id();
            if (sendMail) {
                // Row numbers as WITH ORDINALITY counts them (from 1): this row is the next one.
                for (String other : Messages.LANGUAGES) {
                    if (other.equals(lang)) continue;
                    textRows.add((long) courses.size() + 1);
                    textLangs.add(other);
                    textSubjects.add(subject(other, course, m));
                    textBodies.add(body(other, course, m, path, at));
                }
            }
            courses.add(course.id());
            cohorts.add(cohortId);
            modules.add(m.id());
            participants.add(participant);
            opensAt.add(at.atOffset(ZoneOffset.UTC));
            notify.add(sendMail);
            subjects.add(subject(lang, course, m));
            bodies.add(body(lang, course, m, path, at));
            paths.add(path);
            if (promptsAdded.add(course.id() + "/" + m.id())) {
                for (int i = 0; i < m.prompts().size(); i++) {
                    promptCourses.add(course.id());
                    promptModules.add(m.id());
                    promptIndexes.add(i);
                    promptTitles.add(m.prompts().get(i).title());
                    String body = m.prompts().get(i).body();
                    promptBodies.add(body == null || body.isBlank() ? m.prompts().get(i).title() : body);
                    promptConfigs.add(org.knowmad.discussion.SearchConfig.of(course.definition().language()));
                }
            }
        }

        boolean isEmpty() {
            return courses.isEmpty();
        }

        private String subject(String lang, Course course, ModuleDefinition m) {
            return messages.get(lang, "release.mail.subject", m.title(), course.definition().title());
        }

        private String body(String lang, Course course, ModuleDefinition m, String path, Instant at) {
            return messages.get(lang, "release.mail.body", m.title(), course.definition().title(), baseUrl + path,
                    Templates.formatTime(at, course.definition().zone(), lang));
        }
    }
}
