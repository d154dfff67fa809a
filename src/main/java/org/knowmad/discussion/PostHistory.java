package org.knowmad.discussion;

import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A post's versions, oldest first, from its stored revisions (each the text before an edit, with the moment it was
 * replaced) and its current text; and a line diff between one version and the one before. Pure.
 */
public final class PostHistory {

    private PostHistory() {
    }

    /** One version: its number (1 = as first posted), when it was written, its text, whether it is the current one. */
    public record Version(int number, Instant at, String body, boolean current) {
    }

    /** One line of a diff: {@code kind} is "same", "added" or "removed". */
    public record Line(String kind, String text) {
    }

    static List<Version> versions(DiscussionStore.StoredHistory h) {
        List<Version> out = new ArrayList<>();
        List<DiscussionStore.Revision> revs = h.revisions();
        for (int i = 0; i <= revs.size(); i++) {
            Instant at = i == 0 ? h.createdAt() : revs.get(i - 1).replacedAt();
            String body = i < revs.size() ? revs.get(i).body() : h.body();
            out.add(new Version(i + 1, at, body, i == revs.size()));
        }
        return out;
    }

    /** The lines of {@code after}, with the lines of {@code before} it dropped marked removed and its new ones added. */
    static List<Line> diff(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        List<Line> out = new ArrayList<>();
        for (AbstractDelta<String> d : DiffUtils.diff(a, b, true).getDeltas()) {
            switch (d.getType()) {
                case EQUAL -> d.getSource().getLines().forEach(l -> out.add(new Line("same", l)));
                case DELETE -> d.getSource().getLines().forEach(l -> out.add(new Line("removed", l)));
                case INSERT -> d.getTarget().getLines().forEach(l -> out.add(new Line("added", l)));
                case CHANGE -> {
                    d.getSource().getLines().forEach(l -> out.add(new Line("removed", l)));
                    d.getTarget().getLines().forEach(l -> out.add(new Line("added", l)));
                }
            }
        }
        return out;
    }
}
