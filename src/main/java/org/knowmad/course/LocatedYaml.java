package org.knowmad.course;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML into a Jackson tree while remembering where every key and value stood, so that problems
 * found later (by the schema or by Java rules) can point at a line and column.
 *
 * <p>Jackson's own {@code readTree} forgets positions, hence the walk over the streaming parser.
 */
final class LocatedYaml {

    /** A 1-based position, as editors show it. */
    record Position(int line, int column) {
        static final Position START = new Position(1, 1);
    }

    /** Something wrong in the YAML itself that does not stop reading it (duplicate key, alias, second document). */
    record Issue(String path, Position position, String message) {
    }

    /**
     * The parsed document.
     *
     * @param values path to the position of the value (for mappings and lists, where they begin)
     * @param keys   path to the position of the key that names it
     */
    record Document(JsonNode root, Map<String, Position> values, Map<String, Position> keys, List<Issue> issues) {

        /** Where to point for a problem at {@code path}: the key if asked and known, else the value, else the nearest enclosing one. */
        Position position(String path, boolean atKey) {
            if (atKey && keys.containsKey(path)) return keys.get(path);
            for (String p = path; ; p = DocPath.parent(p)) {
                Position found = values.get(p);
                if (found != null) return found;
                if (p.isEmpty()) return Position.START;
            }
        }
    }

    /** The YAML could not be read at all. */
    static final class SyntaxError extends Exception {
        final Position position;

        SyntaxError(Position position, String message) {
            super(message);
            this.position = position;
        }
    }

    // YAML 1.1 reads yes/no/on/off as booleans ("language: no" would become false); YAML 1.2 and editors don't.
    private static final Set<String> YAML_12_BOOLEANS = Set.of("true", "True", "TRUE", "false", "False", "FALSE");

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, Position> values = new HashMap<>();
    private final Map<String, Position> keys = new HashMap<>();
    private final List<Issue> issues = new ArrayList<>();

    private LocatedYaml() {
    }

    /** Parses one YAML document; an empty document gives a null root. */
    static Document parse(String text) throws SyntaxError {
        LocatedYaml reader = new LocatedYaml();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonNode root = null;
            if (parser.nextToken() != null) {
                root = reader.readValue(parser, DocPath.ROOT);
                if (parser.nextToken() != null) {
                    reader.issues.add(new Issue(DocPath.ROOT, position(parser.currentTokenLocation()),
                            "a course file holds one YAML document; remove the second one (after '---')"));
                }
            }
            return new Document(root, Map.copyOf(reader.values), Map.copyOf(reader.keys), List.copyOf(reader.issues));
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            // Reading from a String: only the parser's own complaints can get here.
            throw new SyntaxError(Position.START, "cannot read YAML: " + e.getMessage());
        }
    }

    private JsonNode readValue(JsonParser parser, String path) throws IOException {
        values.put(path, position(parser.currentTokenLocation()));
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String keyPath = DocPath.key(path, key);
                    Position keyPosition = position(parser.currentTokenLocation());
                    parser.nextToken();
                    if (object.has(key)) {
                        Position first = keys.get(keyPath);
                        issues.add(new Issue(keyPath, keyPosition, "duplicate key '" + key + "' (first at line " + first.line() + ")"));
                        parser.skipChildren();
                        continue;
                    }
                    keys.put(keyPath, keyPosition);
                    object.set(key, readValue(parser, keyPath));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser, DocPath.index(path, array.size())));
                }
                return array;
            }
            case VALUE_STRING -> {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    issues.add(new Issue(path, values.get(path), "YAML aliases (*" + parser.getText() + ") are not supported; write the value out"));
                }
                return nodes.textNode(parser.getText());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                String text = parser.getText();
                return YAML_12_BOOLEANS.contains(text) ? nodes.booleanNode(token == JsonToken.VALUE_TRUE) : nodes.textNode(text);
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDecimalValue());
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> {
                // Embedded binary (!!binary) and the like have no place in a course file; keep their text.
                return nodes.textNode(parser.getText());
            }
        }
    }

    private static Position position(JsonLocation location) {
        return new Position(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    /**
     * Turns SnakeYAML's multi-line report ("while parsing a flow sequence ... expected ',' or ']'") into one
     * line that names the problem and, when it helps, where the unfinished construct began.
     */
    private static SyntaxError syntaxError(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark at = yaml.getProblemMark();
            StringBuilder message = new StringBuilder("YAML syntax error: ").append(oneLine(yaml.getProblem()));
            Mark context = yaml.getContextMark();
            if (yaml.getContext() != null && context != null && context.getLine() != at.getLine()) {
                message.append(" (").append(oneLine(yaml.getContext()))
                        .append(" at line ").append(context.getLine() + 1).append(", column ").append(context.getColumn() + 1).append(')');
            } else if (yaml.getContext() != null) {
                message.append(" (").append(oneLine(yaml.getContext())).append(')');
            }
            return new SyntaxError(new Position(at.getLine() + 1, at.getColumn() + 1), message.toString());
        }
        JsonLocation location = e.getLocation();
        Position at = location == null ? Position.START : position(location);
        String message = e.getOriginalMessage();
        // Jackson's wording for "? [a, b]: c" names SnakeYAML's event classes; say what it means instead.
        if (message != null && message.startsWith("Expected a field name")) {
            return new SyntaxError(at, "YAML syntax error: keys must be plain text, not lists or mappings");
        }
        return new SyntaxError(at, "YAML syntax error: " + oneLine(message));
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace("\\t(TAB)", "tab").replaceAll("\\s+", " ").trim();
    }
}
