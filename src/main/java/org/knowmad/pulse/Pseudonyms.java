package org.knowmad.pulse;

import org.knowmad.web.Signer;

/**
 * Stable, non-reversible stand-ins for people in an exported roster: an HMAC (the server's secret) of the
 * account id, scoped to the cohort. The same person has the same pseudonym in every export of that cohort, so
 * exports can be compared over time, but not across cohorts; without the secret nobody can tell who it is.
 */
public final class Pseudonyms {

    private final Signer signer;

    public Pseudonyms(Signer signer) {
        this.signer = signer;
    }

    public String of(String courseId, String cohortId, long accountId) {
        // 12 base64url characters = 72 bits: no collisions in any cohort, short enough to read in a sheet.
        return "P-" + signer.sign("roster-pseudonym:" + courseId + "/" + cohortId + ":" + accountId).substring(0, 12);
    }
}
