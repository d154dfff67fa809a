package org.knowmad.course;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks one course folder ({@code course.yaml} and the Markdown files it names) and reports every problem
 * at once: first YAML syntax (which stops there), then the JSON Schema, then the rules in {@link CourseRules}.
 * Never throws: whatever is wrong with the files becomes a {@link Problem}.
 */
public final class CourseValidator {

    static final String FILE_NAME = "course.yaml";

    /** What a check produced: the document and module Markdown when readable, and the problems, sorted by position. */
    record Checked(JsonNode document, Map<String, String> contents, List<Problem> problems) {
        boolean valid() {
            return problems.isEmpty();
        }
    }

    private final ShownPath shown;

    /** A validator naming files relative to the working directory, e.g. {@code courses/knowmad/course.yaml}. */
    public CourseValidator() {
        this(ShownPath.fromWorkingDirectory());
    }

    CourseValidator(ShownPath shown) {
        this.shown = shown;
    }

    /** All problems of the course in {@code courseDirectory}; empty when it is valid. */
    public List<Problem> validate(Path courseDirectory) {
        return check(courseDirectory).problems();
    }

    Checked check(Path courseDirectory) {
        Path file = courseDirectory.resolve(FILE_NAME);
        String name = shown.of(file);
        try {
            return checkText(courseDirectory, name, Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return failed(name, "no " + FILE_NAME + " in this folder");
        } catch (CharacterCodingException e) {
            return failed(name, "the file is not UTF-8 text");
        } catch (IOException e) {
            return failed(name, "cannot read the file: " + e.getMessage());
        } catch (RuntimeException e) {
            // A bug of ours must not take the server's reload loop or the CLI down with it.
            return failed(name, "internal error while checking this file: " + e);
        }
    }

    private Checked checkText(Path courseDirectory, String name, String text) {
        LocatedYaml.Document document;
        try {
            document = LocatedYaml.parse(text);
        } catch (LocatedYaml.SyntaxError e) {
            return new Checked(null, Map.of(), List.of(
                    new Problem(name, e.position.line(), e.position.column(), DocPath.shown(DocPath.ROOT), e.getMessage())));
        }
        if (document.root() == null) {
            return failed(name, "the file is empty; a course needs at least id, title, timezone and modules");
        }
        List<Problem> problems = new ArrayList<>();
        for (LocatedYaml.Issue issue : document.issues()) {
            problems.add(new Problem(name, issue.position().line(), issue.position().column(), DocPath.shown(issue.path()), issue.message()));
        }
        List<Finding> findings = new ArrayList<>(SchemaCheck.check(document.root()));
        Map<String, String> contents = Map.of();
        if (document.root().isObject()) {
            CourseRules.Result rules = CourseRules.check(document.root(), courseDirectory);
            findings.addAll(rules.findings());
            contents = rules.contents();
        }
        for (Finding finding : findings) {
            LocatedYaml.Position at = document.position(finding.path(), finding.atKey());
            problems.add(new Problem(name, at.line(), at.column(), DocPath.shown(finding.path()), finding.message()));
        }
        problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
        return new Checked(document.root(), contents, List.copyOf(problems));
    }

    private static Checked failed(String name, String message) {
        return new Checked(null, Map.of(), List.of(new Problem(name, 0, 0, DocPath.shown(DocPath.ROOT), message)));
    }
}
