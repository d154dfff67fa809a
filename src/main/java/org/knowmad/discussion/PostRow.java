package org.knowmad.discussion;

import io.vertx.sqlclient.Row;
import java.time.Instant;

/** A post as stored, with its author's name and whether the viewer marked it helpful. */
public record PostRow(long id, long threadId, int number, Long authorId, String authorName, String authorEmail,
                      boolean anonymous, Integer replyTo, String body, Instant createdAt, Instant editedAt, Instant deletedAt,
                      int helpfulCount, Instant endorsedAt, boolean reacted, Instant hiddenAt, int flagCount, boolean flagged,
                      String mark, int meTooCount, boolean meTooByMe) {

    public boolean hidden() {
        return hiddenAt != null;
    }

    public boolean deleted() {
        return deletedAt != null;
    }

    /**
     * A row of {@code DiscussionStore.POSTS}, read by position in that query's column order: fifty rows of 21 columns
     * a page, and looking each column up by name was a visible share of the thread page.
     */
    static PostRow from(Row r) {
        return new PostRow(r.getLong(0), r.getLong(1), r.getInteger(2), r.getLong(3),
                r.getString(19), r.getString(20), r.getBoolean(4), r.getInteger(5),
                r.getString(6), ThreadRow.instant(r.getOffsetDateTime(7)),
                ThreadRow.instant(r.getOffsetDateTime(8)), ThreadRow.instant(r.getOffsetDateTime(9)),
                r.getInteger(10), ThreadRow.instant(r.getOffsetDateTime(11)), r.getBoolean(12),
                ThreadRow.instant(r.getOffsetDateTime(13)), r.getInteger(14), r.getBoolean(15),
                r.getString(16), r.getInteger(17), r.getBoolean(18));
    }
}
