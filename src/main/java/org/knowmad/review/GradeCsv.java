package org.knowmad.review;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Peer scores in and grades out as CSV, shared by the {@code grade} command and the server's export.
 *
 * <p>Input: a header naming at least {@code submission,reviewer,criterion,points} (any order, other
 * columns ignored), then one row per score. Output: {@code submission,reviews,median,corrected,low,high,
 * published,reason} with numbers to 2 decimals in {@link Locale#ROOT} and an empty reason when trusted.
 */
public final class GradeCsv {

    public static final List<String> INPUT_COLUMNS = List.of("submission", "reviewer", "criterion", "points");
    public static final List<String> OUTPUT_COLUMNS = List.of("submission", "reviews", "median", "corrected", "low", "high", "published", "reason");

    /** A plain decimal number: no NaN, Infinity, hex or type suffixes that Double.parseDouble would accept. */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /**
     * Reads peer scores.
     *
     * @throws CsvProblem naming the line for: an empty file, a missing column, a row with the wrong number of
     *     fields, an empty name, points that are not a number or are negative, a repeated
     *     (submission, reviewer, criterion), or malformed quoting
     */
    public static List<PeerScore> read(Reader in) throws IOException {
        Csv.RowReader rows = new Csv.RowReader(in);
        Csv.Row header = rows.next();
        while (header != null && header.blank()) header = rows.next();
        if (header == null) throw new CsvProblem(1, "empty file; expected the header " + String.join(",", INPUT_COLUMNS));
        int[] column = new int[INPUT_COLUMNS.size()];
        List<String> names = new ArrayList<>();
        for (String name : header.fields()) names.add(name.replace("\uFEFF", "").trim().toLowerCase(Locale.ROOT));
        for (int i = 0; i < column.length; i++) {
            column[i] = names.indexOf(INPUT_COLUMNS.get(i));
            if (column[i] < 0) {
                throw new CsvProblem(header.line(), "missing column '" + INPUT_COLUMNS.get(i) + "' (header must name "
                        + String.join(",", INPUT_COLUMNS) + ")");
            }
        }
        List<PeerScore> scores = new ArrayList<>();
        Map<List<String>, Integer> firstLine = new HashMap<>();
        for (Csv.Row row = rows.next(); row != null; row = rows.next()) {
            if (row.blank()) continue;
            List<String> f = row.fields();
            if (f.size() != names.size()) {
                throw new CsvProblem(row.line(), "expected " + names.size() + " fields, found " + f.size());
            }
            String submission = required(row, f.get(column[0]), "submission");
            String reviewer = required(row, f.get(column[1]), "reviewer");
            String criterion = required(row, f.get(column[2]), "criterion");
            String text = f.get(column[3]).trim();
            if (!NUMBER.matcher(text).matches()) throw new CsvProblem(row.line(), "points is not a number: '" + text + "'");
            double points = Double.parseDouble(text);
            if (!Double.isFinite(points)) throw new CsvProblem(row.line(), "points is too large: '" + text + "'");
            if (points < 0) throw new CsvProblem(row.line(), "points must not be negative: " + text);
            Integer earlier = firstLine.putIfAbsent(List.of(submission, reviewer, criterion), row.line());
            if (earlier != null) {
                throw new CsvProblem(row.line(), "duplicate score for submission '" + submission + "', reviewer '" + reviewer
                        + "', criterion '" + criterion + "' (first on line " + earlier + ")");
            }
            scores.add(new PeerScore(submission, reviewer, criterion, points));
        }
        return scores;
    }

    /** Writes the header and one row per estimate. */
    public static void write(List<GradeEstimate> grades, Writer out) throws IOException {
        Csv.writeRow(out, OUTPUT_COLUMNS);
        for (GradeEstimate g : grades) {
            Csv.writeRow(out, List.of(g.submission(), Integer.toString(g.reviews()), number(g.median()),
                    number(g.corrected()), number(g.low()), number(g.high()), number(g.published()),
                    g.reason() == null ? "" : g.reason()));
        }
        out.flush();
    }

    /** Two decimals, Locale.ROOT, never "-0.00". */
    static String number(double x) {
        String s = String.format(Locale.ROOT, "%.2f", x);
        return s.equals("-0.00") ? "0.00" : s;
    }

    private static String required(Csv.Row row, String value, String column) throws CsvProblem {
        String trimmed = value.trim();
        if (trimmed.isEmpty()) throw new CsvProblem(row.line(), "empty " + column);
        return trimmed;
    }

    private GradeCsv() {
    }
}
