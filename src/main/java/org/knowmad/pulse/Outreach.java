package org.knowmad.pulse;

import java.util.Optional;
import org.knowmad.web.HttpProblem;

/**
 * What a facilitator may send to their cohort, checked before anything is written: pure, no I/O. A refusal is a
 * 400 naming the problem in the reader's language; the services call these first, so bad input writes nothing.
 */
public final class Outreach {

    public static final int MAX_SUBJECT = 200;
    /** As long as a post may be. */
    public static final int MAX_BODY = 20_000;
    public static final int DEFAULT_QUIET_DAYS = 7;
    public static final int MIN_QUIET_DAYS = 1;
    public static final int MAX_QUIET_DAYS = 60;

    private Outreach() {
    }

    /** An announcement: subject, Markdown body and audience (empty: the whole cohort). */
    public record Announcement(String subject, String body, Optional<RosterFilter> filter) {

        /** The audience as stored: {@code all} or the filter's name. */
        public String audience() {
            return filter.map(f -> f.slug).orElse("all");
        }
    }

    /** A nudge to people not seen for {@code days} days; {@code text} null means the friendly default. */
    public record Nudge(int days, String text) {
    }

    public static Announcement announcement(String subject, String body, String audience) {
        String s = subject == null ? "" : subject.strip();
        String b = body == null ? "" : body.strip();
        if (s.isEmpty()) throw HttpProblem.badRequest("announcement.subjectRequired");
        if (s.length() > MAX_SUBJECT) throw HttpProblem.badRequest("announcement.subjectTooLong", MAX_SUBJECT);
        if (s.chars().anyMatch(c -> c == '\n' || c == '\r')) throw HttpProblem.badRequest("announcement.subjectOneLine");
        if (b.isEmpty()) throw HttpProblem.badRequest("announcement.bodyRequired");
        if (b.length() > MAX_BODY) throw HttpProblem.badRequest("announcement.bodyTooLong", MAX_BODY);
        Optional<RosterFilter> filter = Optional.empty();
        if (audience != null && !audience.isBlank() && !"all".equals(audience.strip())) {
            filter = Optional.of(RosterFilter.of(audience.strip()).orElseThrow(() -> HttpProblem.badRequest("roster.badFilter")));
        }
        return new Announcement(s, b, filter);
    }

    public static Nudge nudge(String days, String text) {
        int d = DEFAULT_QUIET_DAYS;
        if (days != null && !days.isBlank()) {
            try {
                d = Integer.parseInt(days.strip());
            } catch (NumberFormatException e) {
                d = -1;
            }
        }
        if (d < MIN_QUIET_DAYS || d > MAX_QUIET_DAYS) throw HttpProblem.badRequest("nudge.badDays", MIN_QUIET_DAYS, MAX_QUIET_DAYS);
        String t = text == null ? "" : text.strip();
        if (t.length() > MAX_BODY) throw HttpProblem.badRequest("announcement.bodyTooLong", MAX_BODY);
        return new Nudge(d, t.isEmpty() ? null : t);
    }
}
