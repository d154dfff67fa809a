package org.knowmad.circles;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRef;
import org.knowmad.course.CirclesDefinition;
import org.knowmad.meetup.Round;
import org.knowmad.meetup.TableAllocator;
import org.knowmad.pulse.ActivityRecorder;
import org.knowmad.web.HttpProblem;
import org.knowmad.web.IdempotencyStore;
import org.knowmad.web.Idempotent;

/**
 * A cohort's circles: participants opt in (choosing a background, if the course offers some), a facilitator forms
 * circles with the meetup's mixer (after that, someone who asks joins a circle with room at once), members talk in
 * their circle, and anyone may leave. Forming is one transaction
 * under a per-cohort lock, so two nodes (or two clicks) never make a circle twice or place someone twice; posting
 * claims the request's idempotency key in its transaction, so a retried post lands once.
 */
public final class CircleService {

    public static final int MAX_BODY = 10_000;
    /** A circle's conversation shows its latest posts; small groups rarely reach this. */
    static final int SHOWN_POSTS = 300;

    public record Overview(boolean facilitator, boolean optedIn, String background, Long myCircle, List<CircleStore.Circle> circles,
                           long waiting, List<String> backgrounds, int size) {
    }

    public record CirclePage(CircleStore.Circle circle, boolean member, List<CircleStore.Post> posts) {
    }

    /** What one forming did: circles made, newcomers placed, circles there are now, people still waiting. */
    public record Formed(int made, int placed, int circles, int waiting) {
    }

    private final Pool pool;
    private final Pool reads;
    private final Clock clock;
    private final CircleRules rules;
    private final CircleStore store = new CircleStore();
    private final IdempotencyStore idempotency;
    private final ActivityRecorder activity;

    public CircleService(Pool pool, Pool reads, Clock clock, CircleRules rules, IdempotencyStore idempotency, ActivityRecorder activity) {
        this.activity = activity;
        this.pool = pool;
        this.reads = reads;
        this.clock = clock;
        this.rules = rules;
        this.idempotency = idempotency;
    }

    public CircleRules rules() {
        return rules;
    }

    static CirclesDefinition definition(CohortRef ref) {
        return ref.course().definition().circles();
    }

    static boolean on(CohortAccess a) {
        return definition(a.ref()) != null;
    }

    private static long me(CohortAccess a) {
        return a.viewer().signedIn() ? a.viewer().accountId() : 0;
    }

    public Future<Overview> overview(CohortAccess a) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.seeCircles(a, on(a)).require();
            String course = a.ref().courseId();
            String cohort = a.ref().cohortId();
            Future<Optional<Long>> mine = store.myCircle(reads, course, cohort, me(a));
            Future<Optional<Optional<String>>> optIn = store.optIn(reads, course, cohort, me(a));
            Future<Long> waiting = rules.seeAllCircles(a) ? store.waiting(reads, course, cohort) : Future.succeededFuture(0L);
            return Future.all(mine, optIn, waiting).compose(all -> {
                Long my = mine.result().orElse(null);
                Future<List<CircleStore.Circle>> circles = rules.seeAllCircles(a) ? store.circles(reads, course, cohort, null)
                        : my == null ? Future.succeededFuture(List.of()) : store.circles(reads, course, cohort, my);
                return circles.map(list -> new Overview(rules.seeAllCircles(a), optIn.result().isPresent(),
                        optIn.result().flatMap(o -> o).orElse(null), my, list, waiting.result(), definition(a.ref()).backgrounds(),
                        definition(a.ref()).size()));
            });
        });
    }

    /** One circle as the viewer may see it; 404 for anyone but its members and the facilitators. */
    public Future<CirclePage> circle(CohortAccess a, long circleId) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.seeCircles(a, on(a)).require();
            return store.circles(reads, a.ref().courseId(), a.ref().cohortId(), circleId);
        }).compose(found -> {
            if (found.isEmpty()) return Future.failedFuture(HttpProblem.notFound());
            CircleStore.Circle c = found.get(0);
            boolean member = c.has(me(a));
            rules.seeCircle(a, true, member).require();
            // Reading and writing in one's circle is taking part, as in a thread: the pulse counts it (no module).
            activity.record(a, "", ActivityRecorder.Kind.READS);
            return store.posts(reads, c.id(), SHOWN_POSTS).map(posts -> new CirclePage(c, member, posts));
        });
    }

    /** Asks to be placed in a circle at the next forming, with a background from the course's list or none. */
    public Future<Void> optIn(CohortAccess a, String rawBackground) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.takePart(a, on(a)).require();
            String background = rawBackground == null || rawBackground.isBlank() ? null : rawBackground.strip();
            if (background != null && !definition(a.ref()).backgrounds().contains(background)) {
                throw HttpProblem.badRequest("circles.unknownBackground");
            }
            return store.optIn(pool, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId(), background, clock.instant());
        }).compose(v -> place(a, true)).mapEmpty();
    }

    /** Leaves circles: out of one's circle (which stays for the others) and no longer waiting for one. */
    public Future<Void> leave(CohortAccess a) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.takePart(a, on(a)).require();
            return pool.withTransaction(tx -> store.optOut(tx, a.ref().courseId(), a.ref().cohortId(), a.viewer().accountId(), clock.instant()));
        });
    }

    public Future<Long> post(CohortAccess a, long circleId, String rawBody, Idempotent<Long> once) {
        String body = rawBody == null ? "" : rawBody.strip();
        return Future.<Void>succeededFuture().compose(x -> {
            rules.seeCircles(a, on(a)).require();
            return store.circles(reads, a.ref().courseId(), a.ref().cohortId(), circleId);
        }).compose(found -> {
            if (found.isEmpty()) return Future.failedFuture(HttpProblem.notFound());
            rules.post(a, true, found.get(0).has(me(a))).require();
            if (body.isEmpty()) throw HttpProblem.badRequest("circles.bodyRequired");
            if (body.length() > MAX_BODY) throw HttpProblem.badRequest("circles.bodyTooLong", MAX_BODY);
            Instant now = clock.instant();
            return idempotency.transaction(pool, once, now, tx -> store.post(tx, circleId, a.viewer().accountId(), body, now))
                    .onSuccess(id -> activity.record(a, "", ActivityRecorder.Kind.REPLIES));
        });
    }

    /**
     * Forms circles for everyone who opted in and is not in one yet. The first time, all of them are split into
     * circles of about the course's size; later, newcomers join circles with room (the smallest first) or make new
     * ones, and nobody already in a circle moves. The meetup's mixer seats them, treating people of the same
     * background as if they had met, so it spreads them over the circles.
     */
    public Future<Formed> form(CohortAccess a) {
        return Future.<Void>succeededFuture().compose(x -> {
            rules.form(a, on(a)).require();
            return place(a, false);
        });
    }

    /**
     * The forming itself, for a facilitator's "form circles now" or, once a cohort has circles ({@code joining}), for
     * a participant who just asked: they join a circle with room straight away. Joining never makes a circle or
     * grows one past the largest size; with no room anywhere the person waits for the facilitators' next forming.
     */
    private Future<Formed> place(CohortAccess a, boolean joining) {
        return Future.<Void>succeededFuture().compose(x -> {
            String course = a.ref().courseId();
            String cohort = a.ref().cohortId();
            int size = definition(a.ref()).size();
            Instant now = clock.instant();
            return pool.withTransaction(tx -> store.lock(tx, course, cohort)
                    .compose(v -> Future.all(store.candidates(tx, course, cohort), store.existing(tx, course, cohort)))
                    .compose(both -> {
                        List<CircleStore.Candidate> candidates = both.resultAt(0);
                        List<CircleStore.Existing> existing = both.resultAt(1);
                        Placement plan = plan(candidates, existing, size, (course + "/" + cohort).hashCode() * 31L + existing.size());
                        if (plan.newcomers().isEmpty() || joining && (plan.newCircles() > 0 || overflows(plan, size))) {
                            return Future.succeededFuture(new Formed(0, 0, existing.size(), candidates.size() - placedBefore(candidates)));
                        }
                        int top = existing.stream().mapToInt(CircleStore.Existing::number).max().orElse(0);
                        List<Integer> numbers = new ArrayList<>();
                        for (int i = 0; i < plan.newCircles(); i++) numbers.add(top + 1 + i);
                        return store.newCircles(tx, course, cohort, numbers, a.viewer().accountId(), now).compose(made -> {
                            if (made.size() != numbers.size()) return Future.failedFuture(new HttpProblem(409, "circles.busy"));
                            List<Long> circleIds = new ArrayList<>();
                            for (CircleStore.Existing e : existing) circleIds.add(e.id());
                            for (int n : numbers) circleIds.add(made.get(n));
                            List<Long> at = new ArrayList<>();
                            List<Long> who = new ArrayList<>();
                            List<String> backgrounds = new ArrayList<>();
                            for (CircleStore.Candidate c : plan.newcomers()) {
                                at.add(circleIds.get(plan.round().tableOf().get(c.accountId())));
                                who.add(c.accountId());
                                backgrounds.add(c.background());
                            }
                            return store.place(tx, course, cohort, at, who, backgrounds, now)
                                    .map(v -> new Formed(made.size(), who.size(), circleIds.size(), 0));
                        });
                    }));
        });
    }

    /** Whether the plan puts more than the largest size in any circle (only a facilitator's forming may do that). */
    private static boolean overflows(Placement plan, int size) {
        return java.util.Arrays.stream(plan.round().sizes()).anyMatch(n -> n > CirclePlan.largest(size));
    }

    private static int placedBefore(List<CircleStore.Candidate> candidates) {
        return (int) candidates.stream().filter(c -> c.circle() != null).count();
    }

    /** Who is new, how many new circles, and where the mixer seats everyone (existing members where they are). */
    record Placement(List<CircleStore.Candidate> newcomers, int newCircles, Round round) {
    }

    static Placement plan(List<CircleStore.Candidate> candidates, List<CircleStore.Existing> existing, int size, long seed) {
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < existing.size(); i++) index.put(existing.get(i).id(), i);
        int[] sizes = new int[existing.size()];
        Map<Long, Integer> fixed = new HashMap<>();
        List<CircleStore.Candidate> newcomers = new ArrayList<>();
        List<Long> people = new ArrayList<>();
        for (CircleStore.Candidate c : candidates) {
            people.add(c.accountId());
            if (c.circle() != null && index.containsKey(c.circle())) {
                fixed.put(c.accountId(), index.get(c.circle()));
                sizes[index.get(c.circle())]++;
            } else {
                newcomers.add(c);
            }
        }
        int[] seats = CirclePlan.refill(sizes, newcomers.size(), size);
        if (newcomers.isEmpty() || seats.length == 0) return new Placement(List.of(), 0, null);
        // Same background = "met before": the mixer avoids seating such pairs together, as it avoids repeat pairs at the café.
        Map<String, Integer> groups = new HashMap<>();
        Map<Long, Integer> byBackground = new HashMap<>();
        for (CircleStore.Candidate c : candidates) {
            if (c.background() != null) byBackground.put(c.accountId(), groups.computeIfAbsent(c.background(), b -> groups.size()));
        }
        List<Round> earlier = byBackground.isEmpty() ? List.of() : List.of(new Round(0, byBackground));
        Round round = TableAllocator.fill(seats, people, fixed, earlier, seed);
        return new Placement(newcomers, seats.length - existing.size(), round);
    }
}
