package org.knowmad.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.knowmad.course.CourseDefinition;

/**
 * Seeded random cases (reproducible: a failure names its case number) over zones with ordinary,
 * half-hour, 45-minute and no daylight saving, and a day skipped altogether (Samoa, 2011).
 * Half of the cases are aimed so that start plus offset lands close to one of the zone's clock
 * changes, so that gaps and overlaps really occur.
 */
class SchedulePropertyTest {

    static final List<ZoneId> ZONES = List.of("Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe",
            "Asia/Kolkata", "Pacific/Chatham", "America/Santiago", "Pacific/Apia", "UTC").stream().map(ZoneId::of).toList();
    static final int CASES = 2000;

    record Case(int n, ZoneId zone, LocalDateTime start, When.After offset, When.After longer) {
        @Override
        public String toString() {
            return "case " + n + ": " + zone + " start " + start + " offset " + offset + " longer " + longer;
        }
    }

    @Test
    void openingKeepsTheStartsTimeOfDayPlusTheOffsetsTimePartAndIsMonotone() {
        Random random = new Random(20170109L);
        int gaps = 0, overlaps = 0;
        for (int n = 0; n < CASES; n++) {
            Case c = randomCase(n, random);
            ZoneRules rules = c.zone.getRules();
            Instant opens = c.offset.resolve(c.start, c.zone);
            LocalDateTime target = c.start.plus(c.offset.period()).plus(c.offset.time());
            ZoneOffsetTransition transition = rules.getTransition(target);

            if (transition != null && transition.isGap()) {
                gaps++;
                assertEquals(transition.getInstant(), opens, c.toString());
                assertEquals(transition.getDateTimeAfter(), LocalDateTime.ofInstant(opens, c.zone), c.toString());
            } else {
                if (transition != null) overlaps++;
                LocalDateTime local = LocalDateTime.ofInstant(opens, c.zone);
                assertEquals(target, local, c.toString());
                assertEquals(c.start.toLocalTime().plus(c.offset.time()), local.toLocalTime(), c.toString());
            }

            // monotone: a longer offset never opens earlier, and nothing opens before the start
            Instant startInstant = new When.At(c.start).resolve(null, c.zone);
            assertFalse(opens.isBefore(startInstant), c.toString());
            assertFalse(c.longer.resolve(c.start, c.zone).isBefore(opens), c.toString());

            // wall-clock hours: PT24H is exactly P1D
            int days = random.nextInt(400);
            assertEquals(new When.After(Period.ofDays(days), Duration.ZERO).resolve(c.start, c.zone),
                    new When.After(Period.ZERO, Duration.ofDays(days)).resolve(c.start, c.zone), c.toString());
        }
        // the sampling must really reach the edge cases, or the checks above prove little
        assertTrue(gaps > 20, "only " + gaps + " gaps");
        assertTrue(overlaps > 20, "only " + overlaps + " overlaps");
    }

    @Test
    void aSelfPacedParticipantsModulesFollowTheirJoinTime() {
        Random random = new Random(42L);
        for (int n = 0; n < CASES; n++) {
            Case c = randomCase(n, random);
            Instant joined = new When.At(c.start).resolve(null, c.zone);
            CourseDefinition course = Fixtures.course(c.zone.getId(), null,
                    new org.knowmad.course.ModuleDefinition("first", "First", new When.After(Period.ZERO, Duration.ZERO), "f.md", null, null),
                    new org.knowmad.course.ModuleDefinition("later", "Later", c.offset, "l.md", null, null),
                    new org.knowmad.course.ModuleDefinition("fixed", "Fixed", new When.At(c.start), "x.md", null, null));
            Timetable t = CohortSchedule.of(course, Fixtures.selfPaced("open")).forParticipant(joined);

            assertTrue(t.isOpen("first", joined), c.toString());
            Instant later = t.opensAt("later").orElseThrow();
            assertEquals(c.offset.resolve(LocalDateTime.ofInstant(joined, c.zone), c.zone), later, c.toString());
            assertTrue(t.isOpen("later", later) && !t.isOpen("later", later.minusNanos(1)), c.toString());
            assertEquals(t.events().stream().map(Event::at).sorted().toList(),
                    t.events().stream().map(Event::at).toList(), c.toString());
            long open = t.modules(later).stream().filter(ModuleStatus::open).count();
            assertTrue(open >= 2, c.toString());
        }
    }

    private static Case randomCase(int n, Random random) {
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        When.After offset = randomOffset(random);
        LocalDateTime target = random.nextBoolean() ? nearATransition(zone, random) : null;
        LocalDateTime start = target == null
                ? LocalDateTime.of(1990, 1, 1, 0, 0).plusMinutes(random.nextInt(50 * 366 * 24 * 60))
                : target.minus(offset.time()).minus(offset.period());
        When.After longer = new When.After(
                offset.period().plusMonths(random.nextInt(2)).plusDays(random.nextInt(3)),
                offset.time().plusMinutes(random.nextInt(3) == 0 ? 0 : random.nextInt(24 * 60)));
        return new Case(n, zone, start, offset, longer);
    }

    /** A local time within two hours of a clock change, so that starts plus offsets land in gaps and overlaps. */
    private static LocalDateTime nearATransition(ZoneId zone, Random random) {
        Instant from = Instant.parse("1995-01-01T00:00:00Z").plusSeconds(random.nextInt(40 * 365) * 86_400L);
        ZoneOffsetTransition t = zone.getRules().nextTransition(from);
        if (t == null) return null;
        return t.getDateTimeBefore().plusMinutes(random.nextInt(241) - 120);
    }

    private static When.After randomOffset(Random random) {
        Period period = switch (random.nextInt(4)) {
            case 0 -> Period.ZERO;
            case 1 -> Period.ofDays(random.nextInt(15));
            case 2 -> Period.ofWeeks(random.nextInt(20));
            default -> Period.of(random.nextInt(2), random.nextInt(13), random.nextInt(31));
        };
        Duration time = switch (random.nextInt(4)) {
            case 0 -> Duration.ZERO;
            case 1 -> Duration.ofHours(random.nextInt(49));
            case 2 -> Duration.ofMinutes(random.nextInt(3 * 24 * 60));
            default -> Duration.ofSeconds(random.nextInt(86_400), random.nextInt(1_000_000_000));
        };
        return new When.After(period, time);
    }
}
