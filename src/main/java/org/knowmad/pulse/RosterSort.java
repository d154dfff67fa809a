package org.knowmad.pulse;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roster's columns a facilitator may sort by: a whitelist, each naming the SQL expression it orders by (a
 * constant, never input). Ties are broken by account id, so paging through a sorted roster is stable.
 */
public enum RosterSort {
    NAME("name", "lower(coalesce(r.name, r.email))", true),
    EMAIL("email", "lower(r.email)", true),
    JOINED("joined", "r.joined_at", true),
    LAST_SEEN("last-seen", "r.last_seen", true),
    DAYS_ACTIVE("days-active", "r.days_week", true),
    POSTS("posts", "r.posts", false),
    REPLIES("replies", "r.replies", false),
    HELPFUL("helpful", "r.helpful", false),
    SUBMISSIONS("submissions", "r.submissions", false),
    REVIEWS("reviews", "r.reviews_done", false),
    OWED("owed", "r.reviews_owed", false);

    public final String slug;
    final String sql;
    /** Orders by columns of the person's account and enrolment, not by counts of what they did elsewhere: a page can be chosen before any numbers are read. */
    final boolean personal;

    RosterSort(String slug, String sql, boolean personal) {
        this.slug = slug;
        this.sql = sql;
        this.personal = personal;
    }

    public static Optional<RosterSort> of(String slug) {
        return Arrays.stream(values()).filter(s -> s.slug.equals(slug)).findFirst();
    }

    /** The ORDER BY clause: never seen sorts as longest ago (first when ascending). */
    String orderBy(boolean descending) {
        return "ORDER BY " + sql + (descending ? " DESC NULLS LAST" : " ASC NULLS FIRST") + ", r.account_id";
    }
}
