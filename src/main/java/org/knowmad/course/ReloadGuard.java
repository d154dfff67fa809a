package org.knowmad.course;

import io.vertx.core.Future;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Decides whether a new version of a live course may replace it, so that running cohorts keep their
 * history: e.g. refuse to drop a cohort that has enrolments, or a module already released.
 */
@FunctionalInterface
public interface ReloadGuard {

    /**
     * @param previous the version being served now
     * @param next     the valid new version, or {@code null} when the course folder (or its course.yaml) was removed
     * @return why the change is refused, one message per reason; empty to accept it. A failed future refuses too.
     */
    Future<List<String>> check(Course previous, Course next);

    /** Accepts every valid change. */
    static ReloadGuard acceptAll() {
        return (previous, next) -> Future.succeededFuture(List.of());
    }

    /** A guard that answers at once, without I/O. */
    static ReloadGuard of(BiFunction<Course, Course, List<String>> check) {
        return (previous, next) -> Future.succeededFuture(check.apply(previous, next));
    }
}
