package org.knowmad.course;

/** A discussion thread the facilitators open when its module opens. */
public record Prompt(String title, String body) {
}
