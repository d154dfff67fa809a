package org.knowmad.pulse;

import java.util.Arrays;
import java.util.Optional;

/**
 * The roster's filters, each a condition on one row of the roster (see {@link RosterStore}); the same conditions
 * choose the recipients of an announcement sent "to a roster filter", so the list a facilitator looked at and the
 * people the message reaches are one definition.
 *
 * <ul>
 *   <li>{@link #UNSEEN}: not seen for {@link #UNSEEN_DAYS} days. Someone never seen counts from the day they joined,
 *       so a person who joined yesterday is not "away" yet; a nudge uses the same condition with its own number of days.</li>
 *   <li>{@link #NEVER_POSTED}: no post in the cohort at all (opening posts and replies; deleted posts do not count).</li>
 *   <li>{@link #OWES_REVIEWS}: owes peer reviews in an assignment whose review window is open now.</li>
 * </ul>
 */
public enum RosterFilter {
    /** Not seen since the cut-off moment the statement is given (see {@link RosterStore}). */
    UNSEEN("unseen", "r.unseen"),
    NEVER_POSTED("never-posted", "r.posts = 0"),
    OWES_REVIEWS("owes-reviews", "r.reviews_owed > 0");

    /** "Not seen for 7 days" on the roster. */
    public static final int UNSEEN_DAYS = 7;

    /** The name in URLs, forms and the CSV file name. */
    public final String slug;
    /** The condition on a roster row {@code r}: a constant, never built from input. */
    final String sql;

    RosterFilter(String slug, String sql) {
        this.slug = slug;
        this.sql = sql;
    }

    /** The filter of that name; empty for an unknown one. */
    public static Optional<RosterFilter> of(String slug) {
        return Arrays.stream(values()).filter(f -> f.slug.equals(slug)).findFirst();
    }
}
