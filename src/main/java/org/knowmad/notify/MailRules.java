package org.knowmad.notify;

/**
 * Whom a mail may go to, by what kind of mail it is and the person's choice ({@code account.notify_mode}:
 * immediate, daily, weekly or off — "never" on the settings page). Pure; {@link #NEWS_SQL} is the same rule
 * for the statements that choose recipients in bulk, checked against it by {@code RulesSqlTwinTest}.
 *
 * <ul>
 *   <li>{@link Kind#TRANSACTIONAL}: what a person asked for this moment (sign-in links, meetup tickets,
 *       confirmations and waitlist promotions) — always sent.</li>
 *   <li>{@link Kind#NEWS}: module openings, "your feedback is ready", reviews waiting, meetup reminders —
 *       sent unless the person chose never.</li>
 *   <li>{@link Kind#NOTIFICATION}: replies, mentions, followed threads — mailed at once only for "immediate";
 *       daily and weekly go into the digest; never means never.</li>
 *   <li>{@link Kind#MODERATION}: a facilitator told that a post was flagged or a review reported — sent unless the
 *       person chose never, also to those who chose a daily or weekly digest: a hidden post or an abusive review
 *       should not wait a week. Coalesced instead ({@code FacilitatorAlerts}: at most one mail per few minutes).</li>
 * </ul>
 * Who may be told about a thread at all is the discussion rules' business ({@code ThreadRules}); this is only
 * about the channel.
 */
public final class MailRules {

    public enum Kind { TRANSACTIONAL, NEWS, NOTIFICATION, MODERATION }

    private MailRules() {
    }

    /** Whether a mail of this kind goes out at once to someone with this notification mode. */
    public static boolean mailNow(Kind kind, String mode) {
        return switch (kind) {
            case TRANSACTIONAL -> true;
            case NEWS, MODERATION -> !"off".equals(mode);
            case NOTIFICATION -> "immediate".equals(mode);
        };
    }

    /** {@link #mailNow} for {@link Kind#NEWS}, for an account {@code a} of the statement. */
    public static final String NEWS_SQL = "(a.notify_mode IS DISTINCT FROM 'off')";
}
