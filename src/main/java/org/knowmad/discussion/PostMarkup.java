package org.knowmad.discussion;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.knowmad.web.Pages;

/**
 * A post's markup, rendered once per version and kept: its face ({@code discussion/post-face}: author line, marks,
 * sanitised body) and the buttons a viewer may use on it ({@code discussion/post-actions}). Each is keyed by
 * everything it shows, so an edit, a mark, a new count or another language is a new entry and the old one is no
 * longer asked for; viewers who see a post the same way and may do the same with it (most of a cohort) share one.
 * A page view only looks its posts up and fills in the viewer's CSRF token and form key: no template runs for a
 * post that has been shown before. What a viewer may see and do is still decided per view by {@link ThreadRules};
 * only the rendering of the answer is kept.
 */
final class PostMarkup {

    /** Enough for the posts of many busy threads; past it a cache starts over (as {@code Markdown}'s does). */
    private static final int LIMIT = 20_000;

    /**
     * Stand-ins for the viewer's CSRF token and form key in kept buttons, replaced on every page. Only the buttons
     * carry them, and the buttons hold no text anyone typed, so nobody can plant one.
     */
    static final String CSRF_SLOT = "knowmad-csrf-slot";
    static final String IDEM_SLOT = "knowmad-idem-slot";

    /** What a face shows: every value {@code discussion/post-face} reads, and nothing else. */
    record Face(int number, Instant createdAt, boolean deleted, boolean hiddenMarker, boolean hidden, String author, String html,
            Integer replyTo, boolean edited, String historyPath, boolean answer, boolean endorsed, boolean wip, boolean help,
            String lang, ZoneId zone) {
    }

    /** What the buttons show: every value {@code discussion/post-actions} reads, and nothing else. */
    record Actions(int number, String threadPath, String lang, int helpful, boolean reacted, boolean canReact, boolean showMeToo,
            boolean canMeToo, boolean meTooByMe, int meToo, boolean canMark, boolean wip, boolean help, boolean canEdit,
            boolean canDelete, boolean canFlag, boolean flagged, boolean canModerate, boolean hidden, int flags, boolean canSolve,
            boolean canEndorse, boolean endorsed) {

        public String csrf() {
            return CSRF_SLOT;
        }

        public String idem() {
            return IDEM_SLOT;
        }
    }

    private final Pages pages;
    private final Map<Face, String> faces = new ConcurrentHashMap<>();
    private final Map<Actions, String> actions = new ConcurrentHashMap<>();

    PostMarkup(Pages pages) {
        this.pages = pages;
    }

    /**
     * Appends one post: its face, the viewer's buttons (none for a removed or hidden marker) with their token and key
     * filled in, and the end of the article.
     */
    void append(StringBuilder page, Face face, Actions buttons, String csrf, String idem) {
        page.append(kept(faces, face, "discussion/post-face", face.lang(), face.zone()));
        if (buttons != null) fill(page, kept(actions, buttons, "discussion/post-actions", buttons.lang(), ZoneId.of("UTC")), csrf, idem);
        page.append("</article>\n");
    }

    private <K> String kept(Map<K, String> cache, K key, String template, String lang, ZoneId zone) {
        String html = cache.get(key);
        if (html != null) return html;
        html = pages.fragment(template, key, lang, zone);
        if (cache.size() >= LIMIT) cache.clear();
        cache.put(key, html);
        return html;
    }

    /** Appends {@code html} with every slot replaced by the viewer's token or key. */
    static void fill(StringBuilder page, String html, String csrf, String idem) {
        int from = 0;
        while (true) {
            int c = html.indexOf(CSRF_SLOT, from);
            int i = html.indexOf(IDEM_SLOT, from);
            int next = c < 0 ? i : i < 0 ? c : Math.min(c, i);
            if (next < 0) break;
            page.append(html, from, next).append(next == c ? csrf : idem);
            from = next + (next == c ? CSRF_SLOT.length() : IDEM_SLOT.length());
        }
        page.append(html, from, html.length());
    }
}
