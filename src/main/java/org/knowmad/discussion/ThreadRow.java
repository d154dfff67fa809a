package org.knowmad.discussion;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * A thread as stored, with its author's name (null author: a prompt the course opened), which prompt of its
 * module it is, whether the viewer has posted in it ({@code answered}) and the working-out-loud marks its posts carry.
 */
public record ThreadRow(long id, String courseId, String cohortId, String moduleId, String title, Long authorId,
                        String authorName, String authorEmail, boolean anonymous, boolean pinned, Instant closedAt,
                        int postCount, Instant createdAt, Instant lastPostedAt, int lastRead, boolean following,
                        Integer solvedNumber, int helpfulCount, Integer promptIndex, boolean answered, java.util.List<String> marks) {

    static ThreadRow from(Row r) {
        return new ThreadRow(r.getLong("id"), r.getString("course_id"), r.getString("cohort_id"), r.getString("module_id"),
                r.getString("title"), r.getLong("author_id"), r.getString("author_name"), r.getString("author_email"),
                r.getBoolean("anonymous"), r.getBoolean("pinned"), instant(r.getOffsetDateTime("closed_at")),
                r.getInteger("post_count"), instant(r.getOffsetDateTime("created_at")), instant(r.getOffsetDateTime("last_posted_at")),
                r.getInteger("last_read"), r.getBoolean("following"), r.getInteger("solved_number"), r.getInteger("helpful_count"),
                r.getInteger("prompt_index"), r.getBoolean("answered"), java.util.List.of(r.getArrayOfStrings("marks")));
    }

    static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** Posts after the viewer's read mark (0 for visitors, who have none). */
    public int unread() {
        return Math.max(0, postCount - lastRead);
    }

    public boolean solved() {
        return solvedNumber != null;
    }

    public boolean closed() {
        return closedAt != null;
    }
}
