package org.knowmad.discussion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowmad.cohort.CohortAccess;
import org.knowmad.web.Pages;

/**
 * Open help requests as the template {@code discussion/help-requests} shows them, on the moderation page and at
 * the top of the pulse: each links to the post, its author named only as {@link ThreadRules#knowAuthor} allows.
 */
public final class HelpRequestRows {

    private HelpRequestRows() {
    }

    public static List<Map<String, Object>> of(CohortAccess access, List<DiscussionStore.HelpRequest> help, String lang,
                                               DiscussionService discussions, Pages pages) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (DiscussionStore.HelpRequest h : help) {
            rows.add(Map.of("threadTitle", h.threadTitle(), "number", h.number(), "createdAt", h.createdAt(),
                    "link", access.ref().path() + "/threads/" + h.threadId() + (h.number() > 1 ? "?after=" + (h.number() - 1) : "") + "#post-" + h.number(),
                    "author", discussions.shownAuthor(access, h.authorId(), h.authorName(), h.anonymous(),
                            pages.text(lang, "post.anonymous"), pages.text(lang, "post.facilitators"))));
        }
        return rows;
    }
}
