package org.knowmad.course;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.knowmad.schedule.When;

/**
 * The rules a JSON Schema cannot say: unique ids, real time zones, parseable moments in a sensible order,
 * content files that exist inside the course folder. Runs on documents the schema may have rejected, so
 * every rule looks only at values of the shape it expects and leaves the rest to the schema's findings.
 * Reads the modules' Markdown files on the way, so the loader binds exactly what was checked.
 */
final class CourseRules {

    /** What the rules found, and the Markdown of every module whose content file could be read. */
    record Result(List<Finding> findings, Map<String, String> contents) {
    }

    private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]*$");
    // Deliberately loose: catches "anna", "anna@" and "anna example.org", not every RFC 5322 corner.
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    // Where to place two offsets to compare them when no fixed-pace cohort gives a real start.
    private static final LocalDateTime SOME_START = LocalDateTime.of(2001, 1, 1, 0, 0);

    private final JsonNode root;
    private final Path directory;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, String> contents = new HashMap<>();
    private ZoneId zone = ZoneOffset.UTC;
    private final Map<String, LocalDateTime> fixedStarts = new LinkedHashMap<>();

    private CourseRules(JsonNode root, Path directory) {
        this.root = root;
        this.directory = directory.toAbsolutePath().normalize();
    }

    static Result check(JsonNode root, Path courseDirectory) {
        CourseRules rules = new CourseRules(root, courseDirectory);
        rules.run();
        return new Result(List.copyOf(rules.findings), Map.copyOf(rules.contents));
    }

    private void run() {
        checkIdIsFolderName();
        checkTimezone();
        checkEmails("facilitators", root.path("facilitators"));
        checkEmails("meetup.organisers", root.path("meetup").path("organisers"));
        checkUnique("cohorts", root.path("cohorts"), "cohort id");
        checkUnique("modules", root.path("modules"), "module id");
        checkCohorts();
        checkModules();
        checkMeetup();
        checkCohortGuidelines();
        checkCircles();
    }

    /** Backgrounds are what participants choose from: two that differ only in case would split one group. */
    private void checkCircles() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode b : root.path("circles").path("backgrounds")) {
            String name = text(b);
            if (name == null) continue;
            if (name.isBlank()) add("circles.backgrounds", "a background must not be blank");
            else if (!seen.add(name.strip().toLowerCase(java.util.Locale.ROOT))) add("circles.backgrounds", "'" + name + "' is listed twice");
        }
    }

    private void checkIdIsFolderName() {
        String id = text(root.path("id"));
        String folder = directory.getFileName() == null ? "" : directory.getFileName().toString();
        // A malformed id already has the schema's finding; a second one about the folder would only add noise.
        if (id != null && ID.matcher(id).matches() && !id.equals(folder)) {
            add("id", "'" + id + "' must equal the name of the course's folder, '" + folder + "'");
        }
    }

    private void checkTimezone() {
        String timezone = text(root.path("timezone"));
        if (timezone == null) return;
        // ZoneId.of also takes offsets like "+02:00", which ignore daylight saving: only region ids will do.
        if (ZoneId.getAvailableZoneIds().contains(timezone)) {
            zone = ZoneId.of(timezone);
        } else {
            add("timezone", "'" + timezone + "' is not an IANA time zone such as Europe/Amsterdam");
        }
    }

    private void checkEmails(String path, JsonNode people) {
        for (int i = 0; i < people.size(); i++) {
            String email = text(people.path(i).path("email"));
            if (email != null && !EMAIL.matcher(email).matches()) {
                add(DocPath.key(DocPath.index(path, i), "email"), "'" + email + "' is not an email address");
            }
        }
    }

    private void checkUnique(String listPath, JsonNode list, String what) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String id = text(list.path(i).path("id"));
            if (id == null) continue;
            Integer first = seen.putIfAbsent(id, i);
            if (first != null) {
                // The problem's own path says which list; naming the other entry by its index is enough.
                String listName = listPath.substring(listPath.lastIndexOf('.') + 1);
                add(DocPath.key(DocPath.index(listPath, i), "id"),
                        "duplicate " + what + " '" + id + "' (also " + DocPath.index(listName, first) + ")");
            }
        }
    }

    private void checkCohorts() {
        JsonNode cohorts = root.path("cohorts");
        for (int i = 0; i < cohorts.size(); i++) {
            JsonNode cohort = cohorts.path(i);
            if (!cohort.isObject()) continue;
            String path = DocPath.index("cohorts", i);
            boolean selfPaced = "self".equals(text(cohort.path("pace")));
            JsonNode starts = cohort.path("starts");
            if (starts.isMissingNode() && !selfPaced) {
                add(path, "a fixed-pace cohort needs 'starts', a local date-time such as 2017-01-09T09:00 (or set 'pace: self')");
            } else if (starts.isTextual()) {
                LocalDateTime start = localDateTime(DocPath.key(path, "starts"), starts.asText());
                String id = text(cohort.path("id"));
                if (start != null && !selfPaced && id != null) fixedStarts.put(id, start);
            }
            when(DocPath.key(DocPath.key(path, "meetup"), "starts"), cohort.path("meetup").path("starts"));
        }
    }

    private void checkModules() {
        JsonNode modules = root.path("modules");
        for (int i = 0; i < modules.size(); i++) {
            JsonNode module = modules.path(i);
            if (!module.isObject()) continue;
            String path = DocPath.index("modules", i);
            When opens = when(DocPath.key(path, "opens"), module.path("opens"));
            checkContent(DocPath.key(path, "content"), text(module.path("id")), module.path("content"));
            JsonNode assignment = module.path("assignment");
            if (assignment.isObject()) checkAssignment(DocPath.key(path, "assignment"), assignment, opens);
        }
    }

    private void checkAssignment(String path, JsonNode assignment, When opens) {
        When submitBy = when(DocPath.key(path, "submit_by"), assignment.path("submit_by"));
        When reviewBy = when(DocPath.key(path, "review_by"), assignment.path("review_by"));
        requireAfter(DocPath.key(path, "submit_by"), "submit_by", submitBy, "the module opens", opens);
        requireAfter(DocPath.key(path, "review_by"), "review_by", reviewBy, "submit_by", submitBy);
        checkUnique(DocPath.key(path, "rubric"), assignment.path("rubric"), "criterion id");
    }

    private void checkCohortGuidelines() {
        String window = text(root.path("cohort_guidelines").path("propose_for"));
        if (window == null) return;
        try {
            Duration length = Duration.parse(window);
            if (length.isNegative() || length.isZero()) add("cohort_guidelines.propose_for", "'" + window + "' must be longer than zero");
        } catch (DateTimeParseException e) {
            add("cohort_guidelines.propose_for", "'" + window + "' is not a duration such as P7D or P14D");
        }
    }

    private void checkMeetup() {
        JsonNode meetup = root.path("meetup");
        if (!meetup.isObject()) return;
        when("meetup.starts", meetup.path("starts"));
        checkFollowUp(meetup);
        String duration = text(meetup.path("duration"));
        if (duration == null) return;
        try {
            Duration length = Duration.parse(duration);
            if (length.isNegative() || length.isZero()) {
                add("meetup.duration", "'" + duration + "' must be longer than zero");
            }
        } catch (DateTimeParseException e) {
            add("meetup.duration", "'" + duration + "' is not a duration such as PT3H or PT1H30M");
        }
    }

    /** How long after the meetup its follow-up thread opens: a duration longer than zero (P42D, P6W is not one). */
    private void checkFollowUp(JsonNode meetup) {
        String followUp = text(meetup.path("follow_up"));
        if (followUp == null) return;
        try {
            Duration after = Duration.parse(followUp);
            if (after.isNegative() || after.isZero()) add("meetup.follow_up", "'" + followUp + "' must be longer than zero");
        } catch (DateTimeParseException e) {
            add("meetup.follow_up", "'" + followUp + "' is not a duration such as P42D or P30DT12H");
        }
    }

    /** A module's Markdown file must be a readable UTF-8 file inside the course folder. */
    private void checkContent(String path, String moduleId, JsonNode content) {
        String name = text(content);
        if (name == null || name.isEmpty()) return;
        Path file;
        try {
            file = directory.resolve(name).normalize();
        } catch (InvalidPathException e) {
            add(path, "'" + name + "' is not a file name");
            return;
        }
        if (!file.startsWith(directory) || file.equals(directory)) {
            add(path, "'" + name + "' is outside the course folder; content files live beside course.yaml");
            return;
        }
        if (!Files.isRegularFile(file)) {
            add(path, "file '" + name + "' not found beside course.yaml");
            return;
        }
        try {
            // A symbolic link could still lead out of the folder; the server must not serve what it points at.
            if (!file.toRealPath().startsWith(directory.toRealPath())) {
                add(path, "'" + name + "' is outside the course folder; content files live beside course.yaml");
                return;
            }
            String markdown = StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            if (moduleId != null) contents.put(moduleId, markdown);
        } catch (CharacterCodingException e) {
            add(path, "file '" + name + "' is not UTF-8 text");
        } catch (IOException e) {
            add(path, "cannot read '" + name + "': " + e.getMessage());
        }
    }

    /** Parses a moment ({@code P14D} or a local date-time), reporting When's own message when it is not one. */
    private When when(String path, JsonNode value) {
        if (!value.isTextual()) return null; // absent, or the schema reports the wrong type
        try {
            return When.parse(value.asText());
        } catch (IllegalArgumentException e) {
            add(path, e.getMessage());
            return null;
        }
    }

    private LocalDateTime localDateTime(String path, String text) {
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            add(path, "'" + text + "' is not a local date-time such as 2017-01-09T09:00");
            return null;
        }
    }

    /**
     * Reports {@code later} unless it comes strictly after {@code earlier}. Two offsets or two date-times
     * compare directly; an offset and a date-time only for a given start, so each fixed-pace cohort is tried.
     */
    private void requireAfter(String path, String laterName, When later, String earlierName, When earlier) {
        if (later == null || earlier == null) return;
        if (later.isRelative() == earlier.isRelative()) {
            LocalDateTime start = fixedStarts.values().stream().findFirst().orElse(SOME_START);
            Instant laterAt = resolve(later, start);
            Instant earlierAt = resolve(earlier, start);
            if (laterAt != null && earlierAt != null && !laterAt.isAfter(earlierAt)) {
                add(path, laterName + " (" + later + ") must be after " + earlierName + " (" + earlier + ")");
            }
            return;
        }
        fixedStarts.forEach((cohort, start) -> {
            Instant laterAt = resolve(later, start);
            Instant earlierAt = resolve(earlier, start);
            if (laterAt != null && earlierAt != null && !laterAt.isAfter(earlierAt)) {
                add(path, laterName + " (" + shown(later, laterAt) + ") must be after " + earlierName
                        + " (" + shown(earlier, earlierAt) + ") for cohort " + cohort);
            }
        });
    }

    private Instant resolve(When when, LocalDateTime start) {
        try {
            return when.resolve(start, zone);
        } catch (DateTimeException | ArithmeticException e) {
            return null; // absurd offsets (P999999999Y) cannot be placed in time, so they are not ordered either
        }
    }

    /** An offset shown with the local date-time it lands on, so the facilitator sees why the order fails. */
    private String shown(When when, Instant at) {
        if (!when.isRelative()) return when.toString();
        return when + ", which is " + LocalDateTime.ofInstant(at, zone);
    }

    private void add(String path, String message) {
        findings.add(Finding.at(path, message));
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}
