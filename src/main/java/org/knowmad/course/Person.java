package org.knowmad.course;

/** A facilitator or organiser named in a course file. */
public record Person(String email, String name) {
}
