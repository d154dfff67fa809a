package org.knowmad.bench;

import java.util.List;
import org.knowmad.review.GradeEstimate;
import org.knowmad.review.PeerGrader;
import org.knowmad.review.Pg1Simulator;

/**
 * Peer grading at MOOC scale: 100,000 submissions x 3 reviews x 3 criteria (900,000 scores) from
 * 100,000 reviewers, simulated from PG1 (Piech et al. 2013), graded end to end. Target: under 5 s on 2 cores.
 *
 * <p>{@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.knowmad.bench.GradingBench [runs]}
 */
public final class GradingBench {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        long t0 = System.nanoTime();
        Pg1Simulator.Data data = Pg1Simulator.simulate(2013, 100_000, 100_000, 3, 3, 3, 60, 10, 8, 2, 72);
        System.out.printf("simulated %,d scores in %d ms%n", data.scores().size(), (System.nanoTime() - t0) / 1_000_000);
        PeerGrader grader = new PeerGrader(100);
        for (int run = 1; run <= runs; run++) {
            long started = System.nanoTime();
            List<GradeEstimate> grades = grader.grade(data.scores());
            long ms = (System.nanoTime() - started) / 1_000_000;
            double median = 0;
            double corrected = 0;
            int trusted = 0;
            for (int i = 0; i < grades.size(); i++) {
                double truth = data.trueScores()[i];
                median += Math.pow(grades.get(i).median() - truth, 2);
                corrected += Math.pow(grades.get(i).corrected() - truth, 2);
                if (grades.get(i).trusted()) trusted++;
            }
            System.out.printf("run %d: graded %,d submissions in %d ms; RMSE median %.2f, corrected %.2f; trusted %.1f%%%n",
                    run, grades.size(), ms, Math.sqrt(median / grades.size()), Math.sqrt(corrected / grades.size()),
                    100.0 * trusted / grades.size());
        }
    }

    private GradingBench() {
    }
}
