package org.knowmad.review;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntBiFunction;

/**
 * An in-memory cohort doing peer review on one module, driving {@link ReviewPicker} the way the server
 * will: a reviewer asks "next", the simulator takes a snapshot, claims the first candidate (or an extra
 * when none), and the claim is open until it finishes or its lease expires. Every ask is checked against
 * an independent oracle; a broken invariant throws {@link AssertionError} naming the scenario.
 *
 * <p>Time is in minutes from the module's deadline. On-time submissions arrive in the week before it,
 * late ones in the five days after it; reviewing starts at the deadline. The run ends when nobody has
 * anything left to do, so no result depends on an arbitrary cut-off.
 */
final class ReviewSimulation {

    static final long DAY = 24 * 60;
    static final long LEASE = 4 * 60;
    private static final Instant DEADLINE = Instant.parse("2025-03-10T12:00:00Z");

    /** How the simulated server ranks: the real mode switch, or one ranking throughout for comparison. */
    enum Picking { SWITCHING, FEWEST_FIRST_ONLY, CLOSEST_TO_DONE_ONLY }

    /** What a participant does about reviewing. */
    enum Kind {
        /** Never asks. */
        SILENT,
        /** Gives up after fewer than the quota. */
        PARTIAL,
        /** Does the whole quota, maybe extras after it. */
        FULL
    }

    /**
     * @param lateShare chance that a participant submits late
     * @param silentShare chance that a participant never reviews
     * @param partialShare chance that a reviewing participant stops before the quota
     * @param dropRate chance that a claim expires unfinished
     * @param returnAfterDrop chance that a reviewer whose claim expired comes back at all
     * @param extraShare chance that a full reviewer wants one or two extras after the quota
     */
    record Scenario(long seed, int participants, int k, double lateShare, double silentShare, double partialShare,
            double dropRate, double returnAfterDrop, double extraShare) {
    }

    /** One participant: their submission and their reviewing. */
    record Participant(long id, long submissionId, long submittedAt, boolean late, Kind kind, int stamina) {
    }

    /**
     * The end state.
     *
     * @param completed finished reviews per participant's submission, same index as {@code participants}
     * @param reviewersOf who finished a review of each submission
     * @param done finished reviews per reviewer (regular and extra)
     * @param quit reviewers who gave up after an expired claim
     */
    record Outcome(Scenario scenario, Picking picking, List<Participant> participants, int[] completed,
            long[] firstReviewAt, List<Set<Integer>> reviewersOf, int[] done, boolean[] quit, int asks,
            int regularClaims, int extraClaims, int expiredClaims, int closestToDoneAsks) {

        /**
         * How long on-time authors wait for their first finished review, in minutes from the deadline,
         * summed; a submission never reviewed counts as waiting {@code never} minutes. Fewest-first
         * exists to keep this low.
         */
        long totalWaitForFirstReview(long never) {
            long sum = 0;
            for (int i = 0; i < participants.size(); i++) {
                if (!participants.get(i).late()) {
                    sum += firstReviewAt[i] == Long.MAX_VALUE ? never : firstReviewAt[i];
                }
            }
            return sum;
        }

        List<Long> shortOnTime() {
            return shortOnes(false);
        }

        List<Long> shortLate() {
            return shortOnes(true);
        }

        /** What the server would queue for a facilitator: on-time submissions below k, by id. */
        private List<Long> shortOnes(boolean late) {
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < participants.size(); i++) {
                if (participants.get(i).late() == late && completed[i] < scenario.k()) {
                    out.add(participants.get(i).submissionId());
                }
            }
            Collections.sort(out);
            return out;
        }

        int onTimeCount() {
            return (int) participants.stream().filter(p -> !p.late()).count();
        }
    }

    private record Claim(int submission, int reviewer, long at, long endsAt, boolean finishes, boolean extra) {
    }

    /** A reviewer asking for the next submission, or (reviewer -1) a late submission arriving. */
    private record Ask(long time, long seq, int reviewer, int arrival) {
    }

    /** The estimate the simulated server uses in {@link Picking#SWITCHING}. */
    static final ToIntBiFunction<Map<Long, Integer>, Integer> DEFAULT_ESTIMATE = ReviewDemand::expectedRemaining;

    private final Scenario scenario;
    private final Picking picking;
    private final Random random;
    private final ToIntBiFunction<Map<Long, Integer>, Integer> estimate;
    private final int k;
    private final int quota;
    private final List<Participant> participants = new ArrayList<>();
    private final int[] indexBySlot; // submission id 5000 + 3 * slot -> participant index, without boxing
    private final List<Instant> submittedAt = new ArrayList<>();

    // live state, settled up to `now`
    private final int[] completed;
    private final long[] firstReviewAt;
    private final Map<Long, Integer> reviewerCounts = new HashMap<>();
    private final int[] open;
    private final int[] done;
    private final boolean[] holding;
    private final boolean[] quit;
    private final boolean[] waiting;
    private final List<Set<Integer>> reviewersOf = new ArrayList<>();
    private final boolean[][] reviewed; // [submission][reviewer], the same as reviewersOf, for the hot checks
    private final List<Set<Long>> touched = new ArrayList<>();
    private final PriorityQueue<Claim> running = new PriorityQueue<>((a, b) -> Long.compare(a.endsAt(), b.endsAt()));
    // arrivals before asks at the same minute, so a snapshot never holds a submission its author is not in
    private final PriorityQueue<Ask> events = new PriorityQueue<>((a, b) -> a.time() != b.time()
            ? Long.compare(a.time(), b.time())
            : a.reviewer() < 0 != b.reviewer() < 0 ? (a.reviewer() < 0 ? -1 : 1) : Long.compare(a.seq(), b.seq()));
    private long seq;
    private int asks;
    private int regularClaims;
    private int extraClaims;
    private int expiredClaims;
    private int closestToDoneAsks;

    private ReviewSimulation(Scenario scenario, Picking picking, ToIntBiFunction<Map<Long, Integer>, Integer> estimate) {
        this.scenario = scenario;
        this.picking = picking;
        this.estimate = estimate;
        this.random = new Random(scenario.seed());
        this.k = scenario.k();
        this.quota = ReviewDemand.quota(k);
        int n = scenario.participants();
        indexBySlot = new int[n];
        reviewed = new boolean[n][n];
        // submission ids in a shuffled order, so that the id tie-break is not the participant order
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(5_000L + 3L * i);
        }
        Collections.shuffle(ids, random);
        for (int i = 0; i < n; i++) {
            boolean late = random.nextDouble() < scenario.lateShare();
            // minutes: on-time within the week before the deadline, late within five days after it
            long at = late ? 1 + random.nextInt((int) (5 * DAY)) : -1 - random.nextInt((int) (7 * DAY));
            Kind kind = random.nextDouble() < scenario.silentShare() ? Kind.SILENT
                    : random.nextDouble() < scenario.partialShare() ? Kind.PARTIAL : Kind.FULL;
            int stamina = switch (kind) {
                case SILENT -> 0;
                case PARTIAL -> 1 + random.nextInt(quota - 1);
                case FULL -> quota + (random.nextDouble() < scenario.extraShare() ? 1 + random.nextInt(2) : 0);
            };
            participants.add(new Participant(1 + i, ids.get(i), at, late, kind, stamina));
            if (!late) {
                reviewerCounts.put(1L + i, 0);
            }
            indexBySlot[(int) ((ids.get(i) - 5_000L) / 3)] = i;
            submittedAt.add(DEADLINE.plusSeconds(60 * at));
            reviewersOf.add(new HashSet<>());
            touched.add(new HashSet<>());
        }
        completed = new int[n];
        firstReviewAt = new long[n];
        Arrays.fill(firstReviewAt, Long.MAX_VALUE);
        open = new int[n];
        done = new int[n];
        holding = new boolean[n];
        quit = new boolean[n];
        waiting = new boolean[n];
    }

    static Outcome run(Scenario scenario, Picking picking) {
        return run(scenario, picking, DEFAULT_ESTIMATE);
    }

    static Outcome run(Scenario scenario, Picking picking, ToIntBiFunction<Map<Long, Integer>, Integer> estimate) {
        return new ReviewSimulation(scenario, picking, estimate).simulate();
    }

    private Outcome simulate() {
        for (int i = 0; i < participants.size(); i++) {
            Participant p = participants.get(i);
            if (p.late()) {
                events.add(new Ask(p.submittedAt(), seq++, -1, i)); // the arrival wakes waiting reviewers
            }
            if (p.kind() != Kind.SILENT) {
                schedule(i, Math.max(0, p.submittedAt()) + random.nextInt((int) (3 * DAY)));
            }
        }
        while (!events.isEmpty()) {
            Ask ask = events.poll();
            settle(ask.time());
            if (ask.reviewer() < 0) {
                reviewerCounts.put(participants.get(ask.arrival()).id(), done[ask.arrival()]);
                for (int r = 0; r < waiting.length; r++) {
                    if (waiting[r]) {
                        waiting[r] = false;
                        schedule(r, ask.time() + random.nextInt((int) DAY));
                    }
                }
            } else {
                ask(ask.reviewer(), ask.time());
            }
        }
        settle(Long.MAX_VALUE);
        checkEnd();
        return new Outcome(scenario, picking, List.copyOf(participants), completed.clone(), firstReviewAt.clone(), reviewersOf,
                done.clone(), quit.clone(), asks, regularClaims, extraClaims, expiredClaims, closestToDoneAsks);
    }

    private void schedule(int reviewer, long time) {
        events.add(new Ask(time, seq++, reviewer, -1));
    }

    /** Finishes and expires every claim whose time has come. */
    private void settle(long now) {
        while (!running.isEmpty() && running.peek().endsAt() <= now) {
            Claim c = running.poll();
            open[c.submission()]--;
            holding[c.reviewer()] = false;
            long id = participants.get(c.submission()).submissionId();
            if (c.finishes()) {
                completed[c.submission()]++;
                firstReviewAt[c.submission()] = Math.min(firstReviewAt[c.submission()], c.endsAt());
                done[c.reviewer()]++;
                reviewerCounts.computeIfPresent(participants.get(c.reviewer()).id(), (who, n) -> n + 1);
                reviewed[c.submission()][c.reviewer()] = true;
                if (!reviewersOf.get(c.submission()).add(c.reviewer())) {
                    throw fail("reviewer " + participants.get(c.reviewer()).id() + " finished submission " + id + " twice");
                }
            } else {
                expiredClaims++;
                touched.get(c.reviewer()).remove(id); // an expired claim is no longer "currently claims"
            }
        }
    }

    private void ask(int r, long now) {
        Participant me = participants.get(r);
        if (done[r] >= me.stamina() || quit[r]) {
            return;
        }
        if (holding[r]) {
            throw fail("reviewer " + me.id() + " asked while holding a claim");
        }
        asks++;
        List<Candidate> pool = snapshot(now);
        Set<Long> mine = Set.copyOf(touched.get(r));
        int shortfall = oracleShortfall(pool);
        int expected = estimate.applyAsInt(Collections.unmodifiableMap(reviewerCounts), k);
        ReviewOrder mode = switch (picking) {
            case SWITCHING -> expected < shortfall ? ReviewOrder.CLOSEST_TO_DONE : ReviewOrder.FEWEST_FIRST;
            case FEWEST_FIRST_ONLY -> ReviewOrder.FEWEST_FIRST;
            case CLOSEST_TO_DONE_ONLY -> ReviewOrder.CLOSEST_TO_DONE;
        };
        if (mode == ReviewOrder.CLOSEST_TO_DONE) {
            closestToDoneAsks++;
        }
        List<Candidate> ranked = picking == Picking.SWITCHING
                ? ReviewPicker.order(pool, me.id(), mine, k, expected)
                : ReviewPicker.order(pool, me.id(), mine, k, mode);
        checkRanking(pool, r, ranked, mode);
        if (!ranked.isEmpty()) {
            claim(r, ranked.get(0), now, false);
            return;
        }
        Optional<Candidate> extra = ReviewPicker.extra(pool, me.id(), mine);
        checkExtra(pool, r, extra);
        if (extra.isPresent()) {
            claim(r, extra.get(), now, true);
        } else {
            waiting[r] = true; // everything is reviewed or own; a late arrival may give work again
        }
    }

    private void claim(int r, Candidate chosen, long now, boolean extra) {
        int s = index(chosen.id());
        Participant me = participants.get(r);
        // the invariants, on the simulator's own state rather than on the snapshot the picker saw
        if (participants.get(s).id() == me.id()) {
            throw fail("self-review: " + me.id() + " got own submission " + chosen.id());
        }
        if (reviewed[s][r]) {
            throw fail("reviewer " + me.id() + " got submission " + chosen.id() + " a second time");
        }
        if (participants.get(s).submittedAt() > now) {
            throw fail("submission " + chosen.id() + " offered before it was submitted");
        }
        if (!extra && completed[s] + open[s] >= k) {
            throw fail("over-claim: submission " + chosen.id() + " has " + completed[s] + " + " + open[s] + " with k=" + k);
        }
        boolean finishes = random.nextDouble() >= scenario.dropRate();
        long endsAt = finishes ? now + 15 + random.nextInt((int) LEASE - 15) : now + LEASE;
        running.add(new Claim(s, r, now, endsAt, finishes, extra));
        open[s]++;
        holding[r] = true;
        touched.get(r).add(chosen.id());
        if (extra) {
            extraClaims++;
        } else {
            regularClaims++;
        }
        if (finishes) {
            schedule(r, endsAt + random.nextInt((int) DAY));
        } else if (random.nextDouble() < scenario.returnAfterDrop()) {
            schedule(r, endsAt + random.nextInt((int) (2 * DAY)));
        } else {
            quit[r] = true;
        }
    }

    private List<Candidate> snapshot(long now) {
        List<Candidate> pool = new ArrayList<>();
        for (int i = 0; i < participants.size(); i++) {
            Participant p = participants.get(i);
            if (p.submittedAt() <= now) {
                pool.add(new Candidate(p.submissionId(), p.id(), p.late(), submittedAt.get(i),
                        completed[i], open[i]));
            }
        }
        Collections.shuffle(pool, random); // the database guarantees no row order
        return pool;
    }

    private int oracleShortfall(List<Candidate> pool) {
        int sum = 0;
        for (Candidate c : pool) {
            int s = index(c.id());
            if (!participants.get(s).late() && completed[s] + open[s] < k) {
                sum += k - completed[s] - open[s];
            }
        }
        return sum;
    }

    /** Exactly the eligible ones, each once, and every neighbour pair in the order the issue asks for. */
    private void checkRanking(List<Candidate> pool, int r, List<Candidate> ranked, ReviewOrder mode) {
        int eligible = 0;
        for (Candidate c : pool) {
            int s = index(c.id());
            if (s != r && !reviewed[s][r] && completed[s] + open[s] < k) {
                eligible++;
            }
        }
        boolean[] seen = new boolean[participants.size()];
        for (Candidate c : ranked) {
            int s = index(c.id());
            if (seen[s] || s == r || reviewed[s][r] || completed[s] + open[s] >= k) {
                throw fail("ranking for " + participants.get(r).id() + " wrongly holds " + c);
            }
            seen[s] = true;
        }
        if (ranked.size() != eligible) {
            throw fail("ranking for " + participants.get(r).id() + " holds " + ranked.size() + " of " + eligible + " eligible");
        }
        for (int i = 1; i < ranked.size(); i++) {
            if (!before(ranked.get(i - 1), ranked.get(i), mode)) {
                throw fail(mode + ": " + ranked.get(i - 1) + " ranked before " + ranked.get(i));
            }
        }
    }

    /** The rule written out once more, independently of {@link ReviewOrder}. */
    private static boolean before(Candidate a, Candidate b, ReviewOrder mode) {
        if (a.late() != b.late()) {
            return !a.late();
        }
        int ta = a.completed() + a.openClaims();
        int tb = b.completed() + b.openClaims();
        if (ta != tb) {
            return mode == ReviewOrder.FEWEST_FIRST ? ta < tb : ta > tb;
        }
        if (!a.submittedAt().equals(b.submittedAt())) {
            return a.submittedAt().isBefore(b.submittedAt());
        }
        return a.id() < b.id();
    }

    private void checkExtra(List<Candidate> pool, int r, Optional<Candidate> extra) {
        Candidate best = null;
        for (Candidate c : pool) {
            int s = index(c.id());
            if (s == r || reviewed[s][r]) {
                continue;
            }
            if (best == null || c.taken() < best.taken()
                    || c.taken() == best.taken() && (c.submittedAt().isBefore(best.submittedAt())
                            || c.submittedAt().equals(best.submittedAt()) && c.id() < best.id())) {
                best = c;
            }
        }
        if (!Optional.ofNullable(best).equals(extra)) {
            throw fail("extra for " + participants.get(r).id() + " was " + extra + ", expected " + best);
        }
    }

    /**
     * Nobody who still wanted to review was left out: a submission below k at the end was reviewed, or
     * could not be reviewed, by every reviewer who still had reviews left to give.
     */
    private void checkEnd() {
        for (int s = 0; s < participants.size(); s++) {
            if (completed[s] >= k) {
                continue;
            }
            for (int r = 0; r < participants.size(); r++) {
                Participant p = participants.get(r);
                if (r != s && p.kind() != Kind.SILENT && !quit[r] && done[r] < p.stamina()
                        && !reviewed[s][r]) {
                    throw fail("submission " + participants.get(s).submissionId() + " ended with " + completed[s]
                            + " reviews while reviewer " + p.id() + " still had " + (p.stamina() - done[r]) + " to give");
                }
            }
        }
    }

    private int index(long submissionId) {
        return indexBySlot[(int) ((submissionId - 5_000L) / 3)];
    }

    private AssertionError fail(String message) {
        return new AssertionError(message + " [" + picking + ", " + scenario + "]");
    }
}
