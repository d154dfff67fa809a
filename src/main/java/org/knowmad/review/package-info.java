/**
 * Peer review assignment: who reviews what next. Pure logic on a snapshot, no I/O; the server loads
 * the snapshot and claims inside one transaction.
 *
 * <ul>
 *   <li>{@link org.knowmad.review.Candidate}: one submission with its finished reviews and open claims.</li>
 *   <li>{@link org.knowmad.review.ReviewPicker}: the ranked candidates for one reviewer, and the
 *       "extra" pick once nothing needs reviews.</li>
 *   <li>{@link org.knowmad.review.ReviewOrder}: fewest-first while reviewers are plentiful,
 *       closest-to-done once they are not; on-time always before late.</li>
 *   <li>{@link org.knowmad.review.ReviewDemand}: the quota ({@code k + 1}), the on-time shortfall and
 *       the estimate of reviews still to come that decide between the two orders.</li>
 * </ul>
 */
package org.knowmad.review;
