package org.knowmad.pulse;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roster's columns a facilitator may sort by: a whitelist, each naming the SQL expression it orders by (a
 * constant, never input). Ties are broken by account id, so paging through a sorted roster is stable.
 */
public enum RosterSort {
    NAME("name", "lower(coalesce(r.name, r.email))"),
    EMAIL("email", "lower(r.email)"),
    JOINED("joined", "r.joined_at"),
    LAST_SEEN("last-seen", "r.last_seen"),
    DAYS_ACTIVE("days-active", "r.days_week"),
    POSTS("posts", "r.posts"),
    REPLIES("replies", "r.replies"),
    HELPFUL("helpful", "r.helpful"),
    SUBMISSIONS("submissions", "r.submissions"),
    REVIEWS("reviews", "r.reviews_done"),
    OWED("owed", "r.reviews_owed");

    public final String slug;
    final String sql;

    RosterSort(String slug, String sql) {
        this.slug = slug;
        this.sql = sql;
    }

    public static Optional<RosterSort> of(String slug) {
        return Arrays.stream(values()).filter(s -> s.slug.equals(slug)).findFirst();
    }

    /** The ORDER BY clause: never seen sorts as longest ago (first when ascending). */
    String orderBy(boolean descending) {
        return "ORDER BY " + sql + (descending ? " DESC NULLS LAST" : " ASC NULLS FIRST") + ", r.account_id";
    }
}
