package org.knowmad.meetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableAllocatorTest {

    @Test
    void refusesNoTables() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableAllocator.allocate(1, 0, List.of(1L), Map.of(), List.of(), 1L));
        assertTrue(e.getMessage().contains("at least 1 table"), e.getMessage());
    }

    @Test
    void refusesAChoiceOutsideTheTables() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> TableAllocator.allocate(1, 8, List.of(1L, 2L), Map.of(2L, 8), List.of(), 1L));
        assertEquals("person 2 chose table 8, but tables are 0..7", high.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TableAllocator.allocate(1, 8, List.of(1L), Map.of(1L, -1), List.of(), 1L));
    }

    @Test
    void refusesAPersonListedTwice() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TableAllocator.allocate(1, 2, List.of(5L, 6L, 5L), Map.of(), List.of(), 1L));
        assertEquals("person 5 is listed twice", e.getMessage());
    }

    @Test
    void ignoresChoicesOfPeopleWhoLeftAndNullChoices() {
        Map<Long, Integer> choices = new HashMap<>();
        choices.put(1L, 1);
        choices.put(2L, null);
        choices.put(99L, 0);
        Round round = TableAllocator.allocate(1, 2, List.of(1L, 2L), choices, List.of(), 1L);
        assertEquals(Map.of(1L, 1), round.choices());
        assertEquals(Map.of(1L, 1, 2L, 0), round.tableOf());
    }

    @Test
    void fewerPeopleThanTablesLeavesTablesEmpty() {
        Round round = TableAllocator.allocate(1, 8, List.of(1L, 2L, 3L), Map.of(1L, 5, 2L, 5), List.of(), 1L);
        assertEquals(8, round.tables());
        assertEquals(5, round.tableOf().get(1L)); // the lower id wins the only seat at table 5
        assertEquals(Set.of(2L), round.overruled());
        Allocations.assertBalanced(round);
    }

    @Test
    void theSameInputGivesTheSameRoundWhateverTheOrderOfPeople() {
        List<Long> people = Allocations.people(70);
        Random random = new Random(7);
        Map<Long, Integer> choices = Allocations.choices(people, 0.6, new double[] {3, 1, 1, 1, 1, 1, 1, 1}, random);
        Round first = TableAllocator.allocate(1, 8, people, choices, List.of(), 11L);
        List<Long> shuffled = new ArrayList<>(people);
        Collections.shuffle(shuffled, random);
        Round second = TableAllocator.allocate(2, 8, shuffled, choices, List.of(first), 11L);

        assertEquals(first, TableAllocator.allocate(1, 8, shuffled, new HashMap<>(choices), List.of(), 11L));
        assertEquals(second, TableAllocator.allocate(2, 8, people, choices, List.of(first), 11L));
        // The seed matters only for ties: another seed may seat free people elsewhere.
        assertNotEquals(second, TableAllocator.allocate(2, 8, people, choices, List.of(first), 12L));
    }

    @Test
    void someoneOverruledInOneRoundIsHonouredInTheNextWhenTheTableIsContestedAgain() {
        // 70 people, 8 tables: 6 tables of 9, 2 of 8. Fourteen want table 0 every round.
        List<Long> people = Allocations.people(70);
        List<Long> keen = people.subList(0, 14);
        Map<Long, Integer> choices = new HashMap<>();
        keen.forEach(p -> choices.put(p, 0));
        List<Round> rounds = new ArrayList<>();
        for (int number = 1; number <= 3; number++) {
            rounds.add(TableAllocator.allocate(number, 8, people, choices, rounds, 3L));
        }
        Round one = rounds.get(0);
        Round two = rounds.get(1);
        assertEquals(9, one.at(0).size());
        assertEquals(5, one.overruled().size());
        for (long person : one.overruled()) {
            assertEquals(0, two.tableOf().get(person), person + " was overruled in round 1");
        }
        // Over three rounds the keen ones share table 0's 27 seats: each gets it twice, but one once.
        Map<Long, Integer> honoured = new HashMap<>();
        for (Round round : rounds) {
            keen.forEach(p -> honoured.merge(p, round.tableOf().get(p) == 0 ? 1 : 0, Integer::sum));
        }
        assertEquals(27, honoured.values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(1, honoured.values().stream().mapToInt(Integer::intValue).min().orElseThrow());
        assertEquals(2, honoured.values().stream().mapToInt(Integer::intValue).max().orElseThrow());
    }

    @Test
    void anOrganisersMoveOffAChosenTableCountsAsOverruledNextRound() {
        List<Long> people = List.of(1L, 2L, 3L, 4L);
        Map<Long, Integer> choices = Map.of(1L, 0, 2L, 0, 3L, 0);
        Round one = TableAllocator.allocate(1, 2, people, choices, List.of(), 1L);
        assertEquals(Set.of(3L), one.overruled());
        Round moved = TableAllocator.move(one, 1L, 1);
        assertEquals(Set.of(1L, 3L), moved.overruled());
        Round two = TableAllocator.allocate(2, 2, people, choices, List.of(moved), 1L);
        assertEquals(Set.of(2L), two.overruled());
    }

    @Test
    void moveSeatsThePersonElsewhereAndEveryoneStillOnce() {
        List<Long> people = Allocations.people(70);
        Round round = TableAllocator.allocate(1, 8, people, Map.of(), List.of(), 5L);
        long person = people.get(10);
        int from = round.tableOf().get(person);
        int to = (from + 3) % 8;
        Round moved = TableAllocator.move(round, person, to);

        Allocations.assertEveryoneSeatedOnce(people, moved);
        assertEquals(to, moved.tableOf().get(person));
        assertEquals(round.at(from).size() - 1, moved.at(from).size());
        assertEquals(round.at(to).size() + 1, moved.at(to).size());
        for (long other : people) {
            if (other != person) {
                assertEquals(round.tableOf().get(other), moved.tableOf().get(other));
            }
        }
        assertEquals(from, round.tableOf().get(person), "the original round is unchanged");
        assertEquals(round, TableAllocator.move(moved, person, from));
    }

    @Test
    void manyRandomMovesKeepEveryoneSeatedOnce() {
        List<Long> people = Allocations.people(40);
        Random random = new Random(99);
        Round round = TableAllocator.allocate(1, 5, people, Map.of(), List.of(), 5L);
        for (int i = 0; i < 500; i++) {
            round = TableAllocator.move(round, people.get(random.nextInt(people.size())), random.nextInt(5));
            Allocations.assertEveryoneSeatedOnce(people, round);
        }
    }

    @Test
    void moveRefusesStrangersAndMissingTables() {
        Round round = TableAllocator.allocate(2, 3, List.of(1L, 2L), Map.of(), List.of(), 1L);
        IllegalArgumentException stranger = assertThrows(IllegalArgumentException.class,
                () -> TableAllocator.move(round, 9L, 0));
        assertEquals("person 9 is not seated in round 2", stranger.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TableAllocator.move(round, 1L, 3));
        assertThrows(IllegalArgumentException.class, () -> TableAllocator.move(round, 1L, -1));
    }

    @Test
    void repeatedPairsCountsPairsThatSatTogetherMoreThanOnce() {
        Round one = new Round(1, Map.of(1L, 0, 2L, 0, 3L, 0, 4L, 1));
        Round two = new Round(2, Map.of(1L, 0, 2L, 0, 3L, 1, 4L, 1));
        Round three = new Round(3, Map.of(1L, 0, 2L, 0, 3L, 1, 4L, 1));
        assertEquals(0, TableAllocator.repeatedPairs(List.of(one)));
        assertEquals(1, TableAllocator.repeatedPairs(List.of(one, two)));          // 1-2
        assertEquals(2, TableAllocator.repeatedPairs(List.of(one, two, three)));   // 1-2, 3-4
        assertEquals(0, TableAllocator.repeatedPairs(List.of()));
    }

    @Test
    void roundCopiesAndChecksItsMaps() {
        Map<Long, Integer> tableOf = new HashMap<>(Map.of(1L, 0, 2L, 1));
        Round round = new Round(1, tableOf);
        tableOf.put(3L, 0);
        assertEquals(2, round.tableOf().size());
        assertEquals(2, round.tables());
        assertThrows(UnsupportedOperationException.class, () -> round.tableOf().put(4L, 0));
        assertThrows(IllegalArgumentException.class, () -> new Round(1, Map.of(1L, 2), Map.of(), 2));
        assertThrows(IllegalArgumentException.class, () -> new Round(1, Map.of(1L, 0), Map.of(2L, 0), 2));
        assertThrows(IllegalArgumentException.class, () -> new Round(1, Map.of(1L, -1)));
        assertEquals(List.of(new Seat(1L, 0), new Seat(2L, 1)), round.seats());
        assertEquals(round, TableAllocator.move(round, 1L, 0));
    }
}
