/**
 * Courses as facilitators write them: {@code courses/<id>/course.yaml} plus Markdown files beside it.
 *
 * <ul>
 *   <li>{@link org.knowmad.course.CourseCatalog} serves the valid courses and reloads them while the server
 *       runs; a bad edit or a change refused by a {@link org.knowmad.course.ReloadGuard} keeps the last good
 *       version live and lists its {@link org.knowmad.course.Problem}s.</li>
 *   <li>{@link org.knowmad.course.CourseLoader} loads a courses folder once and backs {@code knowmad validate}.</li>
 *   <li>{@link org.knowmad.course.CourseValidator} checks one course folder: YAML syntax (LocatedYaml), the JSON
 *       Schema {@code schema/course.json} (SchemaCheck, also served to editors), then the rules the schema
 *       cannot say (CourseRules). CourseBinder turns an accepted document into the records.</li>
 * </ul>
 */
package org.knowmad.course;
