package org.knowmad.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TemplatesTest {

    private static List<Path> templateFiles() throws IOException, URISyntaxException {
        Path root = Path.of(TemplatesTest.class.getResource("/templates/layouts/main.hbs").toURI()).getParent().getParent();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".hbs")).toList();
        }
    }

    /** A node compiles them all a few seconds after it starts: every template must compile on its own. */
    @Test
    void compilesEveryTemplateAhead() throws Exception {
        Templates templates = new Templates(new Messages());
        templates.compileAll();
        assertEquals(templateFiles().size(), templates.compiledCount());
        templates.compileAll(); // again: nothing new, nothing fails
        assertEquals(templateFiles().size(), templates.compiledCount());
    }

    /**
     * One character beyond Latin-1 in a template makes every page rendered with it a UTF-16 string (twice the bytes
     * to copy, a slower encoding): templates write such characters as entities.
     */
    @Test
    void templatesAreLatin1() throws Exception {
        for (Path file : templateFiles()) {
            String text = Files.readString(file);
            assertTrue(text.chars().allMatch(c -> c <= 0xFF), file + " has a character beyond Latin-1: write it as an entity");
        }
    }

    /** A block no page fills makes Handlebars look for its partial, and miss, on every render. */
    @Test
    void theLayoutHasOnlyTheContentBlock() throws Exception {
        String layout = new String(TemplatesTest.class.getResourceAsStream("/templates/layouts/main.hbs").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(layout.replace("{{#block \"content\"}}", "").contains("{{#block"), "a block besides content");
    }
}
