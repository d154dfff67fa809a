package org.knowmad.course;

import java.util.List;

/**
 * What one {@link CourseCatalog#reload()} did.
 *
 * @param added    ids of courses now served that were not before (new, or valid for the first time)
 * @param updated  ids of served courses replaced by a new version
 * @param removed  ids of courses no longer served (their folder is gone)
 * @param problems every problem the catalogue now knows, for all courses
 */
public record ReloadReport(List<String> added, List<String> updated, List<String> removed, List<Problem> problems) {

    public ReloadReport {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        removed = List.copyOf(removed);
        problems = List.copyOf(problems);
    }

    /** Whether the set of served course versions changed. */
    public boolean changed() {
        return !added.isEmpty() || !updated.isEmpty() || !removed.isEmpty();
    }
}
