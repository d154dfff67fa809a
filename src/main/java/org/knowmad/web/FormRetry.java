package org.knowmad.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A form that fails validation comes back on its own page: the failure handler of a form's POST route renders
 * the page the form is on again (status of the refusal, usually 400), every field as the person typed it and the
 * message beside the field the refusal names ({@link HttpProblem#at}), in the page's language. Nothing was written:
 * services refuse before their transaction, or the transaction rolls back (the idempotency key with it).
 *
 * <pre>{@code
 * router.post("/courses/:course/cohorts").handler(this::startCohort).failureHandler(FormRetry.on(this::coursePage));
 * }</pre>
 * and in the template: {@code <input name="id" value="{{field "id"}}"{{invalid "id"}}>{{fieldError "id"}}}
 * (helpers in {@link Templates}; {@code for=} the form's action tells apart forms with the same field names).
 *
 * <p>Only refusals a person can fix by editing the form (or by sending it again a little later) come back this way: a
 * feature's 400, 409, 422 or 429. Generic
 * ones ({@code error.*}: a form too large, a broken encoding, a bad idempotency key), refusals of who may do it
 * (401, 403, 404) and API requests keep the error page or problem JSON.
 */
public final class FormRetry {

    static final String KEY = "knowmad.formRetry";

    private FormRetry() {
    }

    /** What was typed into the refused form (hidden {@code _csrf}/{@code _idem} left out), where it was posted, and why. */
    public record Typed(String action, Map<String, String> values, HttpProblem problem) {
    }

    /** The typed form as a page shows it: the message already in the page's language. */
    record Shown(String action, Map<String, String> values, String field, String message) {

        boolean about(Object action) {
            return action == null || this.action.equals(action.toString());
        }
    }

    /** The failure handler of a form's POST route; {@code page} is the GET handler of the page the form is on. */
    public static Handler<RoutingContext> on(Handler<RoutingContext> page) {
        return ctx -> {
            if (!(ctx.failure() instanceof HttpProblem problem) || !fixable(problem) || ctx.get(KEY) != null
                    || ErrorHandler.wantsJson(ctx) || ctx.response().headWritten()) {
                ctx.next();
                return;
            }
            Map<String, String> values = new LinkedHashMap<>();
            ctx.request().formAttributes().forEach(e -> {
                if (!e.getKey().startsWith("_")) values.putIfAbsent(e.getKey(), e.getValue());
            });
            ctx.put(KEY, new Typed(ctx.request().path(), values, problem));
            try {
                page.handle(ctx);
            } catch (RuntimeException e) {
                ctx.fail(e); // handled by the next failure handler: this one sees the form was already retried
            }
        };
    }

    static boolean fixable(HttpProblem problem) {
        int s = problem.status();
        return (s == 400 || s == 409 || s == 422 || s == 429) && !problem.key().startsWith("error.");
    }

    /** The refused form of this request, if the page is being rendered again for it. */
    public static Typed typed(RoutingContext ctx) {
        return ctx.get(KEY);
    }
}
