package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MessagesTest {

    private final Messages messages = new Messages();

    @Test
    void englishAndDutchDefineTheSameKeys() {
        assertEquals(new TreeSet<>(messages.keys("en")), new TreeSet<>(messages.keys("nl")));
    }

    @Test
    void argumentsAndFallbacks() {
        assertEquals("There is already a cohort called x. Choose another id.", messages.get("en", "cohort.new.taken", "x"));
        assertEquals("Er is al een groep x. Kies een andere naam.", messages.get("nl", "cohort.new.taken", "x"));
        assertEquals("no.such.key", messages.get("nl", "no.such.key"));
    }

    @Test
    void supportedLanguages() {
        assertEquals("nl", Messages.supported("nl-BE"));
        assertEquals("en", Messages.supported("de"));
        assertEquals("en", Messages.supported(null));
    }
}
