package org.knowmad.course;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema is what editors show facilitators: every key documented, no key silently accepted. */
class CourseSchemaTest {

    private static JsonNode schema() throws Exception {
        try (InputStream in = CourseSchemaTest.class.getResourceAsStream(SchemaCheck.RESOURCE)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void everyObjectIsClosedAndEveryPropertyDescribed() throws Exception {
        JsonNode schema = schema();
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText());
        List<String> undocumented = new ArrayList<>();
        List<String> open = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>(List.of(schema));
        schema.path("$defs").forEach(objects::add);
        for (JsonNode object : objects) {
            if (!object.has("properties")) continue;
            if (!object.path("additionalProperties").isBoolean() || object.path("additionalProperties").asBoolean()) open.add(object.toString());
            for (Map.Entry<String, JsonNode> property : object.path("properties").properties()) {
                if (property.getValue().path("description").asText().isBlank()) undocumented.add(property.getKey());
            }
        }
        assertEquals(List.of(), undocumented);
        assertEquals(List.of(), open);
    }

    @Test
    void schemaAloneRejectsWhatItCan() {
        List<Finding> findings = SchemaCheck.check(new ObjectMapper().createObjectNode().put("id", "knowmad"));
        assertTrue(findings.contains(Finding.at("", "missing required key 'modules'")), findings.toString());
    }
}
