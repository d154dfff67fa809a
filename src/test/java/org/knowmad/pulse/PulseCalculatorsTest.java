package org.knowmad.pulse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowmad.course.Course;
import org.knowmad.course.CourseLoader;

/** The pulse's pure parts: shares, median, thresholds, funnel, week boundaries and the SVG charts. */
class PulseCalculatorsTest {

    private static final PulseCharts.Text KEYS = (key, args) -> key;

    @Test
    void percentsOfAWhole() {
        assertEquals(0, Shares.percent(5, 0));
        assertEquals(50.0, Shares.percent(1, 2));
        assertEquals(33, Shares.roundedPercent(1, 3));
        assertEquals(67, Shares.roundedPercent(2, 3));
        assertThrows(IllegalArgumentException.class, () -> Shares.percent(-1, 3));
    }

    @Test
    void wholePercentsAddUpToAHundredByLargestRemainder() {
        assertArrayEquals(new int[] {90, 9, 1}, Shares.wholePercents(90, 9, 1));
        assertArrayEquals(new int[] {34, 33, 33}, Shares.wholePercents(1, 1, 1));
        assertArrayEquals(new int[] {67, 33, 0}, Shares.wholePercents(2, 1, 0));
        assertArrayEquals(new int[] {0, 0, 0}, Shares.wholePercents(0, 0, 0));
        assertArrayEquals(new int[] {100}, Shares.wholePercents(7));
        assertThrows(IllegalArgumentException.class, () -> Shares.wholePercents(1, -1));
    }

    @Test
    void wholePercentsPropertyEveryShareWithinOnePointAndTheSumExact() {
        Random random = new Random(11);
        for (int run = 0; run < 20_000; run++) {
            int n = 1 + random.nextInt(6);
            long[] parts = new long[n];
            long total = 0;
            for (int i = 0; i < n; i++) {
                parts[i] = random.nextInt(4) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 10 : 100_000);
                total += parts[i];
            }
            int[] pct = Shares.wholePercents(parts);
            int sum = 0;
            for (int i = 0; i < n; i++) {
                sum += pct[i];
                double exact = Shares.percent(parts[i], total);
                assertTrue(Math.abs(pct[i] - exact) < 1.0, "within a point: " + pct[i] + " vs " + exact);
                if (parts[i] == 0) assertEquals(0, pct[i], "nothing stays nothing");
            }
            assertEquals(total == 0 ? 0 : 100, sum);
        }
    }

    @Test
    void median() {
        assertTrue(Median.of(new long[0]).isEmpty());
        assertTrue(Median.of(null).isEmpty());
        assertEquals(7, Median.of(new long[] {7}).getAsDouble());
        assertEquals(5, Median.of(new long[] {9, 1, 5}).getAsDouble());
        assertEquals(4.5, Median.of(new long[] {1, 4, 5, 100}).getAsDouble());
        long[] values = {3, 1, 2};
        Median.of(values);
        assertArrayEquals(new long[] {3, 1, 2}, values, "the caller's array is left alone");
    }

    @Test
    void medianPropertyAsManyAtOrBelowAsAtOrAbove() {
        Random random = new Random(3);
        for (int run = 0; run < 5_000; run++) {
            long[] v = new long[1 + random.nextInt(40)];
            for (int i = 0; i < v.length; i++) v[i] = random.nextInt(1000);
            double m = Median.of(v).getAsDouble();
            long below = java.util.Arrays.stream(v).filter(x -> x <= m).count();
            long above = java.util.Arrays.stream(v).filter(x -> x >= m).count();
            assertTrue(below * 2 >= v.length && above * 2 >= v.length, "median " + m);
        }
    }

    @Test
    void thresholdsOfTheParticipationShape() {
        assertEquals(ParticipationShape.Kind.LURKER, ParticipationShape.classify(0));
        assertEquals(ParticipationShape.Kind.OCCASIONAL, ParticipationShape.classify(1));
        assertEquals(ParticipationShape.Kind.OCCASIONAL, ParticipationShape.classify(4));
        assertEquals(ParticipationShape.Kind.FREQUENT, ParticipationShape.classify(5));
        assertEquals(ParticipationShape.Kind.FREQUENT, ParticipationShape.classify(20));
        assertThrows(IllegalArgumentException.class, () -> ParticipationShape.classify(-1));
        ParticipationShape s = new ParticipationShape(90, 9, 1);
        assertEquals(100, s.active());
        assertArrayEquals(ParticipationShape.NINETY_NINE_ONE, s.percents());
        assertEquals(0, s.contributorsAgainstNorm());
        assertEquals(10, new ParticipationShape(80, 18, 2).contributorsAgainstNorm());
        assertEquals(0, new ParticipationShape(0, 0, 0).contributorsAgainstNorm());
    }

    @Test
    void shapePropertyFromAnyPostCountsTheGroupsCoverEveryoneAndTheSharesAHundred() {
        Random random = new Random(5);
        for (int run = 0; run < 2_000; run++) {
            long[] kinds = new long[3];
            int people = 1 + random.nextInt(300);
            for (int i = 0; i < people; i++) {
                int posts = random.nextInt(10) < 8 ? 0 : random.nextInt(30);
                kinds[ParticipationShape.classify(posts).ordinal()]++;
            }
            ParticipationShape s = new ParticipationShape(kinds[0], kinds[1], kinds[2]);
            assertEquals(people, s.active());
            int[] p = s.percents();
            assertEquals(100, p[0] + p[1] + p[2]);
        }
    }

    @Test
    void funnelSharesOfEnrolledAndWhereItMustShrink() {
        Funnel f = new Funnel(100, 90, 80, 2, 10, 0);
        assertArrayEquals(new int[] {100, 90, 80, 2, 10, 0}, f.percents());
        assertTrue(f.consistent());
        assertFalse(new Funnel(10, 11, 0, 0, 0, 0).consistent(), "more visitors than enrolled");
        assertFalse(new Funnel(10, 5, 6, 0, 0, 0).consistent(), "more readers than visitors");
        assertArrayEquals(new int[6], Funnel.EMPTY.percents());
        assertThrows(IllegalArgumentException.class, () -> new Funnel(1, -1, 0, 0, 0, 0));
        Random random = new Random(7);
        for (int run = 0; run < 2_000; run++) {
            long enrolled = random.nextInt(5_000);
            long visited = enrolled == 0 ? 0 : random.nextLong(enrolled + 1);
            long[] later = new long[4];
            for (int i = 0; i < 4; i++) later[i] = visited == 0 ? 0 : random.nextLong(visited + 1);
            Funnel g = new Funnel(enrolled, visited, later[0], later[1], later[2], later[3]);
            assertTrue(g.consistent());
            int[] p = g.percents();
            for (int i = 1; i < p.length; i++) assertTrue(p[i] <= p[1] && p[1] <= p[0] || enrolled == 0, "shares shrink too");
        }
    }

    private static Course demo() {
        Path courses = Path.of("src/test/resources/test-courses");
        return new CourseLoader().load(courses).courses().stream().filter(c -> c.id().equals("demo")).findFirst().orElseThrow();
    }

    @Test
    void weeksOfAFixedCohortRunFromOneModuleOpeningToTheNext() {
        Course demo = demo();
        PulseWeeks weeks = PulseWeeks.of(demo.definition(), demo.definition().cohort("spring").orElseThrow());
        assertFalse(weeks.selfPaced());
        assertEquals(LocalDate.of(2030, 3, 4), weeks.start());
        assertArrayEquals(new int[] {0, 7, 14, 21}, weeks.offsets());
        assertEquals(List.of("week-2"), weeks.week(2).moduleIds());
        assertEquals(LocalDate.of(2030, 3, 11), weeks.week(2).from(weeks.start()));
        assertEquals(LocalDate.of(2030, 3, 18), weeks.week(2).until(weeks.start()));
        // Monday: the week just ended; Sunday: the week before it; before the start: the first.
        assertEquals(2, weeks.defaultWeek(LocalDate.of(2030, 3, 18), Map.of()));
        assertEquals(1, weeks.defaultWeek(LocalDate.of(2030, 3, 17), Map.of()));
        assertEquals(1, weeks.defaultWeek(LocalDate.of(2030, 3, 5), Map.of()), "nothing finished yet: the week under way");
        assertEquals(1, weeks.defaultWeek(LocalDate.of(2029, 1, 1), Map.of()));
        assertEquals(3, weeks.defaultWeek(LocalDate.of(2031, 1, 1), Map.of()));
    }

    @Test
    void weeksOfASelfPacedCohortAreEachPersonsOwn() {
        Course demo = demo();
        PulseWeeks weeks = PulseWeeks.of(demo.definition(), demo.definition().cohort("own-pace").orElseThrow());
        assertTrue(weeks.selfPaced());
        assertEquals(null, weeks.start());
        assertArrayEquals(new int[] {0, 7, 14, 21}, weeks.offsets());
        assertEquals(null, weeks.week(1).from(weeks.start()));
        assertEquals(1, weeks.defaultWeek(LocalDate.of(2030, 3, 18), Map.of()));
        assertEquals(2, weeks.defaultWeek(LocalDate.of(2030, 3, 18), Map.of(1, 40L, 2, 3L, 3, 0L)), "the last week somebody finished");
    }

    @Test
    void offsetsAlwaysAscendAndEveryWeekHasDays() {
        Course demo = demo();
        for (var cohort : demo.definition().cohorts()) {
            int[] o = PulseWeeks.of(demo.definition(), cohort).offsets();
            for (int i = 1; i < o.length; i++) assertTrue(o[i] > o[i - 1], cohort.id());
        }
    }

    @Test
    void chartsAreAccessibleSvgAndEscapeEveryWord() {
        String funnel = PulseCharts.funnel(new Funnel(10, 5, 4, 1, 2, 0), "Funnel <of> \"week\" & 'more'", KEYS);
        assertTrue(funnel.startsWith("<svg "));
        assertTrue(funnel.contains("role=\"img\""));
        assertTrue(funnel.contains("<title>Funnel &lt;of&gt; &quot;week&quot; &amp; &#39;more&#39;</title>"));
        assertFalse(funnel.contains("<of>"));
        assertFalse(funnel.contains("style="), "the CSP forbids inline styles");
        assertTrue(funnel.contains(">5 (50%)<"));
        assertEquals(6, funnel.split("<rect ", -1).length - 1);

        String shape = PulseCharts.shape(List.of(new PulseCharts.ShapeRow("<b>Week 1</b>", new ParticipationShape(90, 9, 1)),
                new PulseCharts.ShapeRow("Week 2", new ParticipationShape(0, 0, 0))), "Shape", KEYS);
        assertTrue(shape.contains("&lt;b&gt;Week 1&lt;/b&gt;"));
        assertTrue(shape.contains("90 · 9 · 1"));
        assertTrue(shape.contains("pulse.shape.nobody"), "an empty week says so instead of drawing nothing");

        String bars = PulseCharts.bars(List.of(new PulseCharts.Bar("Mon", 3), new PulseCharts.Bar("Tue", 25), new PulseCharts.Bar("Wed", 0)),
                "Peaks", KEYS);
        assertTrue(bars.contains("<title>Tue: 25</title>"));
        assertTrue(bars.contains(">25</text>"), "the peak is labelled");
        assertTrue(PulseCharts.bars(List.of(), "Peaks", KEYS).contains("pulse.peak.none"));
        assertEquals("a\uFFFDb", PulseCharts.esc("a\u0001b"), "control characters cannot reach XML");
        for (String svg : List.of(funnel, shape, bars)) assertWellFormed(svg);
    }

    private static void assertWellFormed(String svg) {
        try {
            var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            var doc = factory.newDocumentBuilder().parse(new org.xml.sax.InputSource(new java.io.StringReader(svg)));
            assertEquals("svg", doc.getDocumentElement().getLocalName());
            assertEquals("title", doc.getDocumentElement().getFirstChild().getLocalName(), "the title comes first");
        } catch (Exception e) {
            throw new AssertionError("not well-formed SVG: " + e.getMessage() + "\n" + svg, e);
        }
    }

    @Test
    void waitsAreSaidAsPeopleSayThem() {
        PulseCharts.Text t = (key, args) -> key.substring(key.lastIndexOf('.') + 1) + java.util.Arrays.toString(args);
        assertEquals("minutes[0]", PulseRoutes.duration(0, t));
        assertEquals("minutes[5]", PulseRoutes.duration(300, t));
        assertEquals("hours[1, 0]", PulseRoutes.duration(3600, t));
        assertEquals("hours[47, 59]", PulseRoutes.duration(48 * 3600 - 1, t));
        assertEquals("days[2, 0]", PulseRoutes.duration(48 * 3600, t));
        assertEquals("days[3, 5]", PulseRoutes.duration((3 * 24 + 5) * 3600 + 59, t));
    }
}
