package org.knowmad.web;

import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * One state-changing request's idempotency key and how its answer is written down, so that a retry (a lost
 * response, a double click, a reload after POST) repeats the first answer instead of the action.
 *
 * <p>The one way every action does it: the route reads the key with {@link #key(RoutingContext)} (header
 * {@code Idempotency-Key} for the API, hidden form field {@code _idem} for pages, see {@link Pages}), says how
 * the result becomes an answer ({@link Key#form}, {@link Key#api}), the service runs its transaction through
 * {@link IdempotencyStore#transaction}, which claims the key as the first statement and stores the answer
 * before commit, and the route ends with {@code .map(once::answer).onComplete(ar -> Idempotent.respond(ctx, ar))}.
 * A repeat fails the service's future with {@link Repeat}, which {@link #respond} turns into the stored answer.
 *
 * @param key    the request's key; {@link Key#NONE} when the request carried none (old pages, plain API calls)
 * @param toAnswer how the service's result becomes the answer sent (and stored)
 */
public record Idempotent<T>(Key key, Function<T, Answer> toAnswer) {

    public static final String HEADER = "Idempotency-Key";
    public static final String FORM_FIELD = "_idem";
    static final int MAX_KEY = 100;

    /** The answer to a request: a status, a Location (the redirect of a form), and a JSON body (the API). */
    public record Answer(int status, String location, String body) {

        public static Answer redirect(String location) {
            return new Answer(303, location, null);
        }

        public static Answer json(int status, JsonObject body) {
            return new Answer(status, null, body == null ? null : body.encode());
        }

        /** Adds a Location header to a JSON answer (a created resource). */
        public Answer at(String location) {
            return new Answer(status, location, body);
        }
    }

    /**
     * A request's key: who sent it, the key itself and the action it was sent with, the method and the path
     * ({@code DELETE /api/v1/.../meetup/registration}). A key names one action: the same key with another method or on
     * another path is a client's mistake, refused with 422 (before the method was part of it, a DELETE repeating a
     * POST's key on the same path was answered with the POST's answer, and nothing was cancelled).
     */
    public record Key(long accountId, String value, String action) {

        public static final Key NONE = new Key(0, null, null);

        public boolean present() {
            return value != null;
        }

        /** A form post: the answer is a 303 to {@code location}. */
        public <T> Idempotent<T> form(Function<T, String> location) {
            return new Idempotent<>(this, result -> Answer.redirect(location.apply(result)));
        }

        /** An API call: the answer is {@code status} with the JSON {@code body}. */
        public <T> Idempotent<T> api(int status, Function<T, JsonObject> body) {
            return new Idempotent<>(this, result -> Answer.json(status, body.apply(result)));
        }

        /**
         * For an API answer that is the changed resource read again after commit (a saved submission, a review):
         * only the status and {@code ref} (where that resource is) are stored, and a repeat lets the route read
         * the resource as it stands (see {@link #orRepeat}), which is the first answer unless something changed since.
         */
        public <T> Idempotent<T> reread(Function<T, String> ref) {
            return new Idempotent<>(this, result -> new Answer(200, ref.apply(result), null));
        }

        /** Any other answer (e.g. JSON with a Location header). */
        public <T> Idempotent<T> answer(Function<T, Answer> answer) {
            return new Idempotent<>(this, answer);
        }
    }

    /** The first answer to a key, found when the key was used before: the action is not repeated. */
    public static final class Repeat extends RuntimeException {
        private final Answer answer;

        Repeat(Answer answer) {
            super("repeated idempotency key", null, false, false);
            this.answer = answer;
        }

        public Answer answer() {
            return answer;
        }
    }

    /**
     * The request's key: the {@code Idempotency-Key} header, else the {@code _idem} form field; none when
     * neither is there (or the viewer is not signed in, since keys are per account). A key longer than 100
     * characters or with anything but visible ASCII is refused with 400.
     */
    public static Key key(RoutingContext ctx) {
        String value = ctx.request().getHeader(HEADER);
        if (value == null) value = ctx.request().getFormAttribute(FORM_FIELD);
        if (value == null || value.isEmpty()) return Key.NONE;
        if (value.length() > MAX_KEY || !value.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw HttpProblem.badRequest("error.badIdempotencyKey", MAX_KEY);
        }
        Viewer viewer = Viewer.of(ctx);
        if (viewer == null || !viewer.signedIn()) return Key.NONE;
        return new Key(viewer.accountId(), value, ctx.request().method().name() + " " + ctx.request().path());
    }

    /**
     * Recovers a repeat of a {@link Key#reread} action into what the route reads the resource by (from the
     * stored {@code ref}); any other failure stays a failure.
     */
    public static <R> io.vertx.core.Future<R> orRepeat(Throwable failure, Function<String, R> fromRef) {
        if (failure instanceof Repeat r) return io.vertx.core.Future.succeededFuture(fromRef.apply(r.answer().location()));
        return io.vertx.core.Future.failedFuture(failure);
    }

    public Answer answer(T result) {
        return toAnswer.apply(result);
    }

    /** Sends the answer: the fresh one, the stored one of a repeat, or the failure. */
    public static void respond(RoutingContext ctx, AsyncResult<Answer> ar) {
        if (ar.failed() && !(ar.cause() instanceof Repeat)) {
            ctx.fail(ar.cause());
            return;
        }
        Answer a = ar.succeeded() ? ar.result() : ((Repeat) ar.cause()).answer();
        var response = ctx.response().setStatusCode(a.status());
        if (a.location() != null) response.putHeader("Location", a.location());
        if (a.body() == null) {
            response.end();
        } else {
            response.putHeader("Content-Type", "application/json").end(a.body());
        }
    }
}
