package org.knowmad.cohort;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.knowmad.web.HttpProblem;

/**
 * A rule's answer: allowed, or refused with the problem a person reads (status, message key, arguments).
 * Services enforce a refusal by failing with it; pages and the API show or hide a button by {@link #allowed()},
 * so what a page offers and what the server accepts cannot drift apart.
 */
public record Decision(HttpProblem refusal) {

    private static final Decision YES = new Decision(null);

    public static Decision yes() {
        return YES;
    }

    public static Decision no(HttpProblem why) {
        return new Decision(why);
    }

    public static Decision no(int status, String key, Object... args) {
        return new Decision(new HttpProblem(status, key, args));
    }

    /** Allowed when {@code condition} holds, else refused for {@code why}. */
    public static Decision when(boolean condition, Supplier<HttpProblem> why) {
        return condition ? YES : new Decision(why.get());
    }

    public boolean allowed() {
        return refusal == null;
    }

    /** The message key of the refusal, null when allowed. */
    public String reason() {
        return refusal == null ? null : refusal.key();
    }

    /** This decision, and if it allows, the next one: rules built from rules. */
    public Decision and(Supplier<Decision> next) {
        return allowed() ? next.get() : this;
    }

    /** Throws the refusal (for code already inside a Future chain's map/compose). */
    public void require() {
        if (refusal != null) throw refusal;
    }

    /** A succeeded future when allowed, else one failed with the refusal. */
    public Future<Void> future() {
        return refusal == null ? Future.succeededFuture() : Future.failedFuture(refusal);
    }
}
