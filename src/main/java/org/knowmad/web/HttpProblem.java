package org.knowmad.web;

import java.util.Map;

/**
 * A refusal the user can act on: rendered as an HTML page or as RFC 9457 problem JSON. Handlers
 * fail their future with it; {@link ErrorHandler} turns it into the response.
 *
 * @param key      i18n key of the message shown to people (with {@code args})
 * @param extra    additional JSON members, e.g. {@code opensAt}
 */
public final class HttpProblem extends RuntimeException {

    private final int status;
    private final String key;
    private final Object[] args;
    private final Map<String, Object> extra;
    private final String field;

    public HttpProblem(int status, String key, Object... args) {
        this(status, Map.of(), key, args);
    }

    public HttpProblem(int status, Map<String, Object> extra, String key, Object... args) {
        this(status, extra, null, key, args);
    }

    private HttpProblem(int status, Map<String, Object> extra, String field, String key, Object... args) {
        super(key, null, false, false);
        this.status = status;
        this.key = key;
        this.args = args;
        this.extra = extra;
        this.field = field;
    }

    /** The same refusal, about one input field: a form shows the message beside it, the API names it. */
    public HttpProblem at(String field) {
        return new HttpProblem(status, extra, field, key, args);
    }

    /** The input field the problem is about (a form's {@code name}, an API member), or null for the whole request. */
    public String field() {
        return field;
    }

    public int status() {
        return status;
    }

    public String key() {
        return key;
    }

    public Object[] args() {
        return args;
    }

    public Map<String, Object> extra() {
        return extra;
    }

    public static HttpProblem notFound() {
        return new HttpProblem(404, "error.notFound");
    }

    public static HttpProblem forbidden() {
        return new HttpProblem(403, "error.forbidden");
    }

    public static HttpProblem signInRequired() {
        return new HttpProblem(401, "error.signInRequired");
    }

    public static HttpProblem badRequest(String key, Object... args) {
        return new HttpProblem(400, key, args);
    }

    /** 400 about one input field (see {@link FormRetry}). */
    public static HttpProblem invalid(String field, String key, Object... args) {
        return new HttpProblem(400, key, args).at(field);
    }
}
