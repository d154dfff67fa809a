package org.knowmad.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A post's versions from its stored revisions, and the line diff between two versions. */
class PostHistoryTest {

    private static final Instant T0 = Instant.parse("2030-03-05T10:00:00Z");

    @Test
    void aPostNeverEditedHasOneVersionTheCurrentOne() {
        var h = new DiscussionStore.StoredHistory(1L, false, false, false, "Only text", T0, null, List.of());
        List<PostHistory.Version> v = PostHistory.versions(h);
        assertEquals(List.of(new PostHistory.Version(1, T0, "Only text", true)), v);
    }

    @Test
    void eachRevisionIsTheVersionBeforeItsEdit() {
        Instant t1 = T0.plusSeconds(60);
        Instant t2 = T0.plusSeconds(120);
        var h = new DiscussionStore.StoredHistory(1L, false, false, false, "three", T0, t2,
                List.of(new DiscussionStore.Revision("one", t1), new DiscussionStore.Revision("two", t2)));
        assertEquals(List.of(new PostHistory.Version(1, T0, "one", false), new PostHistory.Version(2, t1, "two", false),
                new PostHistory.Version(3, t2, "three", true)), PostHistory.versions(h));
    }

    @Test
    void theDiffMarksRemovedAndAddedLinesAndKeepsTheRest() {
        List<PostHistory.Line> d = PostHistory.diff("a\nb\nc", "a\nB\nc\nd");
        assertEquals(List.of(new PostHistory.Line("same", "a"), new PostHistory.Line("removed", "b"), new PostHistory.Line("added", "B"),
                new PostHistory.Line("same", "c"), new PostHistory.Line("added", "d")), d);
        assertTrue(PostHistory.diff("", "").isEmpty());
        assertEquals(List.of(new PostHistory.Line("removed", "gone")), PostHistory.diff("gone", ""));
    }
}
