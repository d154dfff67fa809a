package org.knowmad.course;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowmad.schedule.When;

/**
 * Turns a document {@link CourseValidator} accepted into records. YAML's snake_case keys
 * ({@code submit_by}) land on the records' camelCase components ({@code submitBy}).
 */
final class CourseBinder {

    /** Reviews per submission when the file leaves it out (as in the schema's {@code default}). */
    static final int DEFAULT_REVIEWS_PER_SUBMISSION = 3;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule())
            .addModule(new SimpleModule("knowmad-when").addDeserializer(When.class, new WhenDeserializer()))
            .build();

    private CourseBinder() {
    }

    static Course bind(JsonNode document, Path directory, Map<String, String> contents) throws IOException {
        JsonNode filled = withDefaults(document);
        CourseDefinition definition = MAPPER.treeToValue(filled, CourseDefinition.class);
        return new Course(definition, directory.toAbsolutePath().normalize(), contents);
    }

    // An int component cannot tell "left out" from 0, so the default goes into the tree before binding.
    private static JsonNode withDefaults(JsonNode document) {
        JsonNode copy = document.deepCopy();
        for (JsonNode module : copy.path("modules")) {
            if (module.path("assignment") instanceof ObjectNode assignment && !assignment.has("reviews_per_submission")) {
                assignment.put("reviews_per_submission", DEFAULT_REVIEWS_PER_SUBMISSION);
            }
        }
        return copy;
    }

    private static final class WhenDeserializer extends StdDeserializer<When> {
        WhenDeserializer() {
            super(When.class);
        }

        @Override
        public When deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String text = parser.getValueAsString();
            try {
                return When.parse(text);
            } catch (IllegalArgumentException e) {
                return (When) context.handleWeirdStringValue(When.class, text, e.getMessage());
            }
        }
    }
}
