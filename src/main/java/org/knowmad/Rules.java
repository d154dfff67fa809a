package org.knowmad;

import org.knowmad.circles.CircleRules;
import org.knowmad.cohort.CohortRules;
import org.knowmad.discussion.ThreadRules;
import org.knowmad.guidelines.GuidelineRules;
import org.knowmad.meetup.MeetupRules;
import org.knowmad.pulse.PulseRules;
import org.knowmad.review.ReviewRules;

/**
 * The rule objects of one node, one per feature: who may see, do and be told what. Built once and handed to the
 * services; a test can hand in a deliberately broken rule to prove that the access matrix notices.
 */
public record Rules(CohortRules cohorts, ThreadRules threads, ReviewRules reviews, MeetupRules meetups, PulseRules pulse,
                    GuidelineRules guidelines, CircleRules circles) {

    public static Rules standard() {
        CohortRules cohorts = new CohortRules();
        return new Rules(cohorts, new ThreadRules(cohorts), new ReviewRules(cohorts), new MeetupRules(cohorts),
                new PulseRules(cohorts), new GuidelineRules(cohorts), new CircleRules(cohorts));
    }
}
