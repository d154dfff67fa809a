package org.knowmad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.knowmad.support.Fixtures;
import picocli.CommandLine;

/** The command line as a facilitator uses it: {@code knowmad validate}. */
class MainTest {

    @Test
    void validateAcceptsTheExampleCoursesAndExitsZero() {
        Result r = run("validate", "courses");
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("OK: courses is valid"), r.out);
    }

    @Test
    void validatePrintsEveryErrorWithItsPositionAndExitsOne() throws Exception {
        Path courses = Fixtures.coursesCopy();
        Path yaml = courses.resolve("demo/course.yaml");
        Files.writeString(yaml, Files.readString(yaml)
                .replace("timezone: Europe/Amsterdam", "timezone: Mars/Olympus")
                .replace("opens: P7D", "opens: P2W3")
                .replace("language: en", "language: en\nbogus: 1"));
        Result r = run("validate", courses.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("course.yaml:5:1: bogus: unknown key 'bogus'"), r.out);
        assertTrue(r.out.matches("(?s).*course\\.yaml:\\d+:\\d+: timezone: .*Mars/Olympus.*"), r.out);
        assertTrue(r.out.matches("(?s).*course\\.yaml:\\d+:\\d+: modules\\[1\\]\\.opens: 'P2W3' is not a duration or local date-time.*"), r.out);
        assertTrue(r.out.contains("3 errors."), r.out);
    }

    @Test
    void everyCommandsHelpIsCleanAndExitsZero() {
        String[][] commands = {{}, {"serve"}, {"validate"}, {"migrate"}, {"signin-link"}, {"token"}, {"token", "create"},
            {"grade"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            String shown = String.join(" ", args);
            Result r = run(args);
            assertEquals(0, r.code, shown + "\n" + r.out + r.err);
            assertTrue(r.out.startsWith("Usage: knowmad"), shown + "\n" + r.out);
            assertEquals("", r.err, shown + " wrote to stderr");
            assertTrue(!r.out.contains("%n") && !r.out.contains("WARN"), shown + "\n" + r.out);
        }
        assertTrue(run("grade", "--help").out.contains("95% interval"));
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        PrintStream previousErr = System.err;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new Main()).execute(args);
            return new Result(code, bytes.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(previous);
            System.setErr(previousErr);
        }
    }
}
