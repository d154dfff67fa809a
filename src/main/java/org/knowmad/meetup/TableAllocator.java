package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Seats a world café round: every attendee at exactly one table, table sizes within one of each
 * other, as many choices honoured as that balance allows, and the rest mixed so that few pairs meet
 * twice. Pure: no clock, no I/O; the same input and seed give the same round.
 *
 * <p>Order of concerns, each step keeping what the earlier ones won:
 * <ol>
 *   <li>{@link Capacities}: the balanced seat count per table, extra seats where they honour a choice;</li>
 *   <li>choosers take their table up to its seats; at an over-chosen table the ones overruled most
 *       often before go first, then those honoured least often before, then the lowest id;</li>
 *   <li>{@link Mixer}: everyone else, placed to avoid people they already sat with.</li>
 * </ol>
 */
public final class TableAllocator {

    private TableAllocator() {
    }

    /**
     * @param people attendee ids for this round (order does not matter)
     * @param choices person -> wanted table; absent or null = no preference; choices of people not
     *     in {@code people} are ignored (they chose and then left)
     * @param earlier previous rounds, to avoid repeat pairs and to favour people overruled before
     * @param seed fixes the tie-breaking; mixed with {@code roundNumber}, so one seed serves all rounds
     * @throws IllegalArgumentException when {@code tables < 1}, a choice is outside
     *     {@code 0..tables-1}, or a person is listed twice
     */
    public static Round allocate(int roundNumber, int tables, List<Long> people,
            Map<Long, Integer> choices, List<Round> earlier, long seed) {
        if (tables < 1) {
            throw new IllegalArgumentException("need at least 1 table, was " + tables);
        }
        Objects.requireNonNull(people, "people");
        Objects.requireNonNull(choices, "choices");
        Objects.requireNonNull(earlier, "earlier");
        // Sorted, so that the result depends on who attends, not on the order they were listed in.
        List<Long> attendees = new ArrayList<>(people.size());
        Set<Long> seen = new HashSet<>();
        for (Long person : people) {
            Objects.requireNonNull(person, "people must not contain null");
            if (!seen.add(person)) {
                throw new IllegalArgumentException("person " + person + " is listed twice");
            }
            attendees.add(person);
        }
        attendees.sort(null);
        TreeMap<Long, Integer> wanted = new TreeMap<>();
        choices.forEach((person, table) -> {
            if (table == null) {
                return;
            }
            if (table < 0 || table >= tables) {
                throw new IllegalArgumentException("person " + person + " chose table " + table
                        + ", but tables are 0.." + (tables - 1));
            }
            if (seen.contains(person)) {
                wanted.put(person, table);
            }
        });
        for (Round round : earlier) {
            Objects.requireNonNull(round, "earlier must not contain null");
        }

        List<List<Long>> choosers = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            choosers.add(new ArrayList<>());
        }
        wanted.forEach((person, table) -> choosers.get(table).add(person));
        int[] counts = choosers.stream().mapToInt(List::size).toArray();
        int[] seats = Capacities.balanced(attendees.size(), counts);

        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < attendees.size(); i++) {
            index.put(attendees.get(i), i);
        }
        int[] fixed = new int[attendees.size()];
        Arrays.fill(fixed, -1);
        Comparator<Long> priority = priority(earlier);
        for (int t = 0; t < tables; t++) {
            List<Long> candidates = choosers.get(t);
            candidates.sort(priority);
            for (int k = 0; k < Math.min(seats[t], candidates.size()); k++) {
                fixed[index.get(candidates.get(k))] = t;
            }
        }

        Random random = new Random(seed ^ (0x9E3779B97F4A7C15L * roundNumber));
        int[] table = Mixer.seat(fixed, seats, Encounters.of(attendees, earlier), random);
        Map<Long, Integer> tableOf = new HashMap<>();
        for (int i = 0; i < attendees.size(); i++) {
            tableOf.put(attendees.get(i), table[i]);
        }
        return new Round(roundNumber, tableOf, wanted, tables);
    }

    /**
     * Seats {@code people} at tables whose seat counts are given, keeping the {@code fixed} people where they are
     * and mixing everyone else as {@link #allocate} does (few pairs who met in {@code earlier} rounds sit together).
     * Circles use it: a circle's size is planned by its feature, and re-forming adds newcomers around members who
     * must not move. The mixer only swaps free people or moves one between tables of {@code base + 1} and
     * {@code base} people, so the multiset of table sizes is always exactly {@code seats}.
     *
     * @param seats per table, how many people it gets in total (fixed ones included); must sum to the people
     * @param fixed person -> table for people who stay where they are
     * @throws IllegalArgumentException when the seats do not add up, a table would hold more fixed people than
     *     seats, a fixed person is not in {@code people}, or a person is listed twice
     */
    public static Round fill(int[] seats, List<Long> people, Map<Long, Integer> fixed, List<Round> earlier, long seed) {
        Objects.requireNonNull(seats, "seats");
        if (seats.length < 1) throw new IllegalArgumentException("need at least 1 table");
        int total = 0;
        for (int s : seats) {
            if (s < 0) throw new IllegalArgumentException("a table cannot have " + s + " seats");
            total += s;
        }
        List<Long> attendees = new ArrayList<>(people);
        if (new HashSet<>(attendees).size() != attendees.size()) throw new IllegalArgumentException("a person is listed twice");
        if (total != attendees.size()) throw new IllegalArgumentException(total + " seats for " + attendees.size() + " people");
        attendees.sort(null);
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < attendees.size(); i++) index.put(attendees.get(i), i);
        int[] at = new int[attendees.size()];
        Arrays.fill(at, -1);
        int[] fixedCount = new int[seats.length];
        for (Map.Entry<Long, Integer> e : new TreeMap<>(fixed).entrySet()) {
            Integer i = index.get(e.getKey());
            int t = e.getValue();
            if (i == null) throw new IllegalArgumentException("fixed person " + e.getKey() + " is not among the people");
            if (t < 0 || t >= seats.length) throw new IllegalArgumentException("table " + t + " does not exist");
            if (++fixedCount[t] > seats[t]) throw new IllegalArgumentException("table " + t + " has more fixed people than seats");
            at[i] = t;
        }
        int[] table = Mixer.seat(at, seats, Encounters.of(attendees, earlier), new Random(seed));
        Map<Long, Integer> tableOf = new HashMap<>();
        for (int i = 0; i < attendees.size(); i++) tableOf.put(attendees.get(i), table[i]);
        return new Round(1, tableOf, Map.of(), seats.length);
    }

    /**
     * An organiser's change: {@code person} sits at {@code toTable} instead. Balance is not checked
     * (organisers may have reasons); if the person had chosen another table, the new round records
     * them as overruled, so a later round favours them.
     *
     * @throws IllegalArgumentException when the person is not in the round or the table does not exist
     */
    public static Round move(Round round, long person, int toTable) {
        Objects.requireNonNull(round, "round");
        if (!round.tableOf().containsKey(person)) {
            throw new IllegalArgumentException("person " + person + " is not seated in round "
                    + round.number());
        }
        if (toTable < 0 || toTable >= round.tables()) {
            throw new IllegalArgumentException("table " + toTable + " does not exist; tables are 0.."
                    + (round.tables() - 1));
        }
        Map<Long, Integer> tableOf = new HashMap<>(round.tableOf());
        tableOf.put(person, toTable);
        return new Round(round.number(), tableOf, round.choices(), round.tables());
    }

    /** Pairs of people who sat at the same table in more than one of the given rounds. */
    public static int repeatedPairs(List<Round> rounds) {
        Map<Pair, Integer> together = new HashMap<>();
        for (Round round : rounds) {
            for (int t = 0; t < round.tables(); t++) {
                List<Long> atTable = round.at(t);
                for (int i = 0; i < atTable.size(); i++) {
                    for (int j = i + 1; j < atTable.size(); j++) {
                        together.merge(new Pair(atTable.get(i), atTable.get(j)), 1, Integer::sum);
                    }
                }
            }
        }
        return (int) together.values().stream().filter(n -> n > 1).count();
    }

    /**
     * Who goes first at an over-chosen table. Overruled before beats honoured before: fairness over
     * the afternoon matters more than any one round. The id comes last only to make the order total.
     */
    private static Comparator<Long> priority(List<Round> earlier) {
        Map<Long, Integer> overruled = new HashMap<>();
        Map<Long, Integer> honoured = new HashMap<>();
        for (Round round : earlier) {
            Set<Long> lost = round.overruled();
            for (Long person : round.choices().keySet()) {
                (lost.contains(person) ? overruled : honoured).merge(person, 1, Integer::sum);
            }
        }
        return Comparator.comparingInt((Long p) -> -overruled.getOrDefault(p, 0))
                .thenComparingInt(p -> honoured.getOrDefault(p, 0))
                .thenComparingLong(p -> p);
    }

    /** An unordered pair, smaller id first. */
    private record Pair(long low, long high) {
    }
}
