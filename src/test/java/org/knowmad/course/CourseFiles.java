package org.knowmad.course;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Writes course folders under {@code <root>/courses/} for tests, and shows files relative to {@code root}. */
final class CourseFiles {

    /** The SPEC's example course, complete: every key the format knows. */
    static final String SPEC_EXAMPLE = """
            id: knowmad
            title: "Help! Er zit een knowmad in mijn organisatie"
            language: nl
            timezone: Europe/Amsterdam
            summary: |
              A course about *knowmads*.
            facilitators:
              - { email: anna@example.org, name: Anna }
            guidelines:
              - "Share experiences, not verdicts"
            cohorts:
              - id: 2017-01
                starts: 2017-01-09T09:00
                enrolment: open
                capacity: 1000
                meetup: { starts: 2017-02-14T13:00, venue: "HAN, Nijmegen", online_url: "https://meet.example.org/han", capacity: 40 }
              - id: open
                pace: self
                enrolment: invite
            modules:
              - id: week-1
                title: "Dokters versus internet"
                opens: P0D
                content: week-1.md
                prompts:
                  - { title: "Introduce yourself", body: "Who are you?" }
              - id: week-3
                title: "Knowmads at work"
                opens: P14D
                content: week-3.md
                assignment:
                  title: "Describe a knowmad"
                  instructions: "Write *500 words*."
                  submit_by: P18D
                  review_by: P22D
                  reviews_per_submission: 2
                  rubric:
                    - id: clarity
                      title: "Clarity"
                      levels: [ { points: 0, label: "Unclear" }, { points: 1, label: "Mostly clear" }, { points: 2, label: "Clear" } ]
            meetup:
              title: "Knowmad café"
              starts: P36DT4H
              duration: PT3H
              venue: "HAN"
              online_url: https://meet.example.org/knowmad
              capacity: 70
              questions: 8
              rounds: 2
              organisers: [ { email: bob@example.org, name: Bob } ]
            """;

    /** A small valid course; tests change one line of it. Line numbers are in the comments of the tests. */
    static final String MINIMAL = """
            id: knowmad
            title: Knowmad
            timezone: Europe/Amsterdam
            cohorts:
              - id: 2017-01
                starts: 2017-01-09T09:00
            modules:
              - id: week-1
                title: Week 1
                opens: P0D
                content: week-1.md
            """;

    final Path root;
    final Path courses;
    private long clock = 1_600_000_000_000L;

    CourseFiles(Path root) {
        this.root = root;
        this.courses = root.resolve("courses");
    }

    /** Writes {@code courses/<folder>/course.yaml} and the Markdown files the examples name. */
    Path course(String folder, String yaml) {
        Path dir = courses.resolve(folder);
        write(dir.resolve("course.yaml"), yaml);
        if (!Files.exists(dir.resolve("week-1.md"))) write(dir.resolve("week-1.md"), "# Week 1\n");
        if (!Files.exists(dir.resolve("week-3.md"))) write(dir.resolve("week-3.md"), "# Week 3\n");
        return dir;
    }

    /** Writes a file with a modification time later than any before, so a poll sees the change whatever the clock resolution. */
    void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            clock += 10_000;
            Files.setLastModifiedTime(file, FileTime.fromMillis(clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void delete(String folder) {
        try (Stream<Path> paths = Files.walk(courses.resolve(folder))) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CourseValidator validator() {
        return new CourseValidator(new ShownPath(root));
    }

    CourseLoader loader() {
        return new CourseLoader(new ShownPath(root));
    }

    /** The problems of {@code yaml} as course {@code knowmad}, as the strings a facilitator reads. */
    List<String> problems(String yaml) {
        return validator().validate(course("knowmad", yaml)).stream().map(Problem::toString).toList();
    }
}
