package org.knowmad.cohort;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.knowmad.web.Http;
import org.knowmad.web.Viewer;

/**
 * The one way a cohort-scoped action route ({@code /courses/:course/:cohort/...}) starts: the asker's standing in
 * the cohort, then the action, answered as a form's redirect or as JSON. Shared by the features built on cohorts.
 */
public final class CohortRequests {

    private CohortRequests() {
    }

    public static Future<CohortAccess> access(CohortService cohorts, RoutingContext ctx) {
        return cohorts.access(Viewer.of(ctx), ctx.pathParam("course"), ctx.pathParam("cohort"));
    }

    /** A signed-in person's form: the action answers where to go next. */
    public static void form(CohortService cohorts, RoutingContext ctx, Function<CohortAccess, Future<String>> action) {
        Viewer.of(ctx).require();
        access(cohorts, ctx).compose(action).onComplete(ar -> Http.redirect(ctx, ar));
    }

    /** A signed-in person's API call: the action answers the JSON body (200). */
    public static void api(CohortService cohorts, RoutingContext ctx, Function<CohortAccess, Future<JsonObject>> action) {
        Viewer.of(ctx).require();
        access(cohorts, ctx).compose(action).onComplete(ar -> Http.json(ctx, 200, ar));
    }
}
