package org.knowmad.review;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static Csv.RowReader reader(String text) {
        return new Csv.RowReader(new StringReader(text));
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() throws IOException {
        Csv.RowReader rows = reader("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",,x\nlast");
        assertEquals(new Csv.Row(1, List.of("a", "b,c", "say \"hi\"")), rows.next());
        assertEquals(new Csv.Row(2, List.of("two\nlines", "", "x")), rows.next());
        assertEquals(new Csv.Row(4, List.of("last")), rows.next());
        assertNull(rows.next());
    }

    @Test
    void writerQuotesOnlyWhatNeedsIt() throws IOException {
        List<String> fields = List.of("plain", "com,ma", "quo\"te", "new\nline", "cr\rlf", "", " spaced ");
        StringWriter out = new StringWriter();
        Csv.writeRow(out, fields);
        assertEquals("plain,\"com,ma\",\"quo\"\"te\",\"new\nline\",\"cr\rlf\",, spaced \n", out.toString());
        assertEquals(fields, reader(out.toString()).next().fields());
    }

    @Test
    void crLfInsideQuotesAndBlankLines() throws IOException {
        Csv.RowReader rows = reader("\"a\r\nb\"\r\n\r\nc\r");
        assertEquals(List.of("a\r\nb"), rows.next().fields());
        Csv.Row blank = rows.next();
        assertTrue(blank.blank());
        assertEquals(3, blank.line());
        assertEquals(new Csv.Row(4, List.of("c")), rows.next());
        assertNull(rows.next());
    }

    @Test
    void malformedQuotingNamesTheLine() {
        CsvProblem open = assertThrows(CsvProblem.class, () -> {
            Csv.RowReader rows = reader("a\n\"never\nclosed");
            rows.next();
            rows.next();
        });
        assertEquals("line 2: a quoted field is not closed", open.getMessage());
        CsvProblem after = assertThrows(CsvProblem.class, () -> reader("\"a\"b,c").next());
        assertEquals(1, after.line());
        CsvProblem inside = assertThrows(CsvProblem.class, () -> { Csv.RowReader rows = reader("ok\nab\"c"); rows.next(); rows.next(); });
        assertEquals(2, inside.line());
    }
}
