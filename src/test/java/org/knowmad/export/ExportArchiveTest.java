package org.knowmad.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ExportArchiveTest {

    @Test
    void slugsAreShortSafeAndNeverEmpty() {
        assertEquals("cafe-at-the-end", ExportArchive.slug("Café at the end!"));
        assertEquals("thread", ExportArchive.slug("../../"));
        assertEquals("thread", ExportArchive.slug(null));
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(80); n > 0; n--) s.append((char) random.nextInt(0x3000));
            String slug = ExportArchive.slug(s.toString());
            assertTrue(slug.matches("[a-z0-9]+(-[a-z0-9]+)*") && slug.length() <= 40, slug);
        }
    }
}
