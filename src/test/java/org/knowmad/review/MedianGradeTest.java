package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class MedianGradeTest {

    private static GradeEstimate only(List<PeerScore> scores) {
        List<GradeEstimate> grades = new PeerGrader(100).grade(scores);
        assertEquals(1, grades.size());
        return grades.get(0);
    }

    @Test
    void oddCountTakesTheMiddleValue() {
        GradeEstimate g = only(List.of(
                new PeerScore("s", "a", "c", 9), new PeerScore("s", "b", "c", 2), new PeerScore("s", "d", "c", 5)));
        assertEquals(5, g.median(), 1e-12);
        assertEquals(3, g.reviews());
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        GradeEstimate g = only(List.of(new PeerScore("s", "a", "c", 10), new PeerScore("s", "b", "c", 2),
                new PeerScore("s", "d", "c", 6), new PeerScore("s", "e", "c", 4)));
        assertEquals(5, g.median(), 1e-12);
        assertEquals(4, g.reviews());
    }

    @Test
    void medianIsPerCriterionThenSummed() {
        // Criterion x: {1, 2, 30} -> 2; criterion y: {30, 1, 2} -> 2. The median of the totals would be 31.
        GradeEstimate g = only(List.of(
                new PeerScore("s", "a", "x", 1), new PeerScore("s", "a", "y", 30),
                new PeerScore("s", "b", "x", 2), new PeerScore("s", "b", "y", 1),
                new PeerScore("s", "c", "x", 30), new PeerScore("s", "c", "y", 2)));
        assertEquals(4, g.median(), 1e-12);
    }

    @Test
    void aMissingCriterionOnlyLeavesThatCriterionShorter() {
        // x: {2, 6, 4} -> 4; y: {4, 8} (b skipped it) -> 6.
        GradeEstimate g = only(List.of(
                new PeerScore("s", "a", "x", 2), new PeerScore("s", "a", "y", 4),
                new PeerScore("s", "b", "x", 6),
                new PeerScore("s", "c", "x", 4), new PeerScore("s", "c", "y", 8)));
        assertEquals(10, g.median(), 1e-12);
        assertEquals(3, g.reviews());
    }

    @Test
    void singleReviewIsItsTotalAndIsNotTrusted() {
        GradeEstimate g = only(List.of(new PeerScore("s", "a", "x", 3), new PeerScore("s", "a", "y", 7)));
        assertEquals(10, g.median(), 1e-12);
        assertEquals(1, g.reviews());
        assertFalse(g.trusted());
        assertEquals(TrustRule.TOO_FEW_REVIEWS, g.reason());
        assertEquals(10, g.published(), 1e-12);
    }

    @Test
    void reasonIsNullWhenTrusted() {
        GradeEstimate g = only(List.of(
                new PeerScore("s", "a", "c", 50), new PeerScore("s", "b", "c", 52), new PeerScore("s", "d", "c", 51)));
        assertNull(g.reason());
        assertEquals(g.corrected(), g.published(), 0);
    }
}
