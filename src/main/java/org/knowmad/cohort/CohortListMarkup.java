package org.knowmad.cohort;

import com.github.jknack.handlebars.Handlebars.SafeString;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.knowmad.web.Pages;

/**
 * The list of a course's cohorts on the course and catalogue pages, each row rendered once ({@code cohort/cohort-row})
 * and kept. The course page lists every cohort of its course, and running the template for each row was what made a
 * course of 22 cohorts 1.4–2× slower to show than one of 2 (issue #13, cost as work grows). A row is keyed by
 * everything it shows, so a new cohort, a start that passed or another language is another key, never a stale row.
 */
final class CohortListMarkup {

    /** Far more rows than any catalogue lists; past it the cache starts over (as {@code PostMarkup}'s does). */
    private static final int LIMIT = 10_000;

    /** What a row shows: every value {@code cohort/cohort-row} reads, and nothing else. */
    record Row(String path, String id, boolean selfPaced, String enrolment, Instant starts, boolean started, String lang, ZoneId zone) {
    }

    private final Pages pages;
    private final Map<Row, String> kept = new ConcurrentHashMap<>();

    CohortListMarkup(Pages pages) {
        this.pages = pages;
    }

    /** The rows of one course, in order, as HTML for the page (each escaped when it was rendered). */
    SafeString list(List<Row> rows) {
        StringBuilder html = new StringBuilder(64 + 256 * rows.size()).append("<ul class=\"cohorts\">\n");
        for (Row row : rows) html.append(row(row));
        return new SafeString(html.append("</ul>\n"));
    }

    private String row(Row row) {
        String html = kept.get(row);
        if (html != null) return html;
        html = pages.fragment("cohort/cohort-row", row, row.lang(), row.zone());
        if (kept.size() >= LIMIT) kept.clear();
        kept.put(row, html);
        return html;
    }
}
