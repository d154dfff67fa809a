package org.knowmad.review;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 reader and writer: comma-separated fields, a field in double quotes may contain
 * commas, line breaks and doubled quotes ({@code ""}). Lines may end in CRLF, LF or CR. The writer quotes
 * only fields that need it and ends rows with LF (what Unix tools and spreadsheets both accept).
 */
public final class Csv {

    /** One record: its fields and the 1-based line on which it starts. */
    public record Row(int line, List<String> fields) {

        /** An empty line: one empty, unquoted field. */
        public boolean blank() {
            return fields.size() == 1 && fields.get(0).isEmpty();
        }
    }

    /** Reads records one at a time. */
    public static final class RowReader {
        private final Reader in;
        private int line = 1;
        private int pushback = -2;

        public RowReader(Reader in) {
            this.in = in;
        }

        /** The next record, or {@code null} at the end of the input. */
        public Row next() throws IOException {
            int c = read();
            if (c == -1) return null;
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            boolean quoted = false;
            while (true) {
                if (c == -1 || c == '\n' || c == '\r') {
                    if (c == '\r') {
                        int d = read();
                        if (d != '\n') unread(d);
                    }
                    if (c != -1) line++;
                    fields.add(field.toString());
                    return new Row(start, fields);
                }
                if (c == ',') {
                    fields.add(field.toString());
                    field.setLength(0);
                    quoted = false;
                } else if (c == '"') {
                    if (quoted || field.length() > 0) throw new CsvProblem(line, "a quote inside an unquoted field (quote the whole field and double the quote)");
                    quoted = true;
                    readQuoted(field);
                    int d = read();
                    if (d != ',' && d != '\n' && d != '\r' && d != -1) throw new CsvProblem(line, "text after a closing quote");
                    c = d;
                    continue;
                } else {
                    if (quoted) throw new CsvProblem(line, "text after a closing quote");
                    field.append((char) c);
                }
                c = read();
            }
        }

        private void readQuoted(StringBuilder field) throws IOException {
            int opened = line;
            while (true) {
                int c = read();
                if (c == -1) throw new CsvProblem(opened, "a quoted field is not closed");
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                        continue;
                    }
                    unread(d);
                    return;
                }
                if (c == '\n') {
                    line++;
                } else if (c == '\r') {
                    int d = read();
                    if (d != '\n') unread(d);
                    else field.append('\r').append((char) d);
                    line++;
                    if (d == '\n') continue;
                }
                field.append((char) c);
            }
        }

        private int read() throws IOException {
            if (pushback != -2) {
                int c = pushback;
                pushback = -2;
                return c;
            }
            return in.read();
        }

        private void unread(int c) {
            pushback = c;
        }
    }

    /** Writes one row, quoting fields that contain a comma, a quote or a line break. */
    public static void writeRow(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) out.write(',');
            out.write(field(fields.get(i)));
        }
        out.write('\n');
    }

    /** One field as it must appear in a CSV file. */
    public static String field(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    /**
     * One field for a file people open in a spreadsheet: quoted as {@link #field}, and a text starting with a
     * formula character ({@code = + - @}, tab, CR) is prefixed with {@code '} so the spreadsheet shows it instead
     * of running it. Plain numbers (e.g. {@code -1.5}) stay numbers.
     */
    public static String safeField(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 && !v.matches("-?[0-9.]+")) v = "'" + v;
        return field(v);
    }

    private Csv() {
    }
}
