package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsForADeveloper() {
        Config c = Config.fromMap(Map.of());
        assertNull(c.databaseUrl());
        assertEquals(8080, c.port());
        assertEquals("http://localhost:8080", c.baseUrl());
        assertEquals(Path.of("courses"), c.coursesDir());
        assertTrue(c.devMail());
    }

    @Test
    void readsTheEnvironment() {
        Config c = Config.fromMap(Map.of("PORT", "9000", "BASE_URL", "https://learn.example.org/", "SMTP_URL", "smtp://m:25",
                "COURSES_DIR", "/srv/courses", "DATABASE_URL", " ", "SECRET", "s"));
        assertEquals(9000, c.port());
        assertEquals("https://learn.example.org", c.baseUrl());
        assertEquals(Path.of("/srv/courses"), c.coursesDir());
        assertNull(c.databaseUrl(), "blank means unset");
        assertEquals("s", c.secret());
        assertTrue(!c.devMail());
    }

    @Test
    void aBadPortSaysWhatIsExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> Config.fromMap(Map.of("PORT", "eighty")));
        assertTrue(e.getMessage().contains("PORT"));
    }
}
