package org.knowmad.course;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads course folders: validates each {@code <id>/course.yaml}, binds the valid ones to records and reads
 * their Markdown. Every subfolder holding a {@code course.yaml} is a course; other folders are ignored.
 */
public final class CourseLoader {

    /** One course folder's outcome: the course when valid (else null), and its problems. */
    record Loaded(Course course, List<Problem> problems) {
    }

    private final ShownPath shown;
    private final CourseValidator validator;

    /** A loader naming files relative to the working directory, e.g. {@code courses/knowmad/course.yaml}. */
    public CourseLoader() {
        this(ShownPath.fromWorkingDirectory());
    }

    CourseLoader(ShownPath shown) {
        this.shown = shown;
        this.validator = new CourseValidator(shown);
    }

    /** Every course under {@code coursesDirectory}: the valid ones, and the problems of all. */
    public LoadResult load(Path coursesDirectory) {
        List<Path> folders;
        try {
            folders = courseFolders(coursesDirectory);
        } catch (IOException e) {
            return new LoadResult(List.of(), List.of(folderProblem(coursesDirectory, "cannot list the courses folder: " + e.getMessage())));
        }
        List<Course> courses = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path folder : folders) {
            Loaded loaded = loadCourse(folder);
            if (loaded.course() != null) courses.add(loaded.course());
            problems.addAll(loaded.problems());
        }
        courses.sort(Comparator.comparing(Course::id));
        return new LoadResult(courses, problems);
    }

    /**
     * The problems for {@code knowmad validate [dir]}: {@code dir} is either one course folder (it holds a
     * course.yaml) or a courses folder. Finding no course at all is a problem too, so a typo in the path fails.
     */
    public List<Problem> validate(Path directory) {
        if (Files.isRegularFile(directory.resolve(CourseValidator.FILE_NAME))) {
            return loadCourse(directory).problems();
        }
        if (!Files.isDirectory(directory)) {
            return List.of(folderProblem(directory, "no such folder"));
        }
        try {
            if (courseFolders(directory).isEmpty()) {
                return List.of(folderProblem(directory, "no " + CourseValidator.FILE_NAME + " here nor in its subfolders"));
            }
        } catch (IOException e) {
            return List.of(folderProblem(directory, "cannot list the folder: " + e.getMessage()));
        }
        return load(directory).problems();
    }

    Loaded loadCourse(Path folder) {
        CourseValidator.Checked checked = validator.check(folder);
        if (!checked.valid()) return new Loaded(null, checked.problems());
        try {
            return new Loaded(CourseBinder.bind(checked.document(), folder, checked.contents()), List.of());
        } catch (IOException | RuntimeException e) {
            // The schema and rules should have caught whatever binding trips on; say so rather than fail silently.
            return new Loaded(null, List.of(new Problem(shown.of(folder.resolve(CourseValidator.FILE_NAME)), 0, 0,
                    DocPath.shown(DocPath.ROOT), "cannot read the course although it looks valid: " + e.getMessage())));
        }
    }

    /** Subfolders holding a course.yaml, by name; hidden folders (.git, editors' caches) are skipped. */
    static List<Path> courseFolders(Path coursesDirectory) throws IOException {
        try (Stream<Path> children = Files.list(coursesDirectory)) {
            return children
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> Files.isRegularFile(p.resolve(CourseValidator.FILE_NAME)))
                    .sorted()
                    .toList();
        }
    }

    String shown(Path file) {
        return shown.of(file);
    }

    private Problem folderProblem(Path folder, String message) {
        return new Problem(shown.of(folder), 0, 0, DocPath.shown(DocPath.ROOT), message);
    }
}
