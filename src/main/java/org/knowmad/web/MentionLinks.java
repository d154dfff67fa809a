package org.knowmad.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;

/** Turns {@code @handle} in a Markdown document's plain text into links to the person's page. */
final class MentionLinks extends AbstractVisitor {

    // The same handles the notifications recognise: the part of an email address before the @.
    private static final Pattern MENTION = Pattern.compile("(?<![\\w@./])@([A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?)");

    private final String base;

    MentionLinks(String base) {
        this.base = base;
    }

    void process(Node document) {
        document.accept(this);
    }

    @Override
    public void visit(Link link) {
        // Text inside a link stays as written.
    }

    @Override
    public void visit(Code code) {
        // So does inline code.
    }

    @Override
    public void visit(Text text) {
        String literal = text.getLiteral();
        Matcher m = MENTION.matcher(literal);
        if (!m.find()) return;
        Node anchor = text;
        int last = 0;
        do {
            if (m.start() > last) anchor = insertAfter(anchor, new Text(literal.substring(last, m.start())));
            Link link = new Link(base + m.group(1).toLowerCase(), null);
            link.appendChild(new Text("@" + m.group(1)));
            anchor = insertAfter(anchor, link);
            last = m.end();
        } while (m.find());
        if (last < literal.length()) insertAfter(anchor, new Text(literal.substring(last)));
        text.unlink();
    }

    private static Node insertAfter(Node anchor, Node node) {
        anchor.insertAfter(node);
        return node;
    }
}
