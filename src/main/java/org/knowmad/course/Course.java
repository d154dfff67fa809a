package org.knowmad.course;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded, valid course: its definition and the Markdown text of the files its modules name.
 *
 * @param moduleContent module id to the Markdown text of its {@code content} file
 */
public record Course(CourseDefinition definition, Path directory, Map<String, String> moduleContent) {

    public Course {
        moduleContent = Map.copyOf(moduleContent);
    }

    public String id() {
        return definition.id();
    }

    public Optional<String> content(String moduleId) {
        return Optional.ofNullable(moduleContent.get(moduleId));
    }
}
