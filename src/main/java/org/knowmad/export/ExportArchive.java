package org.knowmad.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A person's own work as a ZIP of Markdown files: pure, no I/O. One file per thread they wrote in (their posts
 * only), one per assignment (their text, grade and the reviews they may read), and a README saying what is where.
 * Paths are built from ids and a slug of the title, so nothing a person typed can climb out of the archive.
 */
final class ExportArchive {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    /** @param text a message in the reader's language: key and arguments
     *  @param zoneOf the time zone of a course (its dates are shown there) */
    static byte[] build(String site, Instant now, List<ExportStore.Post> posts, List<ExportStore.Submission> submissions,
                        List<ExportStore.CirclePost> circlePosts, BiFunction<String, Object[], String> text, Function<String, ZoneId> zoneOf) {
        Map<String, StringBuilder> files = new LinkedHashMap<>();
        files.put("README.md", new StringBuilder(text.apply("export.readme", new Object[] {site, WHEN.format(now.atZone(ZoneId.of("UTC"))) + " UTC"})));
        if (!circlePosts.isEmpty()) files.get("README.md").append("\n").append(text.apply("export.readmeCircles", new Object[0]));
        for (ExportStore.CirclePost p : circlePosts) {
            String path = p.courseId() + "/" + p.cohortId() + "/circles/circle-" + p.circle() + ".md";
            StringBuilder f = files.computeIfAbsent(path, k -> new StringBuilder("# ")
                    .append(text.apply("circles.circleTitle", new Object[] {p.circle()})).append("\n"));
            f.append("\n## ").append(when(p.createdAt(), zoneOf.apply(p.courseId()))).append("\n\n").append(p.body().strip()).append("\n");
        }
        for (ExportStore.Post p : posts) {
            String path = p.courseId() + "/" + p.cohortId() + "/posts/" + p.moduleId() + "-" + p.threadId() + "-" + slug(p.threadTitle()) + ".md";
            StringBuilder f = files.computeIfAbsent(path, k -> new StringBuilder("# ").append(oneLine(p.threadTitle())).append("\n"));
            ZoneId zone = zoneOf.apply(p.courseId());
            f.append("\n## ").append(text.apply("export.post", new Object[] {p.number(), oneLine(p.threadTitle()), when(p.createdAt(), zone)}));
            if (p.replyTo() != null) f.append(" · ").append(text.apply("export.replyTo", new Object[] {p.replyTo()}));
            f.append("\n\n");
            if (p.anonymous()) f.append("_").append(text.apply("export.anonymous", new Object[0])).append("_\n\n");
            f.append(p.body().strip()).append("\n");
        }
        for (ExportStore.Submission s : submissions) {
            String path = s.courseId() + "/" + s.cohortId() + "/submissions/" + s.moduleId() + ".md";
            ZoneId zone = zoneOf.apply(s.courseId());
            StringBuilder f = new StringBuilder("# ").append(s.moduleId()).append("\n\n");
            if (s.submittedAt() != null) {
                f.append("_").append(text.apply("export.submitted", new Object[] {when(s.submittedAt(), zone)}));
                if (s.late()) f.append(" ").append(text.apply("export.late", new Object[0]));
                f.append("_\n\n").append(s.body().strip()).append("\n");
            } else {
                f.append("_").append(text.apply("export.draft", new Object[] {when(s.updatedAt(), zone)})).append("_\n\n")
                        .append(s.draft().strip()).append("\n");
            }
            if (s.points() != null && s.maxPoints() != null) {
                f.append("\n**").append(text.apply("export.grade", new Object[] {round(s.points()), round(s.maxPoints())})).append("**\n");
            }
            for (ExportStore.Review r : s.reviews()) {
                f.append("\n## ").append(text.apply("export.review", new Object[] {when(r.completedAt(), zone)})).append("\n\n");
                if (r.scores() != null && !r.scores().isEmpty()) {
                    for (String criterion : r.scores().fieldNames()) {
                        f.append("- ").append(oneLine(criterion)).append(": ").append(r.scores().getValue(criterion)).append("\n");
                    }
                    f.append("\n");
                }
                if (r.comment() != null && !r.comment().isBlank()) f.append(r.comment().strip()).append("\n");
            }
            files.put(path, f);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, StringBuilder> e : files.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(now.toEpochMilli());
                zip.putNextEntry(entry);
                zip.write(e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A file-name-safe form of a title: ASCII letters and digits joined by dashes, at most 40 characters. */
    static String slug(String title) {
        String ascii = Normalizer.normalize(title == null ? "" : title, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) s = s.substring(0, 40).replaceAll("-+$", "");
        return s.isEmpty() ? "thread" : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    private static String when(Instant t, ZoneId zone) {
        return t == null ? "" : WHEN.format(t.atZone(zone));
    }

    private static String round(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.1f", d);
    }
}
