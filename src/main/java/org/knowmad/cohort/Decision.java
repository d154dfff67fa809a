package org.knowmad.cohort;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.knowmad.web.HttpProblem;

/**
 * A rule's answer: allowed, or refused with the problem a person reads (status, message key, arguments).
 * Services enforce a refusal by failing with it; pages and the API show or hide a button by {@link #allowed()},
 * so what a page offers and what the server accepts cannot drift apart.
 */
public final class Decision {

    private static final Decision YES = new Decision(null);

    /**
     * The refusal, made when it is asked for: a page asks a rule per post and button only whether it allows (fifty
     * posts, a handful of buttons each), and building every refusal it never showed was 7% of what the thread page
     * allocated.
     */
    private final Supplier<HttpProblem> why;

    private Decision(Supplier<HttpProblem> why) {
        this.why = why;
    }

    public static Decision yes() {
        return YES;
    }

    public static Decision no(HttpProblem why) {
        return new Decision(() -> why);
    }

    public static Decision no(int status, String key, Object... args) {
        return new Decision(() -> new HttpProblem(status, key, args));
    }

    /** Allowed when {@code condition} holds, else refused for {@code why}. */
    public static Decision when(boolean condition, Supplier<HttpProblem> why) {
        return condition ? YES : new Decision(why);
    }

    public boolean allowed() {
        return why == null;
    }

    /** The problem a person reads when refused (made afresh on each call), null when allowed. */
    public HttpProblem refusal() {
        return why == null ? null : why.get();
    }

    /** The message key of the refusal, null when allowed. */
    public String reason() {
        return why == null ? null : why.get().key();
    }

    /** This decision, and if it allows, the next one: rules built from rules. */
    public Decision and(Supplier<Decision> next) {
        return allowed() ? next.get() : this;
    }

    /** Throws the refusal (for code already inside a Future chain's map/compose). */
    public void require() {
        if (why != null) throw why.get();
    }

    /** A succeeded future when allowed, else one failed with the refusal. */
    public Future<Void> future() {
        return why == null ? Future.succeededFuture() : Future.failedFuture(why.get());
    }

    @Override
    public String toString() {
        return why == null ? "allowed" : "refused: " + why.get().key();
    }
}
