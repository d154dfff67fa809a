package org.knowmad.notify;

/**
 * One message to one person.
 *
 * @param dedupeKey  when set, a second message with the same key is never queued (e.g. one
 *                   "module opened" notice per person and release)
 * @param attachment at most one file sent along, or null (most mail has none)
 * @param lane       which queue it waits in: see {@link Lane}
 */
public record Mail(String to, String subject, String text, String dedupeKey, Attachment attachment, Lane lane) {

    /** Content type of a calendar invite, as mail clients expect it to offer "accept". */
    public static final String CALENDAR_INVITE = "text/calendar; charset=UTF-8; method=REQUEST";

    /**
     * The outbox sends the transactional lane first: what a person is waiting for this moment (a sign-in link, a
     * ticket, a confirmation, a waitlist promotion) never waits behind a backlog of bulk mail (notifications,
     * digests, module openings, reminders). Transactional is the default, here and in the {@code outbox} table, so
     * a forgotten choice can only make a mail faster, never strand it; bulk producers say {@link #bulk()}.
     */
    public enum Lane {
        TRANSACTIONAL(0), BULK(1);

        /** The {@code outbox.priority} value: lower goes first. */
        public final int priority;

        Lane(int priority) {
            this.priority = priority;
        }
    }

    public Mail {
        if (lane == null) lane = Lane.TRANSACTIONAL;
    }

    public Mail(String to, String subject, String text, String dedupeKey, Attachment attachment) {
        this(to, subject, text, dedupeKey, attachment, Lane.TRANSACTIONAL);
    }

    /** A mail without attachment: what nearly every caller sends. */
    public Mail(String to, String subject, String text, String dedupeKey) {
        this(to, subject, text, dedupeKey, null, Lane.TRANSACTIONAL);
    }

    public Mail withAttachment(Attachment attachment) {
        return new Mail(to, subject, text, dedupeKey, attachment, lane);
    }

    /** The same mail in the bulk lane: for anything sent to many people that nobody is waiting for this second. */
    public Mail bulk() {
        return new Mail(to, subject, text, dedupeKey, attachment, Lane.BULK);
    }

    /**
     * A text file sent with the mail (e.g. an .ics invite).
     *
     * @param name        the file name the receiver sees, e.g. {@code invite.ics}
     * @param contentType e.g. {@link #CALENDAR_INVITE}
     * @param body        the file's text, sent as UTF-8
     */
    public record Attachment(String name, String contentType, String body) {

        public Attachment {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("an attachment needs a file name");
            if (contentType == null || contentType.isBlank()) throw new IllegalArgumentException("an attachment needs a content type");
            if (body == null) throw new IllegalArgumentException("an attachment needs a body");
        }

        /**
         * The name fit for a quoted header parameter ({@code filename="..."}): quotes, backslashes and
         * control characters removed, so a name can never end the parameter or start a new header.
         */
        public static String headerSafe(String name) {
            String safe = name == null ? "" : name.replaceAll("[\"\\\\\\p{Cntrl}]", "").strip();
            return safe.isEmpty() ? "attachment" : safe;
        }

        /** A content type fit for a header line: control characters (CR, LF) removed. */
        public static String headerSafeType(String contentType) {
            String safe = contentType == null ? "" : contentType.replaceAll("\\p{Cntrl}", "").strip();
            return safe.isEmpty() ? "application/octet-stream" : safe;
        }
    }
}
