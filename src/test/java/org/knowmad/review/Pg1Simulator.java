package org.knowmad.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Peer scores drawn from the PG1 model (Piech et al. 2013) with a fixed seed: true scores
 * s_u ~ N(mu, sigma), reviewer biases b_v ~ N(0, biasSd), reliabilities tau_v ~ Gamma(tauShape, tauRate);
 * review total = s_u + b_v + N(0, 1/tau_v), split evenly over the criteria (each criterion gets a third
 * of s and b, and noise with a third of the variance, so the totals follow PG1 exactly). Points below 0
 * are cut to 0, which is rare for the parameters used.
 */
public final class Pg1Simulator {

    public record Data(List<PeerScore> scores, double[] trueScores, String[] names) {}

    public static Data simulate(long seed, int submissions, int reviewers, int minReviews, int maxReviews,
            int criteria, double mu, double sigma, double biasSd, double tauShape, double tauRate) {
        Random random = new Random(seed);
        double[] bias = new double[reviewers];
        double[] tau = new double[reviewers];
        for (int v = 0; v < reviewers; v++) {
            bias[v] = biasSd * random.nextGaussian();
            tau[v] = tauShape <= 0 ? tauRate : gamma(random, tauShape) / tauRate;
        }
        double[] truth = new double[submissions];
        String[] names = new String[submissions];
        List<PeerScore> scores = new ArrayList<>(submissions * maxReviews * criteria);
        int[] picked = new int[maxReviews];
        for (int u = 0; u < submissions; u++) {
            truth[u] = mu + sigma * random.nextGaussian();
            names[u] = "s" + u;
            int k = minReviews + random.nextInt(maxReviews - minReviews + 1);
            for (int i = 0; i < k; i++) {
                int v;
                boolean again;
                do {
                    v = random.nextInt(reviewers);
                    again = false;
                    for (int j = 0; j < i; j++) again |= picked[j] == v;
                } while (again);
                picked[i] = v;
                double noiseSd = Math.sqrt(1 / tau[v] / criteria);
                for (int c = 0; c < criteria; c++) {
                    double points = (truth[u] + bias[v]) / criteria + noiseSd * random.nextGaussian();
                    scores.add(new PeerScore(names[u], "r" + v, "c" + c, Math.max(0, points)));
                }
            }
        }
        return new Data(scores, truth, names);
    }

    /** Marsaglia and Tsang's method, with the shape < 1 boost. */
    static double gamma(Random random, double shape) {
        if (shape < 1) return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) continue;
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    private Pg1Simulator() {
    }
}
