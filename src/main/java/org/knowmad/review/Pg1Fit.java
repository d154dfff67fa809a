package org.knowmad.review;

import java.util.Arrays;

/**
 * The PG1 model of Piech et al., "Tuned Models of Peer Assessment in MOOCs" (EDM 2013), fitted by
 * coordinate ascent.
 *
 * <p>Model (section 3, PG1): the total z_{u,v} that reviewer v gives submission u is
 * z = s_u + b_v + e, e ~ N(0, 1/tau_v), with priors s_u ~ N(mu0, 1/gamma0), b_v ~ N(0, 1/eta0) and
 * tau_v ~ Gamma(alpha0, beta0) (shape, rate).
 *
 * <p>Fit: coordinate ascent by Gaussian belief propagation on the bipartite submission-reviewer graph,
 * with tau_v held fixed during a sweep and then updated in closed form from its conjugate Gamma
 * posterior. Each review passes "s_u = z - b_v" to its submission using what the reviewer's other
 * reviews say about b_v (and "b_v = z - s_u" the other way), so a submission whose reviewers review
 * nothing else gets the wide interval it deserves; a plain mean-field fit (q(s) q(b) independent) lets
 * those reviewers' biases absorb their disagreement and reports a falsely narrow interval. The precision
 * matrix of (s, b) is diagonally dominant, so the means converge to the exact conditional posterior
 * means. The tau update charges each reviewer for the remaining uncertainty of s_u + b_v, so a reviewer
 * whose residual happens to be near 0 (e.g. one with a single review) is not treated as perfectly
 * reliable. The paper fits by Gibbs sampling; these updates are a deterministic analogue costing
 * O(reviews) per sweep.
 *
 * <p>Hyperparameters are estimated from the data (empirical Bayes): they start from moments of the
 * medians (mu0, gamma0 from the mean and spread of the medians; the spread of reviews around their
 * median split evenly between bias and noise for eta0 and the tau prior) and are then re-estimated after
 * every sweep by the variational-EM M-step: mu0 = mean E[s], 1/gamma0 = mean Var-around-mu0 of s,
 * 1/eta0 = mean E[b^2], and (alpha0, beta0) the Gamma maximum-likelihood fit to the q(tau_v)
 * (Minka's Newton iteration on alpha). When the data show no bias, 1/eta0 shrinks and the model falls
 * back to a precision-weighted mean, so the correction does not hurt in the null case.
 *
 * <p>Every variance has a floor of (0.001 * maxTotal)^2 so that degenerate inputs (all scores equal,
 * one reviewer for everything, one submission) stay finite instead of collapsing to 0 or infinity.
 */
final class Pg1Fit {

    /** Posterior mean of each submission's true score (unclamped). */
    final double[] mean;
    /** Posterior standard deviation of each submission's true score. */
    final double[] sd;
    /** Sweeps done. */
    final int iterations;
    final double mu0;
    final double gamma0;
    final double eta0;
    final double alpha0;
    final double beta0;

    private Pg1Fit(double[] mean, double[] sd, int iterations, double mu0, double gamma0, double eta0,
            double alpha0, double beta0) {
        this.mean = mean;
        this.sd = sd;
        this.iterations = iterations;
        this.mu0 = mu0;
        this.gamma0 = gamma0;
        this.eta0 = eta0;
        this.alpha0 = alpha0;
        this.beta0 = beta0;
    }

    static Pg1Fit fit(ReviewIndex ix, double maxTotal, int maxIterations) {
        int subs = ix.submissionCount();
        int revs = ix.reviewerCount;
        int reviews = ix.reviewCount();
        int[] start = ix.reviewStart;
        int[] reviewer = ix.reviewReviewer;
        double[] z = ix.reviewTotal;
        double varFloor = Math.pow(1e-3 * maxTotal, 2);
        double precisionCap = 1 / varFloor;
        double tolerance = 1e-4 * maxTotal;

        // Reviews grouped by reviewer (CSR), and each review's submission.
        int[] reviewSub = new int[reviews];
        for (int u = 0; u < subs; u++) {
            for (int r = start[u]; r < start[u + 1]; r++) reviewSub[r] = u;
        }
        int[] byReviewerStart = new int[revs + 1];
        for (int r = 0; r < reviews; r++) byReviewerStart[reviewer[r] + 1]++;
        for (int v = 0; v < revs; v++) byReviewerStart[v + 1] += byReviewerStart[v];
        int[] byReviewer = new int[reviews];
        int[] fill = byReviewerStart.clone();
        for (int r = 0; r < reviews; r++) byReviewer[fill[reviewer[r]]++] = r;

        // Start from the medians (the naive grade): they give the first hyperparameter estimates, and
        // each review first tells its submission "z, with bias unknown".
        double[] m = ix.median.clone();
        double[] p = new double[subs];
        double[] c = new double[revs];
        double[] q = new double[revs];
        double[] tau = new double[revs];
        double mu = mean(m);
        double spread = 0;
        for (double x : m) spread += (x - mu) * (x - mu);
        double gamma = 1 / Math.max(spread / subs, varFloor);
        double aroundMedian = 0;
        for (int r = 0; r < reviews; r++) aroundMedian += sq(z[r] - m[reviewSub[r]]);
        aroundMedian = Math.max(aroundMedian / reviews, 2 * varFloor);
        double eta = 2 / aroundMedian;
        double alpha = 2;
        double beta = alpha * aroundMedian / 2;
        Arrays.fill(tau, Math.min(alpha / beta, precisionCap));
        // Gaussian belief propagation messages along each review (u, v): review -> s_u as precision
        // toS and mean toSMean; review -> b_v as toB and toBMean.
        double[] toS = new double[reviews];
        double[] toSMean = new double[reviews];
        double[] toB = new double[reviews];
        double[] toBMean = new double[reviews];
        for (int u = 0; u < subs; u++) {
            double precision = gamma;
            for (int r = start[u]; r < start[u + 1]; r++) {
                toS[r] = 1 / (1 / tau[reviewer[r]] + 1 / eta);
                toSMean[r] = z[r];
                precision += toS[r];
            }
            p[u] = precision;
        }
        Arrays.fill(q, eta);

        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            double change = 0;
            // b_v: each review says b_v = z - s_u, with s_u known from everything except this review
            // (the cavity) and noise 1/tau_v.
            for (int v = 0; v < revs; v++) {
                double precision = eta;
                double weighted = 0;
                for (int k = byReviewerStart[v]; k < byReviewerStart[v + 1]; k++) {
                    int r = byReviewer[k];
                    int u = reviewSub[r];
                    double cavity = p[u] - toS[r];
                    double cavityMean = (p[u] * m[u] - toS[r] * toSMean[r]) / cavity;
                    toB[r] = 1 / (1 / tau[v] + 1 / cavity);
                    toBMean[r] = z[r] - cavityMean;
                    precision += toB[r];
                    weighted += toB[r] * toBMean[r];
                }
                q[v] = precision;
                double next = weighted / precision;
                change = Math.max(change, Math.abs(next - c[v]));
                c[v] = next;
            }
            // s_u: prior N(mu0, 1/gamma0) and each review saying s_u = z - b_v, with b_v known from the
            // reviewer's other reviews only, so a reviewer's own review does not vouch for its bias.
            for (int u = 0; u < subs; u++) {
                double precision = gamma;
                double weighted = gamma * mu;
                for (int r = start[u]; r < start[u + 1]; r++) {
                    int v = reviewer[r];
                    double cavity = q[v] - toB[r];
                    double cavityMean = (q[v] * c[v] - toB[r] * toBMean[r]) / cavity;
                    toS[r] = 1 / (1 / tau[v] + 1 / cavity);
                    toSMean[r] = z[r] - cavityMean;
                    precision += toS[r];
                    weighted += toS[r] * toSMean[r];
                }
                p[u] = precision;
                double next = weighted / precision;
                change = Math.max(change, Math.abs(next - m[u]));
                m[u] = next;
            }
            // tau_v ~ Gamma(alpha0 + n_v / 2, beta0 + E[sum (z - s_u - b_v)^2] / 2), the expectation under the
            // joint belief of (s_u, b_v) for each review: with d = s_u + b_v known to variance V from the
            // cavities, E[(z - d)^2] = ((z - d0) / (1 + tau V))^2 + V / (1 + tau V).
            double sumTau = 0;
            double sumLogTau = 0;
            for (int v = 0; v < revs; v++) {
                int count = byReviewerStart[v + 1] - byReviewerStart[v];
                double squares = 0;
                for (int k = byReviewerStart[v]; k < byReviewerStart[v + 1]; k++) {
                    int r = byReviewer[k];
                    int u = reviewSub[r];
                    double sCavity = p[u] - toS[r];
                    double sMean = (p[u] * m[u] - toS[r] * toSMean[r]) / sCavity;
                    double bCavity = q[v] - toB[r];
                    double bMean = (q[v] * c[v] - toB[r] * toBMean[r]) / bCavity;
                    double variance = 1 / sCavity + 1 / bCavity;
                    double shrink = 1 + tau[v] * variance;
                    squares += sq((z[r] - sMean - bMean) / shrink) + variance / shrink;
                }
                double shape = alpha + count / 2.0;
                double rate = beta + squares / 2;
                tau[v] = Math.min(shape / rate, precisionCap);
                sumTau += tau[v];
                sumLogTau += digamma(shape) - Math.log(rate);
            }
            // Empirical-Bayes M-step for the hyperparameters.
            mu = mean(m);
            double varS = 0;
            for (int u = 0; u < subs; u++) varS += sq(m[u] - mu) + 1 / p[u];
            gamma = 1 / Math.max(varS / subs, varFloor);
            double varB = 0;
            for (int v = 0; v < revs; v++) varB += sq(c[v]) + 1 / q[v];
            eta = 1 / Math.max(varB / revs, varFloor);
            double meanTau = sumTau / revs;
            alpha = gammaShape(Math.log(meanTau) - sumLogTau / revs);
            beta = alpha / meanTau;
            if (change < tolerance) break;
        }

        // Interval: the belief's variance 1/P_u. Because each review's message already carries the
        // uncertainty of its reviewer's bias (1/tau_v + 1/cavity), this widens on its own when a
        // submission's reviewers have few other reviews.
        double[] sd = new double[subs];
        for (int u = 0; u < subs; u++) sd[u] = Math.sqrt(1 / p[u]);
        return new Pg1Fit(m, sd, iteration, mu, gamma, eta, alpha, beta);
    }

    /**
     * Maximum-likelihood Gamma shape from d = log E[tau] - E[log tau] >= 0 (Minka, "Estimating a Gamma
     * distribution", 2002): solve log(a) - digamma(a) = d by Newton's method. Clamped to [1, 1000]: below 1
     * the prior would favour precisions near 0, above 1000 all reviewers are equally reliable anyway.
     */
        static double gammaShape(double d) {
        if (!(d > 1e-6)) return 1000;
        double a = (3 - d + Math.sqrt(sq(d - 3) + 24 * d)) / (12 * d);
        for (int i = 0; i < 6; i++) {
            double f = Math.log(a) - digamma(a) - d;
            double slope = 1 / a - trigamma(a);
            double next = a - f / slope;
            a = next > 0 ? next : a / 2;
        }
        return Math.max(1, Math.min(1000, a));
    }

    static double digamma(double x) {
        double result = 0;
        while (x < 6) {
            result -= 1 / x;
            x += 1;
        }
        double f = 1 / (x * x);
        return result + Math.log(x) - 0.5 / x - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240))));
    }

    static double trigamma(double x) {
        double result = 0;
        while (x < 6) {
            result += 1 / (x * x);
            x += 1;
        }
        double f = 1 / (x * x);
        return result + 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double x : values) sum += x;
        return sum / values.length;
    }

    private static double sq(double x) {
        return x * x;
    }
}
