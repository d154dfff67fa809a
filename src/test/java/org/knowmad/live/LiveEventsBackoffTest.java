package org.knowmad.live;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LiveEventsBackoffTest {

    @Test
    void startsSoonDoublesAndStaysAtTwoSecondsForever() {
        assertEquals(250, LiveEvents.backoffMillis(0));
        assertEquals(500, LiveEvents.backoffMillis(1));
        assertEquals(1_000, LiveEvents.backoffMillis(2));
        assertEquals(2_000, LiveEvents.backoffMillis(3));
        assertEquals(2_000, LiveEvents.backoffMillis(4));
        assertEquals(2_000, LiveEvents.backoffMillis(1_000_000));
    }
}
