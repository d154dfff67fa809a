package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradeCsvTest {

    private static List<PeerScore> read(String text) throws IOException {
        return GradeCsv.read(new StringReader(text));
    }

    private static String problem(String text) {
        return assertThrows(CsvProblem.class, () -> read(text)).getMessage();
    }

    @Test
    void readsScoresWithColumnsInAnyOrderAndQuotedNames() throws IOException {
        List<PeerScore> scores = read("\uFEFFpoints,Reviewer,note,criterion,submission\n"
                + "3.5,\"Doe, Jane\",\"said \"\"ok\"\"\",clarity,essay-1\r\n"
                + "\n"
                + "4,bob,,\"depth\",essay-1\n");
        assertEquals(List.of(new PeerScore("essay-1", "Doe, Jane", "clarity", 3.5),
                new PeerScore("essay-1", "bob", "depth", 4)), scores);
        assertEquals(List.of(), read("submission,reviewer,criterion,points\n"));
    }

    @Test
    void everyBadInputNamesItsLine() {
        String header = "submission,reviewer,criterion,points\n";
        assertEquals("line 1: empty file; expected the header submission,reviewer,criterion,points", problem(""));
        assertEquals("line 1: empty file; expected the header submission,reviewer,criterion,points", problem("\n\n"));
        assertEquals("line 1: missing column 'points' (header must name submission,reviewer,criterion,points)",
                problem("submission,reviewer,criterion,score\ns,r,c,1\n"));
        assertEquals("line 3: expected 4 fields, found 3", problem(header + "s,r,c,1\ns,r,c\n"));
        assertEquals("line 2: points is not a number: 'abc'", problem(header + "s,r,c,abc\n"));
        assertEquals("line 2: points is not a number: ''", problem(header + "s,r,c,\n"));
        assertEquals("line 2: points is not a number: 'NaN'", problem(header + "s,r,c,NaN\n"));
        assertEquals("line 2: points is not a number: '1,5'", problem(header + "s,r,c,\"1,5\"\n"));
        assertEquals("line 2: points is too large: '1e999'", problem(header + "s,r,c,1e999\n"));
        assertEquals("line 2: points must not be negative: -1", problem(header + "s,r,c,-1\n"));
        assertEquals("line 2: empty reviewer", problem(header + "s, ,c,1\n"));
        assertEquals("line 2: empty submission", problem(header + ",r,c,1\n"));
        assertEquals("line 2: empty criterion", problem(header + "s,r,,1\n"));
        assertEquals("line 4: duplicate score for submission 's', reviewer 'r', criterion 'c' (first on line 2)",
                problem(header + "s,r,c,1\ns,r,d,1\ns,r,c,2\n"));
        assertEquals("line 2: a quoted field is not closed", problem(header + "\"s,r,c,1\n"));
    }

    @Test
    void writesTwoDecimalsAndAnEmptyReasonWhenTrusted() throws IOException {
        StringWriter out = new StringWriter();
        GradeCsv.write(List.of(
                new GradeEstimate("a, \"b\"", 3, 7.5, 7.123, 6.0, 8.999, true, null),
                new GradeEstimate("c", 1, 4, 3.5, 0, 10, false, TrustRule.TOO_FEW_REVIEWS)), out);
        assertEquals("submission,reviews,median,corrected,low,high,published,reason\n"
                + "\"a, \"\"b\"\"\",3,7.50,7.12,6.00,9.00,7.12,\n"
                + "c,1,4.00,3.50,0.00,10.00,4.00,too_few_reviews\n", out.toString());
        assertEquals("0.00", GradeCsv.number(-0.001));
    }

    @Test
    void roundTripThroughBothFormats() throws IOException {
        List<PeerScore> scores = new ArrayList<>();
        String[] names = {"plain", "with,comma", "with \"quote\"", "two\nlines"};
        for (String s : names) {
            for (String r : names) scores.add(new PeerScore(s, r, "c,1", 2.25));
        }
        StringWriter in = new StringWriter();
        Csv.writeRow(in, GradeCsv.INPUT_COLUMNS);
        for (PeerScore p : scores) Csv.writeRow(in, List.of(p.submission(), p.reviewer(), p.criterion(), Double.toString(p.points())));
        assertEquals(scores, read(in.toString()));

        List<GradeEstimate> grades = new PeerGrader(10).grade(scores);
        StringWriter out = new StringWriter();
        GradeCsv.write(grades, out);
        Csv.RowReader rows = new Csv.RowReader(new StringReader(out.toString()));
        assertEquals(GradeCsv.OUTPUT_COLUMNS, rows.next().fields());
        for (GradeEstimate g : grades) {
            List<String> row = rows.next().fields();
            assertEquals(g.submission(), row.get(0));
            assertEquals(g.reviews(), Integer.parseInt(row.get(1)));
            assertEquals(g.published(), Double.parseDouble(row.get(6)), 0.005);
        }
    }
}
