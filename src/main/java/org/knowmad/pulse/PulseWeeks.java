package org.knowmad.pulse;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.course.CohortDefinition;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.ModuleDefinition;
import org.knowmad.schedule.CohortSchedule;
import org.knowmad.schedule.Timetable;

/**
 * The module weeks of a cohort, as whole local days in the course's time zone (activity is counted per local day).
 *
 * <p>A module week runs from the local day its module(s) open up to (not including) the day the next module opens;
 * the last one lasts seven days. Modules opening on the same day share a week. In a fixed cohort the days count from
 * the cohort's start; in a self-paced cohort they count from <em>each person's</em> join day ("their week 2"), so the
 * weeks are the same offsets, placed per person. Both are kept as day offsets ({@link #offsets()}: N + 1 ascending
 * numbers, week {@code k} is {@code [offsets[k-1], offsets[k])} days after the base day), which is what the query
 * hands to PostgreSQL's {@code width_bucket}.
 */
public record PulseWeeks(boolean selfPaced, LocalDate start, List<Week> weeks, int[] offsets) {

    /** Week {@code number} (1-based): the modules that open in it and its days after the base day. */
    public record Week(int number, List<String> moduleIds, List<String> titles, int fromDay, int toDay) {
        /** Its first local day in a fixed cohort (null in a self-paced one, where it is per person). */
        public LocalDate from(LocalDate start) {
            return start == null ? null : start.plusDays(fromDay);
        }

        /** The day after its last day in a fixed cohort. */
        public LocalDate until(LocalDate start) {
            return start == null ? null : start.plusDays(toDay);
        }
    }

    public static final int LAST_WEEK_DAYS = 7;

    public static PulseWeeks of(CourseDefinition course, CohortDefinition cohort) {
        ZoneId zone = course.zone();
        CohortSchedule schedule = CohortSchedule.of(course, cohort);
        LocalDate base;
        Timetable timetable;
        if (cohort.selfPaced()) {
            // Offsets are the same for everyone; a join at noon keeps time-of-day offsets on their written day.
            base = LocalDate.of(2000, 1, 3);
            timetable = schedule.forParticipant(base.atTime(12, 0).atZone(zone).toInstant());
        } else {
            base = cohort.starts().toLocalDate();
            timetable = schedule.shared();
        }
        Map<Integer, List<ModuleDefinition>> byDay = new LinkedHashMap<>();
        course.modules().stream()
                .map(m -> Map.entry(m, timetable.opensAt(m.id()).map(at -> day(at, zone)).orElse(base)))
                .sorted(Map.Entry.comparingByValue())
                .forEach(e -> byDay.computeIfAbsent((int) Math.max(0, ChronoUnit.DAYS.between(base, e.getValue())),
                        d -> new ArrayList<>()).add(e.getKey()));
        return fromOpenings(cohort.selfPaced(), cohort.selfPaced() ? null : base, byDay);
    }

    /** The weeks from module openings by day offset (ascending keys); pure, for tests. */
    static PulseWeeks fromOpenings(boolean selfPaced, LocalDate start, Map<Integer, List<ModuleDefinition>> byDay) {
        List<Integer> days = new ArrayList<>(byDay.keySet());
        if (days.isEmpty()) days.add(0);
        int[] offsets = new int[days.size() + 1];
        List<Week> weeks = new ArrayList<>();
        for (int i = 0; i < days.size(); i++) {
            offsets[i] = days.get(i);
            int to = i + 1 < days.size() ? days.get(i + 1) : days.get(i) + LAST_WEEK_DAYS;
            List<ModuleDefinition> modules = byDay.getOrDefault(days.get(i), List.of());
            weeks.add(new Week(i + 1, modules.stream().map(ModuleDefinition::id).toList(),
                    modules.stream().map(ModuleDefinition::title).toList(), days.get(i), to));
        }
        offsets[days.size()] = weeks.get(weeks.size() - 1).toDay();
        return new PulseWeeks(selfPaced, start, List.copyOf(weeks), offsets);
    }

    /**
     * The week a facilitator opening the page on {@code today} wants: in a fixed cohort the last week that has
     * ended (on a Monday, the week before), else the week under way (or the first, before the start). In a
     * self-paced cohort the last week somebody has finished, from {@code completedBy} (people per week), else the first.
     */
    public int defaultWeek(LocalDate today, Map<Integer, Long> completedBy) {
        if (selfPaced) {
            int best = 1;
            for (Week w : weeks) if (completedBy.getOrDefault(w.number(), 0L) > 0) best = w.number();
            return best;
        }
        int best = 0;
        int current = 1;
        for (Week w : weeks) {
            if (!w.until(start).isAfter(today)) best = w.number();
            if (!w.from(start).isAfter(today)) current = w.number();
        }
        return best > 0 ? best : current;
    }

    public int count() {
        return weeks.size();
    }

    public Week week(int number) {
        return weeks.get(number - 1);
    }

    static LocalDate day(Instant at, ZoneId zone) {
        return LocalDateTime.ofInstant(at, zone).toLocalDate();
    }
}
