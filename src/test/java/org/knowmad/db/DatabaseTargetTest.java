package org.knowmad.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatabaseTargetTest {

    @Test
    void parsesAFullUrl() {
        DatabaseTarget t = DatabaseTarget.parse("postgresql://kn%40x:p%3Ass@db.local:6543/courses");
        assertEquals("db.local", t.host());
        assertEquals(6543, t.port());
        assertEquals("courses", t.database());
        assertEquals("kn@x", t.user());
        assertEquals("p:ss", t.password());
        assertEquals("jdbc:postgresql://db.local:6543/courses", t.jdbcUrl());
    }

    @Test
    void defaultsPortAndDatabase() {
        DatabaseTarget t = DatabaseTarget.parse("postgres://postgres@localhost");
        assertEquals(5432, t.port());
        assertEquals("postgres", t.database());
        assertNull(t.password());
    }

    @Test
    void refusesWhatIsNotAPostgresUrl() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse("mysql://x@y/z"));
        assertTrue(e.getMessage().contains("postgresql://"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseTarget.parse("postgresql:///nohost"));
    }
}
