package org.knowmad.review;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knowmad grade FILE.csv [--max-total N]}: peer grades from a CSV of scores, as CSV on stdout. */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {"Compute peer grades from a CSV with the header submission,reviewer,criterion,points.",
            "Prints submission,reviews,median,corrected,low,high,published,reason: the per-criterion median,",
            "the bias-corrected PG1 grade (Piech et al. 2013) with its 95%% interval, and the grade to publish."})
public final class GradeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.csv", description = "Peer scores, UTF-8.")
    Path file;

    @Option(names = "--max-total", paramLabel = "N",
            description = "Maximum total points of the rubric (default: the highest points seen per criterion, summed).")
    Double maxTotal;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (maxTotal != null && !(maxTotal > 0 && Double.isFinite(maxTotal))) {
            err.println("--max-total must be a positive number, got " + maxTotal);
            err.flush();
            return 1;
        }
        List<PeerScore> scores;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            scores = GradeCsv.read(in);
        } catch (CsvProblem e) {
            return fail(err, file + ": " + e.getMessage());
        } catch (NoSuchFileException e) {
            return fail(err, file + ": no such file");
        } catch (CharacterCodingException e) {
            return fail(err, file + ": not UTF-8 text");
        } catch (IOException e) {
            return fail(err, file + ": " + e.getMessage());
        }
        double max = maxTotal != null ? maxTotal : PeerGrader.observedMaxTotal(scores);
        // All points 0 (or no rows): any positive scale gives the same grades; 1 keeps the limits meaningful.
        if (!(max > 0)) max = 1;
        try {
            GradeCsv.write(new PeerGrader(max).grade(scores), out);
        } catch (IOException e) {
            return fail(err, "could not write the grades: " + e.getMessage());
        }
        return 0;
    }

    private static int fail(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return 1;
    }
}
