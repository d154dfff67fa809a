package org.knowmad.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.knowmad.Rules;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.ModuleView;
import org.knowmad.discussion.ThreadRules;
import org.knowmad.meetup.MeetupRules;
import org.knowmad.guidelines.GuidelineRules;
import org.knowmad.pulse.PulseRules;
import org.knowmad.review.ReviewRules;

/**
 * The access matrix is only worth something if it fails when a rule is wrong: a node whose discussion rule lets
 * everyone see every thread, or whose cohort rule lets everyone in, must make it report leaks; and a route
 * without a row must be named.
 */
@ExtendWith(VertxExtension.class)
class AccessMatrixSelfTest {

    @Test
    void aRouteWithoutARowIsNamed() {
        Set<String> routes = new TreeSet<>(AccessMatrix.TABLE.keySet());
        assertEquals(List.of(), AccessMatrix.unlisted(routes));
        routes.add("POST /courses/:course/:cohort/brand-new");
        assertEquals(List.of("POST /courses/:course/:cohort/brand-new"), AccessMatrix.unlisted(routes));
    }

    @Test
    void aThreadRuleThatLetsEveryoneSeeIsCaught(Vertx vertx) {
        CohortRules cohorts = new CohortRules();
        ThreadRules broken = new ThreadRules(cohorts) {
            @Override
            public Decision see(CohortAccess a, ModuleView module) {
                return Decision.yes(); // the bug: locked modules and strangers are let in
            }
        };
        List<String> leaks = runModuleRows(vertx, new Rules(cohorts, broken, new ReviewRules(cohorts), new MeetupRules(cohorts), new PulseRules(cohorts), new GuidelineRules(cohorts), new org.knowmad.circles.CircleRules(cohorts)));
        assertFalse(leaks.isEmpty(), "the matrix must notice a thread rule that lets everyone see");
        assertTrue(leaks.stream().anyMatch(l -> l.contains("BEFORE_OPENING") || l.contains("OTHER_COHORT")), String.join("\n", leaks));
        System.out.println("access matrix self-test (ThreadRules.see broken): " + leaks.size() + " leaks found");
    }

    @Test
    void aCohortRuleThatLetsEveryoneInIsCaught(Vertx vertx) {
        CohortRules broken = new CohortRules() {
            @Override
            public Decision readModules(CohortAccess a) {
                return Decision.yes(); // the bug: anyone is a member
            }
        };
        List<String> leaks = runModuleRows(vertx, new Rules(broken, new ThreadRules(broken), new ReviewRules(broken), new MeetupRules(broken), new PulseRules(broken), new GuidelineRules(broken), new org.knowmad.circles.CircleRules(broken)));
        assertFalse(leaks.isEmpty(), "the matrix must notice a cohort rule that lets everyone in");
        assertTrue(leaks.stream().anyMatch(l -> l.contains("LEFT") || l.contains("VISITOR")), String.join("\n", leaks));
        System.out.println("access matrix self-test (CohortRules.readModules broken): " + leaks.size() + " leaks found");
    }

    @Test
    void aCircleRuleThatIgnoresMembershipIsCaught(Vertx vertx) {
        CohortRules cohorts = new CohortRules();
        org.knowmad.circles.CircleRules broken = new org.knowmad.circles.CircleRules(cohorts) {
            @Override
            public Decision seeCircle(CohortAccess a, boolean switchedOn, boolean member) {
                return seeCircles(a, switchedOn); // the bug: every member of the cohort reads every circle
            }
        };
        AccessMatrix.World world = new AccessMatrix.World(vertx, new Rules(cohorts, new ThreadRules(cohorts), new ReviewRules(cohorts),
                new MeetupRules(cohorts), new PulseRules(cohorts), new GuidelineRules(cohorts), broken));
        try {
            Set<String> rows = AccessMatrix.TABLE.entrySet().stream()
                    .filter(e -> e.getValue().policy() == AccessMatrix.Policy.CIRCLE).map(java.util.Map.Entry::getKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            List<String> leaks = AccessMatrix.run(world, rows, false).disagreements();
            assertTrue(leaks.stream().anyMatch(l -> l.contains("ANONYMOUS_PEER")), String.join("\n", leaks));
            System.out.println("access matrix self-test (CircleRules.seeCircle broken): " + leaks.size() + " leaks found");
        } finally {
            world.close();
        }
    }

    /** The same checking code as the matrix, over the rows that reading threads and modules depend on. */
    private static List<String> runModuleRows(Vertx vertx, Rules rules) {
        AccessMatrix.World world = new AccessMatrix.World(vertx, rules);
        try {
            Set<String> rows = AccessMatrix.TABLE.entrySet().stream()
                    .filter(e -> e.getValue().policy() == AccessMatrix.Policy.MODULE || e.getValue().policy() == AccessMatrix.Policy.MEMBER)
                    .filter(e -> e.getKey().startsWith("GET"))
                    .map(java.util.Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            return AccessMatrix.run(world, rows, false).disagreements();
        } finally {
            world.close();
        }
    }
}
