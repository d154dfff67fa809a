package org.knowmad.course;

/**
 * A discussion thread the facilitators open when its module opens. {@code replyFirst}: each participant sees the
 * others' answers only after posting their own. {@code type}: "discussion" (null) or "mistakes", a "what went
 * wrong" prompt whose posts are anonymous to peers by default and take only "helpful" and "me too".
 */
public record Prompt(String title, String body, boolean replyFirst, String type) {

    public Prompt(String title, String body) {
        this(title, body, false, null);
    }

    public boolean mistakes() {
        return "mistakes".equals(type);
    }
}
