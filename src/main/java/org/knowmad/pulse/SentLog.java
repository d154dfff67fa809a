package org.knowmad.pulse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowmad.web.Pages;

/**
 * The model of the partial {@code pulse/sent-log}: the announcements and nudges a cohort was sent (when, by whom,
 * to whom, how many). A page that includes the partial puts {@code sentLog} in its model from {@link #model}
 * (the roster does; the pulse page can, with {@link AnnouncementService#sentLog}).
 */
public final class SentLog {

    private SentLog() {
    }

    public static List<Map<String, Object>> model(List<AnnouncementStore.Sent> sent, String lang, Pages pages) {
        List<Map<String, Object>> rows = new ArrayList<>(sent.size());
        for (AnnouncementStore.Sent s : sent) {
            Map<String, Object> row = new HashMap<>();
            row.put("nudge", s.nudge());
            row.put("kind", pages.text(lang, s.nudge() ? "sentLog.kind.nudge" : "sentLog.kind.announcement"));
            row.put("subject", s.subject());
            row.put("sentAt", s.sentAt());
            row.put("sender", s.sender() == null ? "" : s.sender());
            row.put("audience", s.nudge() ? pages.text(lang, "sentLog.audience.quiet", s.quietDays())
                    : pages.text(lang, s.toEveryone() ? "roster.filter.all" : "roster.filter." + s.audience()));
            row.put("recipients", s.recipients());
            row.put("mailed", s.mailed());
            row.put("skipped", s.skipped());
            row.put("id", s.id());
            rows.add(row);
        }
        return rows;
    }
}
