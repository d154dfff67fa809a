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

    static PostRow from(Row r) {
        return new PostRow(r.getLong("id"), r.getLong("thread_id"), r.getInteger("number"), r.getLong("author_id"),
                r.getString("author_name"), r.getString("author_email"), r.getBoolean("anonymous"), r.getInteger("reply_to"),
                r.getString("body"), ThreadRow.instant(r.getOffsetDateTime("created_at")),
                ThreadRow.instant(r.getOffsetDateTime("edited_at")), ThreadRow.instant(r.getOffsetDateTime("deleted_at")),
                r.getInteger("helpful_count"), ThreadRow.instant(r.getOffsetDateTime("endorsed_at")), r.getBoolean("reacted"),
                ThreadRow.instant(r.getOffsetDateTime("hidden_at")), r.getInteger("flag_count"), r.getBoolean("flagged"),
                r.getString("mark"), r.getInteger("me_too_count"), r.getBoolean("me_too_by_me"));
    }
}
