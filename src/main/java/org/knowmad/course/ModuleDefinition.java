package org.knowmad.course;

import java.util.List;
import org.knowmad.schedule.When;

/** A week (or any stretch) of the course; {@code content} names a Markdown file beside course.yaml. */
public record ModuleDefinition(
        String id,
        String title,
        When opens,
        String content,
        List<Prompt> prompts,
        AssignmentDefinition assignment) {

    public ModuleDefinition {
        prompts = prompts == null ? List.of() : List.copyOf(prompts);
    }
}
