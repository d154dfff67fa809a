package org.knowmad.pulse;

import java.util.Optional;
import org.knowmad.web.HttpProblem;

/**
 * What part of the roster a facilitator asks for: a filter or none, a whitelisted column and direction, a page.
 * Pure: {@link #parse} turns query parameters into a query or a 400 naming what was wrong.
 */
public record RosterQuery(Optional<RosterFilter> filter, RosterSort sort, boolean descending, int page, int pageSize) {

    public static final int PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 500;
    /** The CSV export: everyone at once (a cohort of 5,000 is one file). */
    public static final int ALL = Integer.MAX_VALUE;

    /**
     * From {@code ?filter=&sort=&dir=&page=&size=}; absent values take defaults (no filter, by name, ascending,
     * page 1, {@link #PAGE_SIZE}). An unknown filter, column or direction, or a page that is not a positive
     * number, is a 400.
     */
    public static RosterQuery parse(String filter, String sort, String dir, String page, String size) {
        Optional<RosterFilter> f = Optional.empty();
        if (filter != null && !filter.isBlank() && !"all".equals(filter)) {
            f = Optional.of(RosterFilter.of(filter.trim()).orElseThrow(() -> HttpProblem.badRequest("roster.badFilter")));
        }
        RosterSort s = sort == null || sort.isBlank() ? RosterSort.NAME
                : RosterSort.of(sort.trim()).orElseThrow(() -> HttpProblem.badRequest("roster.badSort"));
        boolean desc;
        if (dir == null || dir.isBlank() || dir.equals("asc")) desc = false;
        else if (dir.equals("desc")) desc = true;
        else throw HttpProblem.badRequest("roster.badSort");
        int p = number(page, 1);
        int n = number(size, PAGE_SIZE);
        if (p < 1 || n < 1 || n > MAX_PAGE_SIZE) throw HttpProblem.badRequest("roster.badPage", MAX_PAGE_SIZE);
        return new RosterQuery(f, s, desc, p, n);
    }

    /** Every row, with a filter and order, for the CSV. */
    public RosterQuery everyone() {
        return new RosterQuery(filter, sort, descending, 1, ALL);
    }

    public long offset() {
        return pageSize == ALL ? 0 : (long) (page - 1) * pageSize;
    }

    private static int number(String value, int fallback) {
        if (value == null || value.isBlank()) return fallback;
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
