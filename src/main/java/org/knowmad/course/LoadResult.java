package org.knowmad.course;

import java.util.List;

/** The valid courses of a courses folder, sorted by id, and the problems of every course file in it. */
public record LoadResult(List<Course> courses, List<Problem> problems) {

    public LoadResult {
        courses = List.copyOf(courses);
        problems = List.copyOf(problems);
    }
}
