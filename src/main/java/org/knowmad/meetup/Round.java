package org.knowmad.meetup;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who sits where in one round of the world café.
 *
 * <p>The round keeps the choices it was made from, so that a later round can see whose wish was
 * overruled (and favour them next time), and so that an organiser's {@link TableAllocator#move} off
 * a chosen table counts as overruled too. Maps are copied into sorted maps: iteration order is then
 * the same on every run, which the allocator's determinism relies on.
 *
 * @param number the round's number, as the organisers count (only carried along)
 * @param tableOf person -> table index {@code 0..tables-1}; every attendee of the round exactly once
 * @param choices person -> wanted table, only for seated people who expressed a wish
 * @param tables how many tables the round had, including empty ones
 */
public record Round(int number, Map<Long, Integer> tableOf, Map<Long, Integer> choices, int tables) {

    public Round {
        if (tables < 1) {
            throw new IllegalArgumentException("a round needs at least 1 table, was " + tables);
        }
        tableOf = sortedCopy(Objects.requireNonNull(tableOf, "tableOf"), tables, "seated at");
        choices = sortedCopy(Objects.requireNonNull(choices, "choices"), tables, "chose");
        for (Long person : choices.keySet()) {
            if (!tableOf.containsKey(person)) {
                throw new IllegalArgumentException("person " + person + " has a choice but no seat");
            }
        }
    }

    /** A round without recorded choices (e.g. imported); the table count is the highest index + 1. */
    public Round(int number, Map<Long, Integer> tableOf) {
        this(number, tableOf, Map.of(), inferTables(tableOf));
    }

    /** Every seat, by table and then by person. */
    public List<Seat> seats() {
        List<Seat> seats = new ArrayList<>(tableOf.size());
        for (int t = 0; t < tables; t++) {
            for (long person : at(t)) {
                seats.add(new Seat(person, t));
            }
        }
        return seats;
    }

    /** The people at one table, in id order. */
    public List<Long> at(int table) {
        List<Long> people = new ArrayList<>();
        tableOf.forEach((person, t) -> {
            if (t == table) {
                people.add(person);
            }
        });
        return people;
    }

    /** Table sizes, index = table. */
    public int[] sizes() {
        int[] sizes = new int[tables];
        tableOf.values().forEach(t -> sizes[t]++);
        return sizes;
    }

    /** People who chose a table and sit elsewhere. */
    public Set<Long> overruled() {
        TreeSet<Long> overruled = new TreeSet<>();
        choices.forEach((person, wanted) -> {
            if (!wanted.equals(tableOf.get(person))) {
                overruled.add(person);
            }
        });
        return Collections.unmodifiableSet(overruled);
    }

    /** How many people sit at the table they chose. */
    public int honouredCount() {
        return choices.size() - overruled().size();
    }

    private static Map<Long, Integer> sortedCopy(Map<Long, Integer> map, int tables, String verb) {
        TreeMap<Long, Integer> copy = new TreeMap<>();
        map.forEach((person, table) -> {
            Objects.requireNonNull(person, "person");
            Objects.requireNonNull(table, "table");
            if (table < 0 || table >= tables) {
                throw new IllegalArgumentException("person " + person + " " + verb + " table " + table
                        + ", but tables are 0.." + (tables - 1));
            }
            copy.put(person, table);
        });
        return Collections.unmodifiableMap(copy);
    }

    private static int inferTables(Map<Long, Integer> tableOf) {
        int max = 0;
        for (Integer table : Objects.requireNonNull(tableOf, "tableOf").values()) {
            max = Math.max(max, Objects.requireNonNull(table, "table"));
        }
        return max + 1;
    }
}
