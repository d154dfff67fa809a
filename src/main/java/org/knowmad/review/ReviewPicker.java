package org.knowmad.review;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which submission a reviewer gets when they ask for the next one. Pure: the server loads the
 * snapshot and the reviewer's history in its transaction, asks here for the ranking and claims the
 * first candidate it can lock; if that one is gone it tries the next, so a whole ranking is returned
 * rather than one pick.
 */
public final class ReviewPicker {

    /** Extras go where they help most: least reviewed, then oldest, then id for determinism. */
    private static final Comparator<Candidate> EXTRA = (a, b) -> {
        int byReviews = Integer.compare(a.taken(), b.taken());
        if (byReviews != 0) {
            return byReviews;
        }
        int byAge = a.submittedAt().compareTo(b.submittedAt());
        return byAge != 0 ? byAge : Long.compare(a.id(), b.id());
    };

    private ReviewPicker() {
    }

    /**
     * Candidates that still need reviews, best first; never the reviewer's own, never one in
     * {@code touched}, never one with {@code completed + openClaims >= k}. The ranking is
     * {@link ReviewOrder#forDemand chosen} from {@code expectedRemainingReviews} against the pool's
     * {@link ReviewDemand#onTimeShortfall on-time shortfall}.
     *
     * @param pool every submitted submission of the module, late ones included
     * @param touched submission ids this reviewer has reviewed or currently claims
     * @param k reviews each submission should get, at least 1
     * @param expectedRemainingReviews e.g. {@link ReviewDemand#expectedRemaining}
     */
    public static List<Candidate> order(List<Candidate> pool, long reviewerId, Set<Long> touched, int k,
            int expectedRemainingReviews) {
        return sorted(open(pool, reviewerId, touched, k), mode(pool, k, expectedRemainingReviews).comparator());
    }

    /** As {@link #order(List, long, Set, int, int)} with the ranking fixed by the caller. */
    public static List<Candidate> order(List<Candidate> pool, long reviewerId, Set<Long> touched, int k,
            ReviewOrder mode) {
        Objects.requireNonNull(mode, "mode");
        return sorted(open(pool, reviewerId, touched, k), mode.comparator());
    }

    /**
     * When nothing needs reviews: the least-reviewed submission (completed + openClaims ascending,
     * then oldest, then id) that is not the reviewer's own and not touched, for an "extra" review;
     * empty if none. On-time and late are not told apart here: an extra goes to whoever has had least.
     * Call it only after {@link #order} came back empty; otherwise it may return a submission that
     * still needs regular reviews.
     */
    public static Optional<Candidate> extra(List<Candidate> pool, long reviewerId, Set<Long> touched) {
        return available(pool, reviewerId, touched).stream().min(EXTRA);
    }

    /**
     * Every candidate but the reviewer's own in the order {@link #extra} takes them (least reviewed, oldest, id): the
     * database passes over what the reviewer reviewed or holds and takes the first left.
     */
    public static List<Candidate> extras(List<Candidate> pool, long reviewerId) {
        return sorted(available(pool, reviewerId, Set.of()), EXTRA);
    }

    /** The ranking {@link ReviewOrder#forDemand chosen} for the pool's on-time shortfall and the reviews still expected. */
    private static ReviewOrder mode(List<Candidate> pool, int k, int expectedRemainingReviews) {
        if (expectedRemainingReviews < 0) {
            throw new IllegalArgumentException("expectedRemainingReviews < 0: " + expectedRemainingReviews);
        }
        return ReviewOrder.forDemand(expectedRemainingReviews, ReviewDemand.onTimeShortfall(pool, k));
    }

    /** Candidates with a slot left ({@code taken < k}), not the reviewer's own, not touched; in pool order. */
    private static List<Candidate> open(List<Candidate> pool, long reviewerId, Set<Long> touched, int k) {
        ReviewDemand.requireK(k);
        List<Candidate> open = new ArrayList<>();
        for (Candidate c : available(pool, reviewerId, touched)) {
            if (c.taken() < k) {
                open.add(c);
            }
        }
        return open;
    }

    private static List<Candidate> sorted(List<Candidate> items, Comparator<Candidate> order) {
        List<Candidate> all = new ArrayList<>(items);
        all.sort(order);
        return all;
    }

    /** The heads of {@link #order} and of {@link #extras}: the first {@code limit} of each. */
    public record Heads(List<Candidate> ranked, List<Candidate> extras) {
    }

    /**
     * The first {@code limit} of {@link #order(List, long, Set, int, int)} (nothing passed over) and of
     * {@link #extras(List, long)}, in one pass over the pool with two bounded heaps: "review next" ranks a module's
     * thousand submissions on every claim, and a thousand reviewers asking at once run it before the JIT has compiled
     * it (~0.3 ms a claim then, README › Peer review), where every pass and copy counts.
     */
    public static Heads heads(List<Candidate> pool, long reviewerId, int k, int expectedRemainingReviews, int limit) {
        if (limit < 0) throw new IllegalArgumentException("limit < 0: " + limit);
        Comparator<Candidate> order = mode(pool, k, expectedRemainingReviews).comparator();
        Best<Candidate> ranked = new Best<>(order, limit);
        Best<Candidate> extras = new Best<>(EXTRA, limit);
        for (Candidate c : pool) {
            if (c.authorId() == reviewerId) continue;
            extras.offer(c);
            if (c.taken() < k) ranked.offer(c);
        }
        return new Heads(ranked.sorted(), extras.sorted());
    }

    /** The {@code limit} least items offered, in {@code order}: a bounded max-heap of the best so far. */
    private static final class Best<T> {
        private final Comparator<? super T> order;
        private final int limit;
        private final java.util.PriorityQueue<T> heap;

        Best(Comparator<? super T> order, int limit) {
            this.order = order;
            this.limit = limit;
            this.heap = new java.util.PriorityQueue<>((int) Math.min(limit + 1L, 1_024), order.reversed()); // a capacity, not a bound
        }

        void offer(T item) {
            if (heap.size() < limit) {
                heap.add(item);
            } else if (limit > 0 && order.compare(item, heap.peek()) < 0) {
                heap.poll();
                heap.add(item);
            }
        }

        List<T> sorted() {
            List<T> out = new ArrayList<>(heap);
            out.sort(order);
            return out;
        }
    }

    private static List<Candidate> available(List<Candidate> pool, long reviewerId, Set<Long> touched) {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(touched, "touched");
        List<Candidate> out = new ArrayList<>(pool.size());
        boolean none = touched.isEmpty(); // "review next" passes none: the database knows them (no id boxed per candidate)
        for (Candidate c : pool) {
            if (c.authorId() != reviewerId && (none || !touched.contains(c.id()))) {
                out.add(c);
            }
        }
        return out;
    }
}
