package org.knowmad.discussion;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import org.knowmad.web.HttpProblem;

/**
 * How a module's thread list is asked for: an order, a filter, where the page starts and how long it is. Read from
 * the query string of the module page and of {@code GET /api/v1/.../threads}; every value is checked against a
 * fixed list, so a wrong one answers 400 saying what is allowed (and never reaches SQL as text).
 *
 * <p>Paging is by keyset: {@code after} is the sort key of the last thread of the previous page, so a thread
 * posted while someone pages never shifts or repeats a page.
 *
 * @param after the previous page's last sort key, or null for the first page
 * @param mark   working out loud: only threads with a post marked "wip" or "help" (null: every thread)
 */
public record ThreadList(Order order, Filter filter, Key after, int limit, String mark) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 200;

    /** The orders, as Discourse and FutureLearn users know them. */
    public enum Order {
        /** Today's order: pinned first, then the thread with the latest post. */
        LATEST,
        /** Newest threads first. */
        NEWEST,
        /** Threads whose posts were marked helpful most often first. */
        HELPFUL,
        /** Threads nobody has replied to yet, newest first. */
        UNANSWERED;

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public enum Filter {
        ALL,
        /** Threads the viewer follows. */
        FOLLOWING,
        /** Threads the viewer started (their anonymous ones too: they are still theirs). */
        MINE;

        public String param() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The sort key of a thread in an order: {@code pinned} and {@code at} (last post or creation) or {@code helpful},
     * and the id that breaks ties. Written as text for the {@code after} parameter.
     */
    public record Key(boolean pinned, Instant at, int helpful, long id) {

        static Key of(Order order, ThreadRow t) {
            return switch (order) {
                case LATEST -> new Key(t.pinned(), t.lastPostedAt(), 0, t.id());
                case NEWEST, UNANSWERED -> new Key(false, t.createdAt(), 0, t.id());
                case HELPFUL -> new Key(false, null, t.helpfulCount(), t.id());
            };
        }

        String text(Order order) {
            return switch (order) {
                case LATEST -> (pinned ? "1" : "0") + "_" + at + "_" + id;
                case NEWEST, UNANSWERED -> at + "_" + id;
                case HELPFUL -> helpful + "_" + id;
            };
        }

        static Key parse(Order order, String raw) {
            String[] p = raw.split("_", -1);
            try {
                return switch (order) {
                    case LATEST -> {
                        if (p.length != 3 || !(p[0].equals("0") || p[0].equals("1"))) throw bad();
                        yield new Key(p[0].equals("1"), Instant.parse(p[1]), 0, id(p[2]));
                    }
                    case NEWEST, UNANSWERED -> {
                        if (p.length != 2) throw bad();
                        yield new Key(false, Instant.parse(p[0]), 0, id(p[1]));
                    }
                    case HELPFUL -> {
                        if (p.length != 2) throw bad();
                        int helpful = Integer.parseInt(p[0]);
                        if (helpful < 0) throw bad();
                        yield new Key(false, null, helpful, id(p[1]));
                    }
                };
            } catch (NumberFormatException | DateTimeParseException e) {
                throw bad();
            }
        }

        private static long id(String s) {
            long id = Long.parseLong(s);
            if (id < 0) throw bad();
            return id;
        }

        private static HttpProblem bad() {
            return HttpProblem.badRequest("threads.badAfter");
        }
    }

    /** The first page in today's order: what a module page shows without parameters. */
    public static ThreadList first() {
        return new ThreadList(Order.LATEST, Filter.ALL, null, DEFAULT_LIMIT, null);
    }

    /**
     * Reads the parameters (each may be null: absent); answers 400 naming the parameter and what it may be.
     */
    public static ThreadList parse(String order, String filter, String after, String limit) {
        return parse(order, filter, after, limit, null);
    }

    /** The same with a mark ({@link ThreadRules#MARKS}; anything else is 400). */
    public static ThreadList parse(String order, String filter, String after, String limit, String mark) {
        if (mark != null && !mark.isEmpty() && !ThreadRules.MARKS.contains(mark)) throw HttpProblem.badRequest("mark.badFilter");
        Order o = pick(Order.class, order, Order.LATEST, "threads.badOrder");
        Filter f = pick(Filter.class, filter, Filter.ALL, "threads.badFilter");
        int n = DEFAULT_LIMIT;
        if (limit != null && !limit.isEmpty()) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) throw HttpProblem.badRequest("threads.badLimit", MAX_LIMIT);
        }
        Key k = after == null || after.isEmpty() ? null : Key.parse(o, after);
        return new ThreadList(o, f, k, n, mark == null || mark.isEmpty() ? null : mark);
    }

    private static <E extends Enum<E>> E pick(Class<E> type, String raw, E fallback, String problem) {
        if (raw == null || raw.isEmpty()) return fallback;
        for (E e : type.getEnumConstants()) if (e.name().toLowerCase(Locale.ROOT).equals(raw)) return e;
        String allowed = String.join(", ", Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
        throw HttpProblem.badRequest(problem, allowed);
    }

    /** The {@code after} value that continues after this thread. */
    public String next(ThreadRow last) {
        return Key.of(order, last).text(order);
    }

    /** The query string for this list with another order or filter (the first page of it). */
    public static String query(Order order, Filter filter) {
        StringBuilder q = new StringBuilder();
        if (order != Order.LATEST) q.append("order=").append(order.param());
        if (filter != Filter.ALL) q.append(q.isEmpty() ? "" : "&").append("filter=").append(filter.param());
        return q.isEmpty() ? "" : "?" + q;
    }
}
