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
 * <p>Fit: mean-field variational Bayes, i.e. coordinate ascent with the closed-form conjugate updates
 * q(s_u) = Normal, q(b_v) = Normal, q(tau_v) = Gamma. Unlike a joint MAP, the tau update charges each
 * reviewer for the remaining uncertainty of s and b (the 1/P and 1/Q terms), so a reviewer whose
 * residuals happen to be near zero (e.g. one with a single review) is not treated as infinitely
 * reliable. The paper fits by Gibbs sampling; these updates are the deterministic analogue and cost
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
        double tolerance = 1e-6 * maxTotal;

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

        // Start from the medians (section 3: the fit is initialised at the naive grade).
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
        for (int u = 0; u < subs; u++) {
            double sum = gamma;
            for (int r = start[u]; r < start[u + 1]; r++) sum += tau[reviewer[r]];
            p[u] = sum;
        }

        int iteration = 0;
        while (iteration < maxIterations) {
            iteration++;
            double change = 0;
            // q(b_v): precision eta0 + n_v tau_v, mean tau_v * sum(z - E[s_u]) / precision.
            for (int v = 0; v < revs; v++) {
                double sum = 0;
                int count = byReviewerStart[v + 1] - byReviewerStart[v];
                for (int k = byReviewerStart[v]; k < byReviewerStart[v + 1]; k++) {
                    int r = byReviewer[k];
                    sum += z[r] - m[reviewSub[r]];
                }
                q[v] = eta + count * tau[v];
                double next = tau[v] * sum / q[v];
                change = Math.max(change, Math.abs(next - c[v]));
                c[v] = next;
            }
            // q(s_u): precision gamma0 + sum tau_v, mean (gamma0 mu0 + sum tau_v (z - E[b_v])) / precision.
            for (int u = 0; u < subs; u++) {
                double precision = gamma;
                double weighted = gamma * mu;
                for (int r = start[u]; r < start[u + 1]; r++) {
                    int v = reviewer[r];
                    precision += tau[v];
                    weighted += tau[v] * (z[r] - c[v]);
                }
                p[u] = precision;
                double next = weighted / precision;
                change = Math.max(change, Math.abs(next - m[u]));
                m[u] = next;
            }
            // q(tau_v) = Gamma(alpha0 + n_v / 2, beta0 + E[sum (z - s - b)^2] / 2); E[tau_v] = shape / rate.
            double sumTau = 0;
            double sumLogTau = 0;
            for (int v = 0; v < revs; v++) {
                int count = byReviewerStart[v + 1] - byReviewerStart[v];
                double squares = count / q[v];
                for (int k = byReviewerStart[v]; k < byReviewerStart[v + 1]; k++) {
                    int r = byReviewer[k];
                    int u = reviewSub[r];
                    squares += sq(z[r] - m[u] - c[v]) + 1 / p[u];
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

        // Interval: the mean-field variance 1/P_u (the Laplace variance 1/(gamma0 + sum tau_v)) plus the
        // uncertainty of the biases subtracted from each review, which mean-field ignores:
        // Var(E[s_u]) += sum_v (tau_v / P_u)^2 / Q_v.
        double[] sd = new double[subs];
        for (int u = 0; u < subs; u++) {
            double variance = 1 / p[u];
            for (int r = start[u]; r < start[u + 1]; r++) {
                int v = reviewer[r];
                variance += sq(tau[v] / p[u]) / q[v];
            }
            sd[u] = Math.sqrt(variance);
        }
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
