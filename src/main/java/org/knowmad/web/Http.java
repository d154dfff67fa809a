package org.knowmad.web;

import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The small request and response chores every feature's routes share: one way of doing each. */
public final class Http {

    private Http() {
    }

    /** 303 to the answered location (after a form post), or the failure. */
    public static void redirect(RoutingContext ctx, AsyncResult<String> ar) {
        if (ar.failed()) ctx.fail(ar.cause());
        else ctx.response().setStatusCode(303).putHeader("Location", ar.result()).end();
    }

    /** The answered JSON with {@code status}, or the failure (as problem JSON). */
    public static void json(RoutingContext ctx, int status, AsyncResult<JsonObject> ar) {
        if (ar.failed()) ctx.fail(ar.cause());
        else json(ctx, status, ar.result());
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** The request's JSON object; an empty object for an empty body; 400 for anything else. */
    public static JsonObject jsonBody(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() == 0) return new JsonObject();
        try {
            JsonObject o = ctx.body().asJsonObject();
            return o == null ? new JsonObject() : o;
        } catch (RuntimeException e) {
            throw HttpProblem.badRequest("error.badJson");
        }
    }

    /** A string member, or null; 400 if it is there but not a string. */
    public static String string(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v != null && !(v instanceof String)) throw HttpProblem.badRequest("error.badRequest");
        return (String) v;
    }

    /** A boolean member, false when absent; 400 if it is there but not a boolean. */
    public static boolean bool(JsonObject body, String key) {
        return Boolean.TRUE.equals(optionalBool(body, key));
    }

    /** A boolean member, null when absent; 400 if it is there but not a boolean. */
    public static Boolean optionalBool(JsonObject body, String key) {
        Object v = body.getValue(key);
        if (v != null && !(v instanceof Boolean)) throw HttpProblem.badRequest("error.badRequest");
        return (Boolean) v;
    }

    /** A numeric path parameter; a path with something else in its place does not exist (404). */
    public static long pathLong(RoutingContext ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw HttpProblem.notFound();
        }
    }

    public static int pathInt(RoutingContext ctx, String name) {
        try {
            return Integer.parseInt(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw HttpProblem.notFound();
        }
    }

    /** A non-negative whole-number query parameter, {@code fallback} when absent; 400 when not a number. */
    public static int queryInt(RoutingContext ctx, String name, int fallback) {
        String v = ctx.request().getParam(name);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Math.max(0, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw HttpProblem.badRequest("error.badRequest");
        }
    }
}
