package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerGraderTest {

    private static final double MAX = 100;

    /** 2,000 submissions, each reviewed by 3-5 of 2,000 reviewers; biases sd 8, noise sd about 6 (tau ~ Gamma(2, 72)). */
    private static Pg1Simulator.Data biased(long seed) {
        return Pg1Simulator.simulate(seed, 2000, 2000, 3, 5, 3, 60, 10, 8, 2, 72);
    }

    /** The null case: no bias and every reviewer with noise sd 8. */
    private static Pg1Simulator.Data unbiased(long seed) {
        return Pg1Simulator.simulate(seed, 2000, 2000, 3, 5, 3, 60, 10, 0, 0, 1 / 64.0);
    }

    private static double rmse(List<GradeEstimate> grades, double[] truth, boolean corrected) {
        double sum = 0;
        for (int i = 0; i < grades.size(); i++) {
            double estimate = corrected ? grades.get(i).corrected() : grades.get(i).median();
            sum += (estimate - truth[i]) * (estimate - truth[i]);
        }
        return Math.sqrt(sum / grades.size());
    }

    @Test
    void correctionBeatsTheMedianWhenReviewersAreBiasedAndUnequallyReliable() {
        Pg1Simulator.Data data = biased(1);
        List<GradeEstimate> grades = new PeerGrader(MAX).grade(data.scores());
        assertEquals(2000, grades.size());
        double median = rmse(grades, data.trueScores(), false);
        double corrected = rmse(grades, data.trueScores(), true);
        assertTrue(corrected <= 0.9 * median, "corrected RMSE " + corrected + " vs median " + median);
    }

    @Test
    void correctionDoesNotHurtWithoutBias() {
        Pg1Simulator.Data data = unbiased(2);
        List<GradeEstimate> grades = new PeerGrader(MAX).grade(data.scores());
        double median = rmse(grades, data.trueScores(), false);
        double corrected = rmse(grades, data.trueScores(), true);
        assertTrue(corrected <= 1.02 * median, "corrected RMSE " + corrected + " vs median " + median);
    }

    @Test
    void ninetyFivePercentIntervalsCoverTheTruthAboutThatOften() {
        for (Pg1Simulator.Data data : List.of(biased(3), unbiased(4))) {
            List<GradeEstimate> grades = new PeerGrader(MAX).grade(data.scores());
            int inside = 0;
            for (int i = 0; i < grades.size(); i++) {
                double truth = data.trueScores()[i];
                if (grades.get(i).low() <= truth && truth <= grades.get(i).high()) inside++;
            }
            double coverage = inside / (double) grades.size();
            assertTrue(coverage >= 0.85 && coverage <= 0.99, "coverage " + coverage);
        }
    }

    @Test
    void publishedGradesAreAtLeastAsGoodAsTheMedian() {
        Pg1Simulator.Data data = biased(5);
        List<GradeEstimate> grades = new PeerGrader(MAX).grade(data.scores());
        double published = 0;
        for (int i = 0; i < grades.size(); i++) published += Math.pow(grades.get(i).published() - data.trueScores()[i], 2);
        assertTrue(Math.sqrt(published / grades.size()) < rmse(grades, data.trueScores(), false));
    }

    @Test
    void sameInputSameOutputInFirstAppearanceOrder() {
        Pg1Simulator.Data data = Pg1Simulator.simulate(6, 300, 200, 2, 4, 3, 60, 10, 8, 2, 72);
        List<GradeEstimate> first = new PeerGrader(MAX).grade(data.scores());
        List<GradeEstimate> second = new PeerGrader(MAX).grade(new ArrayList<>(data.scores()));
        assertEquals(first, second);
        for (int i = 0; i < first.size(); i++) assertEquals(data.names()[i], first.get(i).submission());
    }

    @Test
    void fewerThanMinReviewsPublishesTheMedian() {
        List<PeerScore> scores = new ArrayList<>(consistent("s1", 3));
        scores.addAll(consistent("s2", 2));
        List<GradeEstimate> grades = new PeerGrader(MAX).grade(scores);
        assertTrue(grades.get(0).trusted());
        assertEquals(TrustRule.TOO_FEW_REVIEWS, grades.get(1).reason());
        assertEquals(grades.get(1).median(), grades.get(1).published(), 0);
        PeerGrader lenient = new PeerGrader(MAX, new PeerGrader.Settings(2, 0.25, 0.15, 200, 1));
        assertTrue(lenient.grade(scores).get(1).trusted());
    }

    @Test
    void reviewersWhoContradictEachOtherGiveTheMedian() {
        // Twenty submissions spread over 30..89 by three consistent reviewers; "wild" by three others who
        // review nothing else and say 0, 50 and 100. Their biases are unknown, so the interval is wide.
        List<PeerScore> scores = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            for (int v = 0; v < 3; v++) scores.add(new PeerScore("s" + u, "r" + v, "c", 30 + 3 * u + v));
        }
        scores.add(new PeerScore("wild", "x", "c", 0));
        scores.add(new PeerScore("wild", "y", "c", 50));
        scores.add(new PeerScore("wild", "z", "c", 100));
        GradeEstimate wild = new PeerGrader(MAX).grade(scores).get(20);
        assertEquals("wild", wild.submission());
        assertFalse(wild.trusted());
        assertEquals(TrustRule.REVIEWERS_DISAGREE, wild.reason());
        assertEquals(50, wild.published(), 1e-12);
    }

    @Test
    void distanceFromTheMedianIsLimited() {
        // Reviewer r0 always gives 10 more than r1 and r2: the median keeps some of that bias (it is
        // 1 above r1), the correction removes it, so corrected and median differ by well over 0.1.
        List<PeerScore> scores = new ArrayList<>();
        for (int u = 0; u < 20; u++) {
            scores.add(new PeerScore("s" + u, "r0", "c", 50 + 2 * u));
            scores.add(new PeerScore("s" + u, "r1", "c", 40 + 2 * u));
            scores.add(new PeerScore("s" + u, "r2", "c", 41 + 2 * u));
        }
        GradeEstimate lenient = new PeerGrader(MAX).grade(scores).get(0);
        assertTrue(lenient.trusted(), lenient.toString());
        assertTrue(Math.abs(lenient.corrected() - lenient.median()) > 0.1, lenient.toString());
        PeerGrader strict = new PeerGrader(MAX, new PeerGrader.Settings(3, 0.25, 0.001, 30, 1));
        GradeEstimate g = strict.grade(scores).get(0);
        assertFalse(g.trusted());
        assertEquals(TrustRule.REVIEWERS_DISAGREE, g.reason());
        PeerGrader narrow = new PeerGrader(MAX, new PeerGrader.Settings(3, 0.0, 1.0, 30, 1));
        assertEquals(TrustRule.REVIEWERS_DISAGREE, narrow.grade(scores).get(0).reason());
    }

    @Test
    void trustRuleChecksInOrder() {
        TrustRule rule = new TrustRule(200, PeerGrader.Settings.DEFAULT);
        assertEquals(null, rule.reason(3, 50, 30));
        assertEquals(TrustRule.TOO_FEW_REVIEWS, rule.reason(2, 1000, 1000));
        assertEquals(TrustRule.REVIEWERS_DISAGREE, rule.reason(3, 50.01, 0));
        assertEquals(TrustRule.REVIEWERS_DISAGREE, rule.reason(5, 0, 30.01));
        assertEquals(TrustRule.REVIEWERS_DISAGREE, rule.reason(5, Double.NaN, 0));
    }

    @Test
    void correctedGradesAndIntervalsStayWithinTheScale() {
        List<PeerScore> scores = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            for (String r : List.of("a", "b", "c")) scores.add(new PeerScore("top" + u, r, "c", 10));
            for (String r : List.of("d", "e", "f")) scores.add(new PeerScore("low" + u, r, "c", 0));
        }
        scores.add(new PeerScore("mixed", "a", "c", 10));
        scores.add(new PeerScore("mixed", "f", "c", 0));
        for (GradeEstimate g : new PeerGrader(10).grade(scores)) {
            assertTrue(0 <= g.low() && g.low() <= g.corrected() && g.corrected() <= g.high() && g.high() <= 10, g.toString());
        }
        for (GradeEstimate g : new PeerGrader(MAX).grade(biased(7).scores())) {
            assertTrue(0 <= g.low() && g.low() <= g.corrected() && g.corrected() <= g.high() && g.high() <= MAX, g.toString());
        }
    }

    @Test
    void degenerateInputsGiveFiniteGrades() {
        List<List<PeerScore>> cases = new ArrayList<>();
        List<PeerScore> oneReviewer = new ArrayList<>();
        for (int u = 0; u < 50; u++) oneReviewer.add(new PeerScore("s" + u, "only", "c", u % 10));
        cases.add(oneReviewer);
        List<PeerScore> allEqual = new ArrayList<>();
        for (int u = 0; u < 50; u++) for (int v = 0; v < 3; v++) allEqual.add(new PeerScore("s" + u, "r" + (u + v) % 7, "c", 7));
        cases.add(allEqual);
        List<PeerScore> allZero = new ArrayList<>();
        for (int u = 0; u < 5; u++) for (int v = 0; v < 3; v++) allZero.add(new PeerScore("s" + u, "r" + v, "c", 0));
        cases.add(allZero);
        cases.add(consistent("single", 4));
        cases.add(List.of(new PeerScore("s", "r", "c", 5)));
        List<PeerScore> oneReviewEach = new ArrayList<>();
        for (int u = 0; u < 30; u++) oneReviewEach.add(new PeerScore("s" + u, "r" + u, "c", u));
        cases.add(oneReviewEach);
        for (List<PeerScore> scores : cases) {
            List<GradeEstimate> grades = new PeerGrader(MAX).grade(scores);
            assertFalse(grades.isEmpty());
            for (GradeEstimate g : grades) {
                for (double x : new double[] {g.median(), g.corrected(), g.low(), g.high(), g.published()}) {
                    assertTrue(Double.isFinite(x), g.toString());
                }
                assertTrue(g.low() <= g.corrected() && g.corrected() <= g.high(), g.toString());
            }
        }
        GradeEstimate equal = new PeerGrader(MAX).grade(allEqual).get(0);
        assertEquals(7, equal.corrected(), 0.01);
        assertTrue(equal.trusted());
    }

    @Test
    void emptyInputDuplicatesAndBadPoints() {
        assertEquals(List.of(), new PeerGrader(MAX).grade(List.of()));
        List<PeerScore> twice = List.of(new PeerScore("s", "r", "c", 1), new PeerScore("s", "r", "c", 2));
        assertThrows(IllegalArgumentException.class, () -> new PeerGrader(MAX).grade(twice));
        assertThrows(IllegalArgumentException.class, () -> new PeerScore("s", "r", "c", -1));
        assertThrows(IllegalArgumentException.class, () -> new PeerScore("s", "r", "c", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new PeerGrader(0));
    }

    @Test
    void observedMaxTotalSumsTheHighestPointsPerCriterion() {
        List<PeerScore> scores = List.of(new PeerScore("s", "a", "x", 3), new PeerScore("s", "b", "x", 5),
                new PeerScore("t", "a", "y", 2), new PeerScore("t", "b", "y", 1));
        assertEquals(7, PeerGrader.observedMaxTotal(scores), 0);
    }

    /** Reviews close to 60 from reviewers shared across submissions. */
    private static List<PeerScore> consistent(String submission, int reviews) {
        List<PeerScore> scores = new ArrayList<>();
        for (int v = 0; v < reviews; v++) scores.add(new PeerScore(submission, "r" + v, "c", 60 + v % 3));
        return scores;
    }
}
