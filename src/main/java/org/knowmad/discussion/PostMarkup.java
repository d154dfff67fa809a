package org.knowmad.discussion;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
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

    /**
     * Kept markup as UTF-8, cut at its slots: {@code parts[i]}, then the value for {@code slots[i]} ({@link #CSRF_SLOT}
     * or {@link #IDEM_SLOT}), …, then the last part. A face has no slots.
     */
    record Kept(byte[][] parts, String[] slots) {

        /** Markup that holds text people typed (a face): kept whole, never searched for slots. */
        static Kept whole(String html) {
            return new Kept(new byte[][] {html.getBytes(StandardCharsets.UTF_8)}, new String[0]);
        }

        /** Markup without typed text (buttons), cut at its slots. */
        static Kept of(String html) {
            java.util.List<byte[]> parts = new java.util.ArrayList<>();
            java.util.List<String> slots = new java.util.ArrayList<>();
            int from = 0;
            while (true) {
                int c = html.indexOf(CSRF_SLOT, from);
                int i = html.indexOf(IDEM_SLOT, from);
                int next = c < 0 ? i : i < 0 ? c : Math.min(c, i);
                if (next < 0) break;
                String slot = next == c ? CSRF_SLOT : IDEM_SLOT;
                parts.add(html.substring(from, next).getBytes(StandardCharsets.UTF_8));
                slots.add(slot);
                from = next + slot.length();
            }
            parts.add(html.substring(from).getBytes(StandardCharsets.UTF_8));
            return new Kept(parts.toArray(byte[][]::new), slots.toArray(String[]::new));
        }

        void appendTo(Buffer page, byte[] csrf, byte[] idem) {
            for (int i = 0; i < slots.length; i++) {
                page.appendBytes(parts[i]).appendBytes(slots[i].equals(CSRF_SLOT) ? csrf : idem);
            }
            page.appendBytes(parts[slots.length]);
        }
    }

    private static final byte[] END = "</article>\n".getBytes(StandardCharsets.UTF_8);

    private final Pages pages;
    private final Map<Face, Kept> faces = new ConcurrentHashMap<>();
    private final Map<Actions, Kept> actions = new ConcurrentHashMap<>();

    PostMarkup(Pages pages) {
        this.pages = pages;
    }

    /**
     * Appends one post: its face, the viewer's buttons (none for a removed or hidden marker) with their token and key
     * filled in, and the end of the article. {@code csrf} and {@code idem} are the viewer's, as UTF-8.
     */
    void append(Buffer page, Face face, Actions buttons, byte[] csrf, byte[] idem) {
        kept(faces, face, "discussion/post-face", face.lang(), face.zone(), false).appendTo(page, csrf, idem);
        if (buttons != null) kept(actions, buttons, "discussion/post-actions", buttons.lang(), ZoneOffset.UTC, true).appendTo(page, csrf, idem);
        page.appendBytes(END);
    }

    private <K> Kept kept(Map<K, Kept> cache, K key, String template, String lang, ZoneId zone, boolean slots) {
        Kept html = cache.get(key);
        if (html != null) return html;
        String rendered = pages.fragment(template, key, lang, zone);
        html = slots ? Kept.of(rendered) : Kept.whole(rendered);
        if (cache.size() >= LIMIT) cache.clear();
        cache.put(key, html);
        return html;
    }
}
