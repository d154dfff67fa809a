package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GradeCommandTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GradeCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private String file(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path.toString();
    }

    private static final String SCORES = "submission,reviewer,criterion,points\n"
            + "s1,a,x,4\ns1,a,y,5\ns1,b,x,3\ns1,b,y,5\ns1,c,x,4\ns1,c,y,4\n"
            + "\"s,2\",a,x,2\n\"s,2\",a,y,1\n";

    @Test
    void gradesAFileWithTheObservedMaximum() throws IOException {
        Run run = run(file("scores.csv", SCORES));
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        String[] lines = run.out().split("\n");
        assertEquals("submission,reviews,median,corrected,low,high,published,reason", lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("s1,3,9.00,"), lines[1]);
        // One review: the median is published and the reason given. Observed maximum is 4 + 5 = 9.
        assertTrue(lines[2].startsWith("\"s,2\",1,3.00,"), lines[2]);
        assertTrue(lines[2].endsWith(",3.00,too_few_reviews"), lines[2]);
        for (String line : lines) {
            if (line.startsWith("s1")) {
                double high = Double.parseDouble(line.split(",")[5]);
                assertTrue(high <= 9.0, line);
            }
        }
    }

    @Test
    void maxTotalOptionSetsTheScale() throws IOException {
        Run run = run(file("scores.csv", SCORES), "--max-total", "20");
        assertEquals(0, run.code());
        assertEquals(3, run.out().split("\n").length);
        assertEquals(1, run(file("scores.csv", SCORES), "--max-total", "0").code());
    }

    @Test
    void headerOnlyGivesHeaderOnly() throws IOException {
        Run run = run(file("empty.csv", "submission,reviewer,criterion,points\n"));
        assertEquals(0, run.code());
        assertEquals("submission,reviews,median,corrected,low,high,published,reason\n", run.out());
    }

    @Test
    void badInputGoesToStderrWithTheLineAndExitCode1() throws IOException {
        String header = "submission,reviewer,criterion,points\n";
        String[][] cases = {
            {"", "line 1: empty file"},
            {"submission,reviewer,points\ns,r,1\n", "line 1: missing column 'criterion'"},
            {header + "s,r,c,1\ns,r,d,x\n", "line 3: points is not a number: 'x'"},
            {header + "s,r,c,-2\n", "line 2: points must not be negative: -2"},
            {header + "s,r,c\n", "line 2: expected 4 fields, found 3"},
        };
        for (String[] c : cases) {
            String path = file("bad.csv", c[0]);
            Run run = run(path);
            assertEquals(1, run.code(), c[1]);
            assertEquals("", run.out());
            assertTrue(run.err().startsWith(path + ": " + c[1]), run.err());
        }
        Run missing = run(dir.resolve("nope.csv").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, (header + "caf\u00e9,r,c,1\n").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(1, run(latin1.toString()).code());
    }

    @Test
    void usageErrorsAreReportedByPicocli() {
        assertEquals(2, run().code());
        assertEquals(2, run("x.csv", "--max-total", "lots").code());
    }
}
