package org.knowmad.meetup;

/** One attendee at one table of a round; {@code table} counts from 0. */
public record Seat(long person, int table) {

    public Seat {
        if (table < 0) {
            throw new IllegalArgumentException("table must be 0 or more, was " + table);
        }
    }
}
