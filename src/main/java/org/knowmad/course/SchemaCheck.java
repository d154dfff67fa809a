package org.knowmad.course;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a course document against {@code schema/course.json}, the same schema editors use, and words the
 * validator library's findings in plain English with our {@code modules[3].opens} paths.
 */
final class SchemaCheck {

    static final String RESOURCE = "/schema/course.json";

    private static final JsonNode SCHEMA_JSON = readSchemaJson();
    private static final Schema SCHEMA = compile(SCHEMA_JSON);

    // The schema's patterns, each with what it means for a person.
    private static final Map<String, String> PATTERN_MEANINGS = Map.of(
            "^[a-z0-9][a-z0-9-]*$", "is not a valid id: use lowercase letters, digits and '-', starting with a letter or digit",
            "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "is not a BCP-47 language tag such as en, nl or en-GB",
            "^https?://\\S+$", "is not a web address starting with http:// or https://");

    private SchemaCheck() {
    }

    static List<Finding> check(JsonNode document) {
        List<Finding> findings = new ArrayList<>();
        for (Error error : SCHEMA.validate(document)) {
            findings.add(translate(error));
        }
        return findings;
    }

    private static Finding translate(Error error) {
        String path = docPath(error.getInstanceLocation());
        JsonNode value = error.getInstanceNode();
        JsonNode rule = error.getSchemaNode();
        switch (error.getKeyword()) {
            case "required" -> {
                return Finding.at(path, "missing required key '" + error.getProperty() + "'");
            }
            case "additionalProperties" -> {
                String key = error.getProperty();
                return new Finding(DocPath.key(path, key), true, "unknown key '" + key + "'" + hint(key, allowedKeys(error)));
            }
            case "type" -> {
                return Finding.at(path, typeMessage(rule, value));
            }
            case "enum" -> {
                List<String> allowed = new ArrayList<>();
                rule.forEach(option -> allowed.add(option.asText()));
                return Finding.at(path, quoted(value) + " is not one of: " + String.join(", ", allowed));
            }
            case "pattern" -> {
                String meaning = PATTERN_MEANINGS.getOrDefault(rule.asText(), "does not match the pattern " + rule.asText());
                return Finding.at(path, quoted(value) + " " + meaning);
            }
            case "minItems" -> {
                return Finding.at(path, minItemsMessage(path, rule.asInt()));
            }
            case "minimum" -> {
                return Finding.at(path, "must be at least " + rule.asText() + ", found " + value.asText());
            }
            case "minLength" -> {
                return Finding.at(path, "must not be empty");
            }
            default -> {
                return Finding.at(path, error.getMessage());
            }
        }
    }

    private static String docPath(NodePath location) {
        String path = DocPath.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index ? DocPath.index(path, index) : DocPath.key(path, String.valueOf(element));
        }
        return path;
    }

    private static String typeMessage(JsonNode expected, JsonNode value) {
        String wanted = expected.isArray()
                ? expectedNames(expected)
                : typeName(expected.asText());
        String found = value == null || value.isNull() ? "nothing" : describe(value);
        String message = "expected " + wanted + ", found " + found;
        // A number or true/false where text belongs is nearly always an unquoted id like 2017 or a word like "no".
        if ("string".equals(expected.asText()) && value != null && (value.isNumber() || value.isBoolean())) {
            message += "; put it in quotes: \"" + value.asText() + "\"";
        }
        return message;
    }

    private static String expectedNames(JsonNode types) {
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(typeName(t.asText())));
        return String.join(" or ", names);
    }

    private static String typeName(String type) {
        return switch (type) {
            case "string" -> "text";
            case "integer" -> "a whole number";
            case "number" -> "a number";
            case "object" -> "a mapping (key: value)";
            case "array" -> "a list";
            case "boolean" -> "true or false";
            default -> type;
        };
    }

    private static String describe(JsonNode value) {
        if (value.isObject()) return "a mapping";
        if (value.isArray()) return "a list";
        if (value.isTextual()) return "text '" + value.asText() + "'";
        return value.asText();
    }

    private static String quoted(JsonNode value) {
        return "'" + (value == null ? "" : value.asText()) + "'";
    }

    private static String minItemsMessage(String path, int minimum) {
        if (minimum == 1) {
            return switch (DocPath.lastKey(path)) {
                case "modules" -> "a course needs at least one module";
                case "rubric" -> "an assignment needs at least one rubric criterion";
                case "levels" -> "a rubric criterion needs at least one level";
                default -> "must not be empty";
            };
        }
        return "needs at least " + minimum + " items";
    }

    /** The keys the object's schema defines, found beside the {@code additionalProperties} that refused the key. */
    private static List<String> allowedKeys(Error error) {
        String location = error.getSchemaLocation().toString();
        int hash = location.indexOf('#');
        String pointer = hash < 0 ? "" : location.substring(hash + 1);
        pointer = pointer.endsWith("/additionalProperties") ? pointer.substring(0, pointer.length() - "/additionalProperties".length()) : pointer;
        List<String> keys = new ArrayList<>();
        SCHEMA_JSON.at(pointer).path("properties").fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    /** "did you mean" for a near miss (case, '-' for '_', a typo or two), else the list of keys allowed there. */
    private static String hint(String key, List<String> allowed) {
        if (allowed.isEmpty()) return "";
        String close = allowed.stream()
                .filter(k -> normalise(k).equals(normalise(key)) || editDistance(k, key) <= (key.length() >= 5 ? 2 : 1))
                .findFirst().orElse(null);
        if (close != null) return "; did you mean '" + close + "'?";
        return "; expected one of: " + allowed.stream().collect(Collectors.joining(", "));
    }

    private static String normalise(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[-_ ]", "");
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static JsonNode readSchemaJson() {
        try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Schema compile(JsonNode json) {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(json);
        schema.initializeValidators(); // resolve $refs now, once, rather than on a first validation racing another
        return schema;
    }
}
