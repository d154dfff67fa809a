package org.knowmad.discussion;

import org.knowmad.cohort.CohortAccess;
import org.knowmad.cohort.CohortRules;
import org.knowmad.cohort.Decision;
import org.knowmad.cohort.ModuleView;
import org.knowmad.course.CourseDefinition;
import org.knowmad.course.Prompt;
import org.knowmad.web.HttpProblem;

/**
 * Who may see and do what in discussions, decided in one place from the viewer's standing and the thread or
 * post: pure, no I/O (in the spirit of Discourse's Guardian). {@link DiscussionService} enforces these answers;
 * the thread page and the API build their buttons from the same answers; mails, digests and mentions choose
 * their recipients with {@link #mayBeNotifiedSql}, the same rule in SQL.
 *
 * <p>Silenced participants may read but not write, react, flag or vote; a closed thread takes no new posts or
 * edits; anonymous posts hide their author from peers, never from facilitators or the author.
 */
public class ThreadRules {

    private final CohortRules cohorts;

    public ThreadRules(CohortRules cohorts) {
        this.cohorts = cohorts;
    }

    public CohortRules cohorts() {
        return cohorts;
    }

    /** A thread (its posts, its page, its live events): whoever may read its module now. */
    public Decision see(CohortAccess a, ModuleView module) {
        return cohorts.seeModule(a, module);
    }

    public Decision startThread(CohortAccess a, ModuleView module) {
        return signedIn(a).and(() -> see(a, module)).and(() -> cohorts.speak(a));
    }

    public Decision reply(CohortAccess a, ModuleView module, ThreadRow thread) {
        return signedIn(a).and(() -> see(a, module)).and(() -> cohorts.speak(a))
                .and(() -> Decision.when(!thread.closed(), () -> new HttpProblem(409, "thread.closed")));
    }

    /** The author edits their own post while the thread is open. */
    public Decision edit(CohortAccess a, ModuleView module, ThreadRow thread, Long postAuthorId, boolean postDeleted) {
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(isMe(a, postAuthorId), () -> new HttpProblem(403, "post.onlyAuthorEdits")))
                .and(() -> cohorts.speak(a))
                .and(() -> Decision.when(!thread.closed(), () -> new HttpProblem(409, "thread.closed")));
    }

    /** The author or a facilitator removes a post; a marker stays. */
    public Decision delete(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted) {
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(isMe(a, postAuthorId) || a.facilitator(),
                        () -> new HttpProblem(403, "post.onlyAuthorOrFacilitatorDeletes")));
    }

    /** "Helpful": members with a voice, never on their own post. */
    public Decision react(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted) {
        return signedIn(a).and(() -> see(a, module)).and(() -> cohorts.speak(a))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(!isMe(a, postAuthorId), () -> HttpProblem.badRequest("post.ownReaction")));
    }

    /** Flag a post for the facilitators: members with a voice, not their own post. */
    public Decision flag(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted) {
        return signedIn(a).and(() -> see(a, module)).and(() -> cohorts.speak(a))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(!isMe(a, postAuthorId), () -> HttpProblem.badRequest("flag.own")));
    }

    /** Endorse, pin, close, hide, restore, silence, the moderation queue: facilitators. */
    public Decision moderate(CohortAccess a) {
        if (a.facilitator()) return Decision.yes();
        return Decision.no(a.viewer().signedIn() ? new HttpProblem(403, "discussion.facilitatorsOnly") : HttpProblem.signInRequired());
    }

    /** Follow a thread (and so be told of its replies): signed-in members. */
    public Decision follow(CohortAccess a, ModuleView module) {
        return signedIn(a).and(() -> see(a, module));
    }

    /** Nominate a thread as a meetup question: its author (with a voice) or a facilitator. */
    public Decision nominate(CohortAccess a, ModuleView module, ThreadRow thread) {
        if (a.facilitator()) return Decision.yes();
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(isMe(a, thread.authorId()), () -> new HttpProblem(403, "nomination.onlyAuthorOrFacilitator")))
                .and(() -> cohorts.speak(a));
    }

    /** Vote a nominated question up: members with a voice. */
    public Decision vote(CohortAccess a) {
        return signedIn(a).and(() -> cohorts.speak(a));
    }

    /**
     * A post's edit history: whoever may see the post itself (a hidden post: facilitators and its author); a removed
     * post's history only facilitators, since removing it was meant to take its words away. The history never names
     * who edited (only authors edit), so an anonymous post stays anonymous.
     */
    public Decision seeHistory(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted, boolean postHidden) {
        return see(a, module)
                .and(() -> Decision.when(!postDeleted || a.facilitator(), () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(!postHidden || seeHidden(a, postAuthorId), () -> new HttpProblem(403, "history.hidden")));
    }

    /**
     * Mark (or unmark) a reply as "the answer that helped" (Discourse's solved): the person who asked, with a voice,
     * while the thread is open; facilitators always, also in closed threads and in the prompt threads the course
     * opened (which have no asker). Nobody else: a peer cannot decide what answered someone else's question.
     * Only a reply that is there to read can be the answer: not the question itself, not a removed or hidden post.
     */
    public Decision markSolved(CohortAccess a, ModuleView module, ThreadRow thread, int number, boolean postDeleted, boolean postHidden) {
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(a.facilitator() || isMe(a, thread.authorId()), () -> new HttpProblem(403, "solved.onlyAskerOrFacilitator")))
                .and(() -> a.facilitator() ? Decision.yes() : cohorts.speak(a))
                .and(() -> Decision.when(a.facilitator() || !thread.closed(), () -> new HttpProblem(409, "thread.closed")))
                .and(() -> Decision.when(number > 1, () -> HttpProblem.badRequest("solved.notTheQuestion")))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(!postHidden, () -> new HttpProblem(409, "solved.hiddenPost")));
    }

    /** Unmarking follows marking, minus the checks on the post (a removed answer can always be unmarked). */
    public Decision unmarkSolved(CohortAccess a, ModuleView module, ThreadRow thread) {
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(a.facilitator() || isMe(a, thread.authorId()), () -> new HttpProblem(403, "solved.onlyAskerOrFacilitator")))
                .and(() -> a.facilitator() ? Decision.yes() : cohorts.speak(a))
                .and(() -> Decision.when(a.facilitator() || !thread.closed(), () -> new HttpProblem(409, "thread.closed")));
    }

    /** A post a facilitator (or enough flags) hid shows as a marker, except to facilitators and its author. */
    public boolean seeHidden(CohortAccess a, Long postAuthorId) {
        return a.facilitator() || isMe(a, postAuthorId);
    }

    /** Whether the viewer may know who wrote an anonymous post: facilitators and the author themself. */
    public boolean knowAuthor(CohortAccess a, Long authorId, boolean anonymous) {
        if (authorId == null || !anonymous) return true;
        return a.facilitator() || isMe(a, authorId);
    }

    /**
     * Whether someone may be told of a post in this thread (reply, mention, followed thread, digest): only who
     * may read the thread at that moment. The Java twin of {@link #mayBeNotifiedSql}, for tests and one-off checks.
     */
    public boolean mayBeNotified(CohortAccess recipient, ModuleView module) {
        return recipient.viewer().signedIn() && see(recipient, module).allowed();
    }

    /**
     * {@link #mayBeNotified} in SQL: for an account {@code a} and a thread {@code t} of the statement, with the
     * course's facilitators' addresses (lower case, {@code text[]}) and whether the thread's module is open for
     * the whole cohort now ({@code boolean}), see {@link CohortRules#seesModuleSql}.
     */
    public static String mayBeNotifiedSql(String facilitators, String openForCohort) {
        return CohortRules.seesModuleSql("t.course_id", "t.cohort_id", "t.module_id", facilitators, openForCohort);
    }

    /**
     * Whether someone told of a thread once may still be told of it (a digest, later): {@link CohortRules#memberSql},
     * since access to a module only ends by leaving.
     */
    public static String mayStillBeNotifiedSql(String facilitators) {
        return CohortRules.memberSql("t.course_id", "t.cohort_id", facilitators);
    }

    // ---- the course's own principles: reply first, working out loud, mistakes may be shared ----

    /** The course's prompt a thread was opened for (empty for threads people started, or a prompt the YAML no longer has). */
    public static java.util.Optional<Prompt> prompt(CourseDefinition course, ThreadRow thread) {
        if (thread.promptIndex() == null || thread.promptIndex() < 0) return java.util.Optional.empty();
        return course.module(thread.moduleId()).filter(m -> thread.promptIndex() < m.prompts().size())
                .map(m -> m.prompts().get(thread.promptIndex()));
    }

    /** Whether a thread asks each participant to answer before reading the others (a {@code reply_first} prompt). */
    public static boolean replyFirst(CourseDefinition course, ThreadRow thread) {
        return prompt(course, thread).map(Prompt::replyFirst).orElse(false);
    }

    /** Whether a thread is a "what went wrong" prompt ({@code type: mistakes}). */
    public static boolean mistakes(CourseDefinition course, ThreadRow thread) {
        return prompt(course, thread).map(Prompt::mistakes).orElse(false);
    }

    /**
     * Reply first: in a {@code reply_first} prompt a participant sees the others' answers (every post but the
     * course's prompt and their own) only once they have posted there themselves; facilitators always see
     * everything. {@code answeredAlready}: the viewer has a post in the thread (removed or hidden ones count:
     * what was seen once cannot be unseen). Pages, the API, live events, search, person pages and mails all ask
     * this (mails and search through {@link #seesOthersAnswersSql}).
     */
    public boolean seeOthersAnswers(CohortAccess a, boolean replyFirst, boolean answeredAlready) {
        if (!replyFirst || a.facilitator()) return true;
        return a.viewer().signedIn() && answeredAlready;
    }

    /**
     * Whether the viewer sees one post of a thread under {@link #seeOthersAnswers}: the course's own posts (the
     * prompt, a meetup's harvest notes: no author) and their own posts always, the others' when they may see the
     * others' answers.
     */
    public boolean seeAnswer(CohortAccess a, boolean replyFirst, boolean answeredAlready, Long postAuthorId, int number) {
        return seeOthersAnswers(a, replyFirst, answeredAlready) || isMe(a, postAuthorId) || postAuthorId == null;
    }

    /**
     * {@link #seeAnswer} in SQL, for an account {@code a}, a thread {@code t} and a post {@code p} of the
     * statement: {@code replyFirst} an SQL boolean saying whether {@code t} is a reply-first prompt (see
     * {@link #replyFirstSql}), {@code facilitators} the course's facilitators' addresses (lower case, {@code text[]}).
     * The course's own posts (no author) and one's own posts are always seen.
     */
    public static String seesOthersAnswersSql(String replyFirst, String facilitators) {
        return """
                (NOT (%1$s) OR lower(a.email) = ANY(%2$s) OR p.author_id = a.id OR p.author_id IS NULL
                 OR EXISTS (SELECT 1 FROM post mine WHERE mine.thread_id = t.id AND mine.author_id = a.id))"""
                .formatted(replyFirst, facilitators);
    }

    /**
     * Whether the thread {@code t} of a statement is a reply-first prompt, given the keys of the course's
     * reply-first prompts ({@code text[]} of {@link #promptKey}).
     */
    public static String replyFirstSql(String keys) {
        return "(t.prompt_index IS NOT NULL AND t.course_id || '/' || t.module_id || '#' || t.prompt_index = ANY(" + keys + "))";
    }

    /** The keys {@link #replyFirstSql} looks for: one per reply-first prompt of the course. */
    public static java.util.List<String> replyFirstKeys(org.knowmad.course.Course course) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (var m : course.definition().modules()) {
            for (int i = 0; i < m.prompts().size(); i++) {
                if (m.prompts().get(i).replyFirst()) keys.add(promptKey(course.id(), m.id(), i));
            }
        }
        return keys;
    }

    static String promptKey(String courseId, String moduleId, int index) {
        return courseId + "/" + moduleId + "#" + index;
    }

    /** The marks of working out loud a post can carry. */
    public static final java.util.List<String> MARKS = java.util.List.of("wip", "help");

    /** Mark one's own post as work in progress or asking for help (or take the mark off): its author only. */
    public Decision mark(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted) {
        return signedIn(a).and(() -> see(a, module))
                .and(() -> Decision.when(!postDeleted, () -> new HttpProblem(410, "post.removed")))
                .and(() -> Decision.when(isMe(a, postAuthorId), () -> new HttpProblem(403, "mark.onlyAuthor")))
                .and(() -> cohorts.speak(a));
    }

    /** The open help requests of a cohort: facilitators. */
    public Decision seeHelpRequests(CohortAccess a) {
        return moderate(a);
    }

    /** The reactions a thread takes: "helpful" everywhere, and "me too" too where mistakes are shared. */
    public static java.util.List<String> reactions(boolean mistakes) {
        return mistakes ? java.util.List.of("helpful", "me-too") : java.util.List.of("helpful");
    }

    /** {@link #react}, and the kind of reaction must be one this thread takes (409 names the ones it does). */
    public Decision reactWith(CohortAccess a, ModuleView module, Long postAuthorId, boolean postDeleted, String kind, boolean mistakes) {
        return react(a, module, postAuthorId, postDeleted).and(() -> Decision.when(reactions(mistakes).contains(kind),
                () -> new HttpProblem(409, mistakes ? "reaction.onlyHelpfulOrMeToo" : "reaction.onlyHelpful")));
    }

    /** Where mistakes are shared, posts are anonymous to peers unless their author says otherwise. */
    public static boolean anonymousByDefault(boolean mistakes) {
        return mistakes;
    }

    private static Decision signedIn(CohortAccess a) {
        return Decision.when(a.viewer().signedIn(), HttpProblem::signInRequired);
    }

    private static boolean isMe(CohortAccess a, Long accountId) {
        return accountId != null && a.viewer().signedIn() && a.viewer().accountId() == accountId;
    }
}
