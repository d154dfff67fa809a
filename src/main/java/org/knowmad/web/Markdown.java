package org.knowmad.web;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.commonmark.ext.autolink.AutolinkExtension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;
import org.owasp.html.Sanitizers;

/**
 * Markdown to safe HTML: commonmark-java renders, the OWASP sanitizer keeps only formatting, links
 * (marked {@code nofollow ugc noopener}) and images over https. Whatever raw HTML a writer puts in the
 * Markdown goes through the same policy, so no script, style or event handler survives.
 */
public final class Markdown {

    private static final int CACHE_LIMIT = 2_000;

    private final Parser parser;
    private final HtmlRenderer renderer;
    private final PolicyFactory policy;
    private final Map<Source, String> cache = new ConcurrentHashMap<>();

    /** A cache key: the text and where its mentions link (a record, so no copy of the text is made to look it up). */
    private record Source(String markdown, String mentionBase) {
    }

    public Markdown() {
        List<org.commonmark.Extension> extensions = List.of(TablesExtension.create(), AutolinkExtension.create());
        this.parser = Parser.builder().extensions(extensions).build();
        this.renderer = HtmlRenderer.builder().extensions(extensions).build();
        PolicyFactory links = new HtmlPolicyBuilder()
                .allowElements("a")
                .allowUrlProtocols("https", "http", "mailto")
                .allowAttributes("href", "title").onElements("a")
                .requireRelsOnLinks("nofollow", "ugc", "noopener")
                .toFactory();
        PolicyFactory images = new HtmlPolicyBuilder()
                .allowElements("img")
                .allowUrlProtocols("https")
                .allowAttributes("src", "alt", "title").onElements("img")
                .toFactory();
        PolicyFactory structure = new HtmlPolicyBuilder()
                .allowElements("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
                        "ul", "ol", "li", "strong", "em", "del", "table", "thead", "tbody", "tr", "th", "td")
                .allowAttributes("start").onElements("ol")
                .allowAttributes("align").onElements("th", "td")
                .toFactory();
        this.policy = structure.and(links).and(images).and(Sanitizers.FORMATTING);
    }

    public String toHtml(String markdown) {
        return toHtml(markdown, null);
    }

    /**
     * Renders Markdown; with a {@code mentionBase} such as {@code /courses/c/cohort/people/}, each
     * {@code @handle} in the text (not in code or links) becomes a link to that person's page.
     */
    public String toHtml(String markdown, String mentionBase) {
        if (markdown == null || markdown.isEmpty()) return "";
        Source key = new Source(markdown, mentionBase);
        String cached = cache.get(key);
        if (cached != null) return cached;
        org.commonmark.node.Node document = parser.parse(markdown);
        if (mentionBase != null) new MentionLinks(mentionBase).process(document);
        String html = policy.sanitize(renderer.render(document));
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(key, html);
        return html;
    }
}
